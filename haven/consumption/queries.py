"""Reads the booth board and the pages share. Staff and peers see only their own sites."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils import timezone

from haven.consumption import timers
from haven.consumption.models import Board, Booth, ConsumptionSettings, Stay
from haven.places.models import Site


def visible_sites(user):
    sites = Site.objects.filter(active=True)
    if not user.sees_all_sites:
        sites = sites.filter(staff=user)
    return sites.order_by("name")


def site_for(user, site_id) -> Site | None:
    return visible_sites(user).filter(pk=site_id).first()


@dataclass
class BoothRow:
    booth: Booth
    stay: Stay | None
    state: str  # timers.OK / AMBER / RED, or "free"
    minutes_in: int | None
    minutes_since_check: int | None


def board_rows(site, *, now=None, settings=None) -> list[BoothRow]:
    """Every active booth of the site, who is in it and its timer: two queries."""
    now = now or timezone.now()
    settings = settings or ConsumptionSettings.current()
    booths = list(Booth.objects.filter(site=site, active=True))
    stays = {stay.booth_id: stay for stay in Stay.objects.filter(site=site, checked_out_at__isnull=True)
             .select_related("participant")}
    rows = []
    for booth in booths:
        stay = stays.get(booth.pk)
        if stay is None:
            rows.append(BoothRow(booth, None, "free", None, None))
            continue
        state = timers.state(stay.last_check_at, now, amber_minutes=settings.amber_after_minutes,
                             red_minutes=settings.red_after_minutes)
        rows.append(BoothRow(booth, stay, state, int(timers.elapsed(stay.checked_in_at, now).total_seconds() // 60),
                             int(timers.elapsed(stay.last_check_at, now).total_seconds() // 60)))
    return rows


def board_version(site) -> int:
    return Board.objects.filter(site=site).values_list("version", flat=True).first() or 0


def board_tag(site, *, now=None, settings=None) -> str:
    """A short tag that changes whenever what the board shows changes: the site's version, and each
    open stay's timer state and minutes (which move with the clock, not with a write)."""
    now = now or timezone.now()
    settings = settings or ConsumptionSettings.current()
    version = Board.objects.filter(site=site).values_list("version", flat=True).first() or 0
    parts = [str(version), str(settings.amber_after_minutes), str(settings.red_after_minutes)]
    for checked_in_at, last_check_at in (Stay.objects.filter(site=site, checked_out_at__isnull=True)
                                         .order_by("booth_id").values_list("checked_in_at", "last_check_at")):
        parts.append(timers.state(last_check_at, now, amber_minutes=settings.amber_after_minutes,
                                  red_minutes=settings.red_after_minutes))
        parts.append(str(int(timers.elapsed(checked_in_at, now).total_seconds() // 60)))
        parts.append(str(int(timers.elapsed(last_check_at, now).total_seconds() // 60)))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def free_booths(site):
    taken = Stay.objects.filter(site=site, checked_out_at__isnull=True).values("booth_id")
    return Booth.objects.filter(site=site, active=True).exclude(pk__in=taken)


def recent_stays(site, *, limit=20):
    return (Stay.objects.filter(site=site, checked_out_at__isnull=False).select_related("booth", "participant")
            .order_by("-checked_out_at")[:limit])


def stay_for(user, stay_id) -> Stay | None:
    return (Stay.objects.filter(pk=stay_id, site__in=visible_sites(user)).select_related("booth", "site", "participant")
            .first())
