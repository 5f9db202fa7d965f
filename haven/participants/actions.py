"""Every write to participants: validated, transactional and audited.

Audit entries and log lines name ids and field names only: never a code, a nickname or a contact.
"""

from __future__ import annotations

import re
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.core import ratelimit
from haven.core.audit import audit_record
from haven.core.models import AuditEvent
from haven.core.privacy import blind_index
from haven.participants.codes import normalise
from haven.participants.models import CODE_INDEX_PURPOSE, ContactConsent, Participant
from haven.participants.recipe import checked_code

# No 0/O, 1/I/L: a display id is read aloud and copied by hand.
DISPLAY_ID_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
DISPLAY_ID_LENGTH = 6
DISPLAY_ID_ATTEMPTS = 20
NICKNAME_MAX_LENGTH = 60
CONTACT_MAX_LENGTH = 200
# E.164 allows at most 15 digits; shorter than 7 is not a phone number anywhere.
PHONE_DIGITS = (7, 15)
PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ().\-/]+$")
CONTACT_KINDS = {"phone", "email", "other"}


def code_index_for(normalised_code: str) -> str:
    return blind_index(normalised_code, purpose=CODE_INDEX_PURPOSE)


def looks_like_display_id(text) -> bool:
    """Whether typed text has the shape of a display id (any case, spaces and dashes ignored)."""
    text = normalise(text)
    return len(text) == DISPLAY_ID_LENGTH and all(character in DISPLAY_ID_ALPHABET for character in text)


def new_display_id() -> str:
    return "".join(secrets.choice(DISPLAY_ID_ALPHABET) for _ in range(DISPLAY_ID_LENGTH))


def _already_enrolled(existing: Participant) -> ValidationError:
    canonical = existing.canonical()
    return ValidationError({"code": [ValidationError(
        _("A participant with this code is already enrolled: %(display_id)s."),
        code="already_enrolled", params={"display_id": canonical.display_id},
    )]})


@transaction.atomic
def participant_enroll(*, actor, code, site=None, request=None) -> Participant:
    """Enrol a participant by their code; only the code's blind index is stored."""
    index = code_index_for(checked_code(code))
    existing = Participant.objects.filter(code_index=index).first()
    if existing is not None:
        raise _already_enrolled(existing)
    for _attempt in range(DISPLAY_ID_ATTEMPTS):
        participant = Participant(code_index=index, display_id=new_display_id(), enrolled_site=site,
                                  enrolled_by=actor if getattr(actor, "pk", None) else None)
        try:
            with transaction.atomic():
                participant.save(force_insert=True)
        except IntegrityError:
            # Either someone enrolled the same code a moment ago, or the random id was taken.
            existing = Participant.objects.filter(code_index=index).first()
            if existing is not None:
                raise _already_enrolled(existing) from None
            continue
        break
    else:
        raise RuntimeError("could not find a free display id; make DISPLAY_ID_LENGTH longer")
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=participant, request=request,
                 detail={"fields": ["code_index", "display_id", "enrolled_site"],
                         "site": site.pk if site else None})
    return participant


@transaction.atomic
def participant_merge(*, actor, keep, duplicate, request=None) -> Participant:
    """Merge `duplicate` into `keep`: one person, two codes. Both codes then find `keep`.

    The duplicate's visits move to `keep`. A nickname or contact moves along with its consent when
    `keep` has none for that scope; when both have one, the kept record's stays and the duplicate's
    is erased (its consent is marked withdrawn), so no orphaned personal data is left behind.
    """
    if keep.pk == duplicate.pk:
        raise ValidationError(_("A participant cannot be merged into themselves. Choose two different participants."))
    # Lock both rows so two merges of the same records cannot interleave.
    locked = {p.pk: p for p in Participant.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk])}
    if len(locked) != 2:
        raise ValidationError(_("One of these participants no longer exists."))
    keep, duplicate = locked[keep.pk], locked[duplicate.pk]
    if keep.merged_into_id is not None:
        raise ValidationError(_("%(display_id)s was already merged into another participant. Merge into that "
                                "participant instead.") % {"display_id": keep.display_id})
    if duplicate.merged_into_id is not None:
        raise ValidationError(_("%(display_id)s was already merged into another participant.")
                              % {"display_id": duplicate.display_id})

    from haven.encounters.models import Encounter

    now = timezone.now()
    moved_encounters = Encounter.objects.filter(participant=duplicate).update(participant=keep)
    # Earlier merges into the duplicate now point at the kept record directly: one hop per lookup.
    Participant.objects.filter(merged_into=duplicate).update(merged_into=keep)

    moved_fields, erased_fields = [], []
    keep_fields = []
    for scope, fields in ((ContactConsent.Scope.NICKNAME, ["nickname"]),
                          (ContactConsent.Scope.CONTACT, ["contact", "contact_kind"])):
        field = fields[0]
        if getattr(duplicate, field) is None:
            continue
        consents = ContactConsent.objects.filter(participant=duplicate, scope=scope, withdrawn_at__isnull=True)
        if getattr(keep, field) is None:
            for name in fields:
                setattr(keep, name, getattr(duplicate, name))
            keep_fields += fields
            consents.update(participant=keep)
            moved_fields.append(field)
        else:
            consents.update(withdrawn_at=now, withdrawn_by=actor)
            erased_fields.append(field)
        for name in fields:
            setattr(duplicate, name, None if name != "contact_kind" else "")

    if keep_fields:
        keep.save(update_fields=keep_fields)
    duplicate.merged_into = keep
    duplicate.merged_at = now
    duplicate.save(update_fields=["merged_into", "merged_at", "nickname", "contact", "contact_kind"])

    detail = {"kept": keep.pk, "duplicate": duplicate.pk, "encounters_moved": moved_encounters,
              "fields_moved": moved_fields, "fields_erased": erased_fields}
    audit_record(actor=actor, action=AuditEvent.Action.MERGE, obj=keep, request=request, detail=detail)
    audit_record(actor=actor, action=AuditEvent.Action.MERGE, obj=duplicate, request=request, detail=detail)
    return keep


def _clean_value(scope: str, value, contact_kind: str) -> tuple[str, str]:
    """The value to store and its kind, or a ValidationError on "value"/"contact_kind"."""
    value = " ".join(str(value or "").split())
    if scope == ContactConsent.Scope.NICKNAME:
        if not value:
            raise ValidationError({"value": [_("Type the nickname the participant would like us to use.")]})
        if len(value) > NICKNAME_MAX_LENGTH:
            raise ValidationError({"value": [_("Keep the nickname to %(count)d characters or fewer.")
                                             % {"count": NICKNAME_MAX_LENGTH}]})
        return value, ""
    if contact_kind not in CONTACT_KINDS:
        raise ValidationError({"contact_kind": [_("Choose the kind of contact: phone, e-mail or other.")]})
    if not value:
        raise ValidationError({"value": [_("Type the contact the participant agreed to give.")]})
    if len(value) > CONTACT_MAX_LENGTH:
        raise ValidationError({"value": [_("Keep the contact to %(count)d characters or fewer.")
                                         % {"count": CONTACT_MAX_LENGTH}]})
    if contact_kind == "phone":
        digits = sum(character.isdigit() for character in value)
        if not PHONE_CHARACTERS.match(value) or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
            raise ValidationError({"value": [_("This does not look like a phone number. Use digits, spaces and "
                                               "an optional + at the start, like +1 415 555 0100.")]})
    elif contact_kind == "email":
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError({"value": [_("This does not look like an e-mail address, like "
                                               "name@example.org.")]}) from None
    return value, contact_kind


def _fields_for(scope: str) -> list[str]:
    return ["nickname"] if scope == ContactConsent.Scope.NICKNAME else ["contact", "contact_kind"]


def _check_scope(scope: str) -> None:
    if scope not in ContactConsent.Scope.values:
        raise ValidationError({"scope": [_("Choose what the participant agrees to: a nickname or a contact.")]})


@transaction.atomic
def consent_give(*, actor, participant, scope, value, contact_kind="", request=None) -> ContactConsent:
    """Keep a nickname or a contact, encrypted, with the participant's consent recorded."""
    _check_scope(scope)
    if participant.merged_into_id is not None:
        raise ValidationError(_("This participant was merged into another one. Record consent there."))
    value, contact_kind = _clean_value(scope, value, contact_kind)
    consent = ContactConsent.objects.filter(participant=participant, scope=scope, withdrawn_at__isnull=True).first()
    if consent is None:
        consent = ContactConsent.objects.create(participant=participant, scope=scope, given_by=actor)
    fields = _fields_for(scope)
    if scope == ContactConsent.Scope.NICKNAME:
        participant.nickname = value
    else:
        participant.contact, participant.contact_kind = value, contact_kind
    participant.save(update_fields=fields)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=participant, request=request,
                 detail={"fields": fields, "consent": consent.pk, "scope": scope, "consent_change": "given"})
    return consent


@transaction.atomic
def consent_withdraw(*, actor, participant, scope, request=None) -> int:
    """Erase the value and mark its consent withdrawn. Returns how many consents were withdrawn."""
    _check_scope(scope)
    fields = _fields_for(scope)
    consents = ContactConsent.objects.filter(participant=participant, scope=scope, withdrawn_at__isnull=True)
    consent_ids = list(consents.values_list("pk", flat=True))
    if not consent_ids and getattr(participant, fields[0]) is None:
        raise ValidationError(_("There is nothing to withdraw: no consent is recorded for this."))
    withdrawn = consents.update(withdrawn_at=timezone.now(), withdrawn_by=actor)
    # The value is overwritten with NULL, not kept anywhere: withdrawal erases it.
    if scope == ContactConsent.Scope.NICKNAME:
        participant.nickname = None
    else:
        participant.contact, participant.contact_kind = None, ""
    participant.save(update_fields=fields)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=participant, request=request,
                 detail={"fields": fields, "consents": consent_ids, "scope": scope, "consent_change": "withdrawn"})
    return withdrawn


def participant_lookup_miss(*, actor, request=None) -> None:
    """Count a lookup by code that found nobody; the miss that reaches the limit is audited once."""
    from django.conf import settings

    from haven.participants.queries import lookup_miss_limit

    if actor is None or actor.pk is None:
        return
    if ratelimit.hit(lookup_miss_limit(), client=ratelimit.client_of(user=actor)) == settings.HAVEN_LOOKUP_MISS_LIMIT:
        audit_record(actor=actor, action=AuditEvent.Action.SECURITY, object_type="participants.lookup",
                     request=request, detail={"event": "lookup_paused", "misses": settings.HAVEN_LOOKUP_MISS_LIMIT})


def participant_view_audit(*, actor, participant, request=None, via: str = "detail") -> None:
    """Record that someone saw a participant's record (their detail page, a lookup, the card)."""
    audit_record(actor=actor, action=AuditEvent.Action.VIEW, obj=participant, request=request, detail={"via": via})
