"""Reads for offline participant visits: the participants a device may find without a connection,
and the visit an offline one may duplicate.

The device never gets a code or a code's hash: only display ids (printed on the card, random, not
derived from the code) and the last visit at the person's own sites, for people seen there lately.
"""

from __future__ import annotations

import datetime

from django.utils import formats, timezone

from haven.encounters.models import Encounter, EncounterSupply, ServiceMode
from haven.encounters.queries import same_person_ids
from haven.participants.models import Participant

# Participants seen at the person's sites this many days back can be found offline. Long enough
# for a weekly outreach round, short enough that a lost phone holds few people.
CACHE_DAYS = 30
# A bound on what one device holds, whatever the program's size.
CACHE_MAX_PARTICIPANTS = 5000
# An offline visit this close in time to one already recorded online, for the same person at the
# same site, is most likely the same visit logged twice (by a colleague with a connection).
DUPLICATE_WINDOW = datetime.timedelta(minutes=60)


def cache_site_ids(user) -> list[int]:
    """The sites the person works at (their memberships, coordinators and admins included): a
    device holds the people of the sites where its owner works, never the whole program."""
    return sorted(user.sites.filter(active=True).values_list("pk", flat=True))


def participant_cache(user, *, now=None, days: int = CACHE_DAYS) -> list[dict]:
    """Display id and last visit (at the person's sites) of each participant seen there in the
    last `days` days, most recently seen first. Three queries whatever the size."""
    now = now or timezone.now()
    site_ids = cache_site_ids(user)
    if not site_ids:
        return []
    # Newest first; the first row of each participant is their last visit at these sites.
    rows = (Encounter.objects.filter(site_id__in=site_ids, voided_at__isnull=True, participant__isnull=False,
                                     occurred_at__gte=now - datetime.timedelta(days=days))
            .order_by("-occurred_at", "-pk")
            .values_list("participant_id", "pk", "occurred_at", "site_id", "site__name", "service_mode"))
    last: dict[int, tuple] = {}
    for participant_id, *visit in rows.iterator(chunk_size=2000):
        if participant_id not in last:
            last[participant_id] = visit
            if len(last) >= CACHE_MAX_PARTICIPANTS:
                break
    if not last:
        return []
    display_ids = dict(Participant.objects.filter(pk__in=list(last), merged_into__isnull=True)
                       .order_by().values_list("pk", "display_id"))
    lines: dict[int, list[dict]] = {}
    for encounter_id, name, quantity, kit in (
            EncounterSupply.objects.filter(encounter_id__in=[visit[0] for visit in last.values()])
            .order_by("encounter_id", "kit_id", "item__sort_order", "item__name")
            .values_list("encounter_id", "item__name", "quantity", "kit__name")):
        lines.setdefault(encounter_id, []).append({"name": name, "quantity": quantity, "kit": kit or ""})
    modes = dict(ServiceMode.choices)
    cache = []
    for participant_id, (encounter_id, occurred_at, site_id, site_name, service_mode) in last.items():
        if participant_id not in display_ids:
            continue  # merged since: their visits moved, the record kept finds them
        cache.append({
            "display_id": display_ids[participant_id],
            "last_visit": {
                "id": encounter_id,
                "occurred_at": occurred_at,
                "when": formats.date_format(timezone.localtime(occurred_at), "DATE_FORMAT"),
                "site_id": site_id,
                "site": site_name,
                "service_mode": str(modes.get(service_mode, service_mode)),
                "supplies": lines.get(encounter_id, []),
            },
        })
    return cache


def participant_record(display_id: str) -> Participant | None:
    """The record with this display id, merged or not (None: there is none, or it was erased)."""
    from haven.participants.codes import normalise

    text = normalise(display_id)
    if not text:
        return None
    return next(iter(Participant.objects.filter(display_id=text).order_by()[:1]), None)


def probable_duplicate(*, participant: Participant, site, occurred_at, client_id) -> Encounter | None:
    """A visit already recorded (not voided) for this person at this site close to `occurred_at`,
    under another client id: the offline visit is probably the same one, logged twice."""
    return (Encounter.objects.filter(participant_id__in=same_person_ids(participant.canonical()), site=site,
                                     voided_at__isnull=True,
                                     occurred_at__gte=occurred_at - DUPLICATE_WINDOW,
                                     occurred_at__lte=occurred_at + DUPLICATE_WINDOW)
            .exclude(client_id=client_id).select_related("staff").order_by("-occurred_at", "-pk").first())
