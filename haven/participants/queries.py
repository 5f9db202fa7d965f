"""Reads about participants that views, the API and reports share.

Anyone who may look participants up finds any participant (people move between sites), but visit
details are shown only for the sites the viewer works at, unless they see all sites.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Max, Subquery

from haven.core import ratelimit
from haven.participants import codes
from haven.participants.actions import code_index_for
from haven.participants.models import ContactConsent, Participant

RECENT_ENROLMENTS = 20
VISIT_HISTORY = 20


@dataclass
class SuppliesLine:
    name: str
    quantity: int
    # The kit this line was given in, when it was ("" for a loose supply).
    kit: str = ""


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


def _canonical_by_unique_field(queryset) -> Participant | None:
    """The participant (after merges) that a filter on a unique field finds, or None.

    Without the ORDER BY that `first()` adds, and without joining the record merged into: few
    records are merged, and `canonical()` reads those one more query when it meets one.
    """
    found = next(iter(queryset.order_by()[:1]), None)
    return found.canonical() if found else None


def participant_by_code(text) -> Participant | None:
    """The participant (after merges) whose code this is, however it was typed; None if none."""
    code = codes.normalise(text)
    if not code:
        return None
    return _canonical_by_unique_field(Participant.objects.filter(code_index=code_index_for(code)))


def participant_by_display_id(display_id) -> Participant | None:
    """By the printed id (any case); a merged record gives the participant it was merged into."""
    text = codes.normalise(display_id)
    if not text:
        return None
    return _canonical_by_unique_field(Participant.objects.filter(display_id=text))


def visible_encounters(user):
    """Visits whose details this person may see: all sites, or their own."""
    from haven.encounters.models import Encounter

    encounters = Encounter.objects.filter(voided_at__isnull=True)
    if user is not None and not user.sees_all_sites:
        # A join through the membership table (one row per person and site, so no duplicates);
        # cheaper to build than a subquery of the person's sites, and this runs on every lookup.
        encounters = encounters.filter(site__staff=user)
    return encounters


def participant_summary(participant: Participant, *, user=None) -> ParticipantSummary:
    """Display id, enrolment, number of visits (every site) and the last visit the viewer may see.

    The last visit is the one truth that the lookup, the visit form and "Same as last time" share:
    the latest visit at the sites the viewer works at (`visible_encounters`), newest `occurred_at`
    then highest id; `haven.encounters.queries.last_encounter` picks the same one.

    Two queries whatever is found: the last visible visit with its supplies (one row per supply),
    then the number of visits. Plain values, no model instances: a lookup runs this every time.
    """
    from haven.encounters.models import Encounter, ServiceMode

    last = visible_encounters(user).filter(participant_id=participant.pk).order_by("-occurred_at", "-pk")
    rows = list(
        Encounter.objects.filter(pk=Subquery(last.values("pk")[:1]))
        .order_by("supplies__item__sort_order", "supplies__item__name")
        .values_list("pk", "occurred_at", "site__name", "service_mode", "supplies__item__name", "supplies__quantity",
                     "supplies__kit__name")
    )
    visit_count = Encounter.objects.filter(participant_id=participant.pk, voided_at__isnull=True).count()
    last_visit = None
    if rows:
        encounter_id, occurred_at, site_name, service_mode = rows[0][:4]
        last_visit = LastVisit(
            encounter_id=encounter_id, occurred_at=occurred_at, site_name=site_name,
            service_mode=str(dict(ServiceMode.choices).get(service_mode, service_mode)),
            supplies=[SuppliesLine(name=name, quantity=quantity, kit=kit or "")
                      for *_visit, name, quantity, kit in rows if name is not None],
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


# Lookups by code that find nobody ------------------------------------------------------------------
# A code is short enough to guess: someone holding a staff account or an API token could try codes
# one after another to learn who is enrolled. People mistype a code now and then; they do not miss
# dozens of times in a few minutes. Past the limit, lookups by code answer "try again later" until
# the window ends (lookups by display id, enrolment and visit logging keep working).

LOOKUP_MISS_WINDOW_SECONDS = 600


def lookup_miss_limit() -> ratelimit.Limit:
    from django.conf import settings

    return ratelimit.Limit("participant-lookup-misses", per_client=settings.HAVEN_LOOKUP_MISS_LIMIT,
                           window=LOOKUP_MISS_WINDOW_SECONDS)


def lookup_misses_exceeded(user) -> bool:
    """True when this account has missed too often in the current ten-minute window."""
    if user is None or user.pk is None:
        return False
    return ratelimit.exceeded(lookup_miss_limit(), client=ratelimit.client_of(user=user)) is not None
