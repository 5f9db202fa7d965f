"""How long Haven keeps who a participant is after their last visit (haven.core.retention, docs/PRIVACY.md)."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _

from haven.core.retention import RecordKind, integer_id, integer_ids, register
from haven.participants.models import ContactConsent, Participant

EXPIRED_PREFIX = "expired-"  # a code index no keyed hash can equal (hashes are hex)


def _last_visits(participants) -> dict[int, object]:
    from haven.encounters.models import Encounter

    return dict(Encounter.objects.filter(participant__in=participants).values("participant_id")
                .annotate(last=Max("occurred_at")).order_by().values_list("participant_id", "last"))


def _moment_of(object_id: str):
    """A participant's moment: their last visit, or their enrolment if they never came."""
    number = integer_id(object_id)
    participant = Participant.objects.filter(pk=number).first() if number is not None else None
    if participant is None or participant.code_index.startswith(EXPIRED_PREFIX):
        return None
    # A duplicate merged into another record lives as long as the record it was merged into.
    person = participant.canonical()
    return _last_visits([person.pk]).get(person.pk) or max(participant.enrolled_at, person.enrolled_at)


def _referenced(participant: Participant) -> bool:
    """Does any record but the person's own consents point to them (visits, samples, support, booth stays)?"""
    for relation in Participant._meta.related_objects:
        if relation.related_model is ContactConsent:
            continue
        if relation.related_model._default_manager.filter(**{relation.field.name: participant}).exists():
            return True
    return False


def expire_participants(*, before, held, only=None, **_ignored) -> int:
    """Participants whose last visit (or enrolment, if they never came) is before `before`: deleted
    when nothing else refers to them, else de-identified. De-identified, the record keeps only its
    id, so every visit still counts once for the same person and reports keep their numbers; its
    code no longer finds it (the code index is replaced), and the nickname, way to reach them, the
    consents behind those and the printed display id are gone."""
    candidates = (Participant.objects.exclude(code_index__startswith=EXPIRED_PREFIX)
                  .exclude(pk__in=integer_ids(held)).filter(enrolled_at__lt=before))
    if only is not None:
        candidates = candidates.filter(pk=integer_id(only))
    # Someone who came back after `before` keeps their record, and so do the duplicates merged
    # into it (their codes still find the person).
    recent = Participant.objects.filter(Q(encounters__occurred_at__gte=before) | Q(enrolled_at__gte=before))
    candidates = candidates.exclude(pk__in=recent.values("pk")).exclude(merged_into__in=recent.values("pk"))
    # A record that others were merged into, or that was merged, keeps its place in the chain.
    changed = 0
    for participant in candidates.iterator(chunk_size=500):
        person = participant.canonical()
        if person.pk != participant.pk and (str(person.pk) in held or _moment_of(str(person.pk)) is not None
                                            and _moment_of(str(person.pk)) >= before):
            continue  # merged further up a chain into someone still kept
        with transaction.atomic():
            if not _referenced(participant) and participant.merged_into_id is None:
                participant.delete()
            else:
                participant_deidentify(participant)
        changed += 1
    return changed


def participant_deidentify(participant: Participant) -> None:
    ContactConsent.objects.filter(participant=participant).delete()
    participant.code_index = EXPIRED_PREFIX + secrets.token_hex(28)
    participant.display_id = "X" + secrets.token_hex(5).upper()
    participant.nickname = None
    participant.contact = None
    participant.contact_kind = ""
    participant.enrolled_by = None
    participant.save(update_fields=["code_index", "display_id", "nickname", "contact", "contact_kind", "enrolled_by"])


def _participants_of_visits(visit_ids: set[str]) -> set[int]:
    from haven.encounters.models import Encounter

    return set(Encounter.objects.filter(pk__in=integer_ids(visit_ids), participant__isnull=False)
               .values_list("participant_id", flat=True))


register(RecordKind(
    key="participants.participant", order=20,
    label=_("Participants without recent visits"),
    treatment=_("Counted from the last visit (or enrolment). Someone who never came is deleted; otherwise the "
                "code, nickname, contact, consents and display id are erased and only an anonymous record "
                "stays, so past visits still count once per person."),
    default_days=366, minimum_days=366,
    reason=_("Yearly reports (the annual summary, fiscal years) count each person once a year. A person whose "
             "code is erased and who comes back gets a new record, so the record must outlast any year they "
             "could be counted in: 366 days after their last visit."),
    expire=expire_participants, moment_of=_moment_of, models=lambda: [Participant, ContactConsent],
    # A visit held for a subpoena keeps whose visit it was.
    held_through={"encounters.visit": _participants_of_visits},
))
