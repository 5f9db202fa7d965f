"""Reads the booth board and the pages share. Staff and peers see only their own sites."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.utils import timezone

from haven.consumption import timers
from haven.consumption.models import Board, Booth, ConsumptionSettings, SpottingCall, SpottingEscalation, Stay
from haven.places.models import Site

# How often an open board asks whether it changed. A change reaches a screen at most one interval
# plus one request later; 300 ms leaves the rest of the 1 s target (issue 17) to a loaded server.
# The question costs two small queries and a 204 while nothing changed; a change sends only the
# booths it touched (docs/CONSUMPTION.md). Timers turning amber and red with the clock are drawn by
# the page itself from the stored moments it was sent (static/consumption/board.js).
BOARD_POLL_MILLISECONDS = 300


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

    @property
    def checked_in_ms(self) -> int | None:
        return int(self.stay.checked_in_at.timestamp() * 1000) if self.stay else None

    @property
    def last_check_ms(self) -> int | None:
        return int(self.stay.last_check_at.timestamp() * 1000) if self.stay else None


def board_rows(site, *, now=None, settings=None, changed_since=None) -> list[BoothRow]:
    """Every active booth of the site (or only those changed after board version `changed_since`),
    who is in it and its timer: two queries."""
    now = now or timezone.now()
    settings = settings or ConsumptionSettings.current()
    booths = Booth.objects.filter(site=site, active=True)
    stays = Stay.objects.filter(site=site, checked_out_at__isnull=True)
    if changed_since is not None:
        booths = booths.filter(changed_version__gt=changed_since)
        stays = stays.filter(booth__in=booths)
    booths = list(booths)
    stays = {stay.booth_id: stay for stay in stays.select_related("participant")} if booths else {}
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


def board_versions(site) -> tuple[int, int]:
    """The site's board version and the version of its last whole-board change: one query."""
    return Board.objects.filter(site=site).values_list("version", "layout_version").first() or (0, 0)


def board_version(site) -> int:
    return board_versions(site)[0]


def board_stored_moments(site) -> str:
    """A short fingerprint of each open stay's stored moments. The actions stamp every change with a
    version; this also catches a moment changed some other way (a data repair in the shell, a test).
    One query, no clock: a timer turning amber or red with time changes nothing here."""
    parts = []
    for booth_id, checked_in_at, last_check_at in (Stay.objects.filter(site=site, checked_out_at__isnull=True)
                                                   .order_by("booth_id")
                                                   .values_list("booth_id", "checked_in_at", "last_check_at")):
        parts += [str(booth_id), checked_in_at.isoformat(), last_check_at.isoformat()]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


def board_tag(site, *, settings=None, version=None) -> str:
    """What a screen sends back with each poll: "<version>.<amber>.<red>.<fingerprint>", the check
    intervals being what the page draws its timers with."""
    version = board_version(site) if version is None else version
    return f"{version}.{board_intervals(settings)}.{board_stored_moments(site)}"


def board_intervals(settings=None) -> str:
    """The check intervals part of a board tag: "<amber>.<red>"."""
    settings = settings or ConsumptionSettings.current()
    return f"{settings.amber_after_minutes}.{settings.red_after_minutes}"


def parse_board_tag(tag) -> tuple[int | None, str]:
    """(version, "<amber>.<red>") of a tag a screen sent; (None, "") for anything else."""
    parts = (tag or "").split(".")
    if len(parts) != 4 or not parts[0].isdigit() or len(parts[0]) > 18:
        return None, ""
    return int(parts[0]), f"{parts[1]}.{parts[2]}"


def free_booths(site):
    taken = Stay.objects.filter(site=site, checked_out_at__isnull=True).values("booth_id")
    return Booth.objects.filter(site=site, active=True).exclude(pk__in=taken)


def open_stay_in(booth) -> Stay | None:
    return Stay.objects.filter(booth=booth, checked_out_at__isnull=True).select_related("participant").first()


RECENT = datetime.timedelta(hours=12)  # about one shift: the board shows times of day only


def recent_stays(site, *, limit=20, now=None):
    """The last check-outs of the past 12 hours, newest first (earlier days are in the reports)."""
    since = (now or timezone.now()) - RECENT
    return (Stay.objects.filter(site=site, checked_out_at__gte=since).select_related("booth", "participant")
            .order_by("-checked_out_at")[:limit])


def stay_for(user, stay_id) -> Stay | None:
    return (Stay.objects.filter(pk=stay_id, site__in=visible_sites(user)).select_related("booth", "site", "participant")
            .first())


# The remote spotting line ------------------------------------------------------------------------


@dataclass
class CallRow:
    call: SpottingCall
    state: str  # timers.OK / DUE / MISSED / SEND_HELP
    next_check_in_at: object
    open_escalations: list


def _call_state(call, now) -> str:
    return timers.spotting_state(call.last_check_in_at, now, check_in_seconds=call.check_in_seconds,
                                 missed_after_seconds=call.missed_after_seconds,
                                 send_help_after_seconds=call.send_help_after_seconds)


def active_calls(*, now=None) -> list[CallRow]:
    """Every open call, whoever took it (an operator who closed the browser leaves it to the others):
    two queries."""
    now = now or timezone.now()
    calls = list(SpottingCall.objects.filter(ended_at__isnull=True).order_by("started_at", "pk"))
    escalations: dict[int, list] = {}
    for escalation in SpottingEscalation.objects.filter(call__in=calls, resolved_at__isnull=True):
        escalations.setdefault(escalation.call_id, []).append(escalation)
    return [CallRow(call, _call_state(call, now),
                    call.last_check_in_at + datetime.timedelta(seconds=call.check_in_seconds),
                    escalations.get(call.pk, [])) for call in calls]


def call_row(call, *, now=None) -> CallRow:
    now = now or timezone.now()
    return CallRow(call, _call_state(call, now) if call.active else "ended",
                   call.last_check_in_at + datetime.timedelta(seconds=call.check_in_seconds),
                   list(call.escalations.filter(resolved_at__isnull=True)))


def spotting_tag(*, now=None, call_id=None) -> str:
    """Changes whenever what the console (or one call's page) shows changes: the open calls, their
    check-ins and escalations, and each timer's state (which moves with the clock)."""
    now = now or timezone.now()
    calls = SpottingCall.objects.all() if call_id else SpottingCall.objects.filter(ended_at__isnull=True)
    if call_id:
        calls = calls.filter(pk=call_id)
    parts = []
    for call in calls.order_by("pk").only("pk", "last_check_in_at", "cycle", "ended_at", "check_in_seconds",
                                          "missed_after_seconds", "send_help_after_seconds"):
        parts += [str(call.pk), str(call.cycle), str(call.ended_at), _call_state(call, now)]
    escalations = SpottingEscalation.objects.filter(call__ended_at__isnull=True) if not call_id else \
        SpottingEscalation.objects.filter(call_id=call_id)
    parts += [str(value) for value in escalations.order_by("pk").values_list("pk", "resolved_at")]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def spotting_call(call_id) -> SpottingCall | None:
    return SpottingCall.objects.filter(pk=call_id).first()


def recent_calls(*, limit=10):
    return SpottingCall.objects.filter(ended_at__isnull=False).order_by("-ended_at")[:limit]
