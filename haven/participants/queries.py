"""Reads about participants that views, the API and reports share.

Anyone who may look participants up finds any participant (people move between sites), but visit
details are shown only for the sites the viewer works at, unless they see all sites.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Max, Subquery

from haven.participants import codes
from haven.participants.actions import code_index_for
from haven.participants.models import ContactConsent, Participant

RECENT_ENROLMENTS = 20
VISIT_HISTORY = 20


@dataclass
class SuppliesLine:
    name: str
    quantity: int


@dataclass
class LastVisit:
    encounter_id: int
    occurred_at: datetime
    site_name: str
    service_mode: str
    supplies: list[SuppliesLine] = field(default_factory=list)


@dataclass
class ParticipantSummary:
    display_id: str
    enrolled_at: datetime
    visit_count: int
    last_visit: LastVisit | None


def participant_by_code(text) -> Participant | None:
    """The participant (after merges) whose code this is, however it was typed; None if none."""
    code = codes.normalise(text)
    if not code:
        return None
    found = Participant.objects.select_related("merged_into").filter(code_index=code_index_for(code)).first()
    return found.canonical() if found else None


def participant_by_display_id(display_id) -> Participant | None:
    """By the printed id (any case); a merged record gives the participant it was merged into."""
    text = codes.normalise(display_id)
    if not text:
        return None
    found = Participant.objects.select_related("merged_into").filter(display_id=text).first()
    return found.canonical() if found else None


def visible_encounters(user):
    """Visits whose details this person may see: all sites, or their own."""
    from haven.encounters.models import Encounter

    encounters = Encounter.objects.filter(voided_at__isnull=True)
    if user is not None and not user.sees_all_sites:
        encounters = encounters.filter(site__in=user.sites.values("pk"))
    return encounters


def participant_summary(participant: Participant, *, user=None) -> ParticipantSummary:
    """Display id, enrolment, number of visits (every site) and the last visit the viewer may see.

    Two queries: the last visible visit with the total count alongside, then its supplies.
    """
    from haven.encounters.models import Encounter, EncounterSupply

    all_visits = Encounter.objects.filter(participant=participant, voided_at__isnull=True)
    total = Subquery(all_visits.order_by().values("participant").annotate(n=Count("pk")).values("n")[:1])
    last = (visible_encounters(user).filter(participant=participant).select_related("site")
            .annotate(total=total).order_by("-occurred_at", "-pk").first())
    last_visit = None
    if last is None:
        visit_count = all_visits.count()
    else:
        visit_count = last.total or 0
        supplies = EncounterSupply.objects.filter(encounter=last).select_related("item").order_by("item__sort_order",
                                                                                                  "item__name")
        last_visit = LastVisit(
            encounter_id=last.pk, occurred_at=last.occurred_at, site_name=last.site.name,
            service_mode=last.get_service_mode_display(),
            supplies=[SuppliesLine(name=line.item.name, quantity=line.quantity) for line in supplies],
        )
    return ParticipantSummary(display_id=participant.display_id, enrolled_at=participant.enrolled_at,
                              visit_count=visit_count, last_visit=last_visit)


def participant_visits(participant: Participant, *, user, limit: int = VISIT_HISTORY):
    """The participant's latest visits at the sites this person may see, with their supplies."""
    from django.db.models import Prefetch

    from haven.encounters.models import EncounterSupply

    return list(
        visible_encounters(user).filter(participant=participant).select_related("site", "staff")
        .prefetch_related(Prefetch("supplies", queryset=EncounterSupply.objects.select_related("item")))
        .order_by("-occurred_at", "-pk")[:limit]
    )


def recent_enrolments(user, *, limit: int = RECENT_ENROLMENTS):
    """Participants enrolled most recently at this person's sites (every site for managers)."""
    participants = (Participant.objects.filter(merged_into__isnull=True).select_related("enrolled_site")
                    .order_by("-enrolled_at", "-pk"))
    if not user.sees_all_sites:
        participants = participants.filter(enrolled_site__in=user.sites.values("pk"))
    return participants[:limit]


def active_consents(participant: Participant):
    return ContactConsent.objects.filter(participant=participant, withdrawn_at__isnull=True).select_related("given_by")


def consent_history(participant: Participant):
    return (ContactConsent.objects.filter(participant=participant)
            .select_related("given_by", "withdrawn_by").order_by("-given_at", "-pk"))


def merged_records(participant: Participant):
    return Participant.objects.filter(merged_into=participant).order_by("merged_at")


def last_visits_for(participant_ids, *, user) -> dict[int, datetime]:
    """participant id -> last visible visit time, in one query (for lists)."""
    rows = (visible_encounters(user).filter(participant_id__in=list(participant_ids)).order_by()
            .values("participant_id").annotate(last=Max("occurred_at")).values_list("participant_id", "last"))
    return dict(rows)
