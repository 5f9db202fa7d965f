"""Booth timers: program-set minutes, checks that restart them, who may acknowledge, clock changes."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from haven.consumption import actions, queries, timers
from haven.consumption.models import ConsumptionSettings, Route, Stay

TORONTO = ZoneInfo("America/Toronto")


def at(*args, tz=TORONTO, fold=0):
    return datetime.datetime(*args, tzinfo=tz, fold=fold)


def test_a_timer_is_ok_then_amber_then_red():
    start = at(2026, 6, 1, 12, 0)
    minute = datetime.timedelta(minutes=1)
    states = [timers.state(start, start + n * minute, amber_minutes=10, red_minutes=15) for n in (0, 9, 10, 14, 15)]
    assert states == ["ok", "ok", "amber", "amber", "red"]


def test_a_timer_counts_real_minutes_across_the_autumn_clock_change():
    # 01:50 EDT, then the clocks go back at 02:00 to 01:00 EST: 01:05 EST is 15 real minutes later.
    before = at(2026, 11, 1, 1, 50, fold=0)
    after = at(2026, 11, 1, 1, 5, fold=1)
    assert timers.elapsed(before, after) == datetime.timedelta(minutes=15)
    assert timers.state(before, after, amber_minutes=10, red_minutes=15) == "red"


def test_a_timer_counts_real_minutes_across_the_spring_clock_change():
    # 01:55 EST, then 02:00 becomes 03:00 EDT: 03:04 EDT is 9 real minutes later, not 69.
    assert timers.elapsed(at(2026, 3, 8, 1, 55), at(2026, 3, 8, 3, 4)) == datetime.timedelta(minutes=9)


def test_a_naive_datetime_is_refused_rather_than_guessed():
    with pytest.raises(ValueError):
        timers.elapsed(datetime.datetime(2026, 6, 1, 12, 0), at(2026, 6, 1, 12, 5))


def test_next_change_is_amber_then_red_then_none():
    start = at(2026, 6, 1, 12, 0)
    kwargs = {"amber_minutes": 10, "red_minutes": 15}
    assert timers.next_change(start, start, **kwargs) == start + datetime.timedelta(minutes=10)
    assert timers.next_change(start, start + datetime.timedelta(minutes=11), **kwargs) == start + datetime.timedelta(
        minutes=15)
    assert timers.next_change(start, start + datetime.timedelta(minutes=20), **kwargs) is None


@pytest.mark.django_db
def test_the_board_uses_the_minutes_the_program_set(bob, booths):
    ConsumptionSettings.objects.create(pk=1, amber_after_minutes=2, red_after_minutes=4)
    start = timezone.now() - datetime.timedelta(minutes=3)
    actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION, now=start)
    [row] = [row for row in queries.board_rows(booths["one"].site) if row.stay]
    assert row.state == "amber"
    assert row.minutes_since_check == 3


@pytest.mark.django_db
def test_acknowledging_a_check_restarts_the_timer(bob, booths):
    start = timezone.now() - datetime.timedelta(minutes=20)
    stay = actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION, now=start)
    assert [row.state for row in queries.board_rows(booths["one"].site) if row.stay] == ["red"]
    actions.stay_acknowledge_check(actor=bob, stay_id=stay.pk)
    assert [row.state for row in queries.board_rows(booths["one"].site) if row.stay] == ["ok"]
    assert Stay.objects.get(pk=stay.pk).checks == 1


@pytest.mark.django_db
def test_a_timer_read_back_from_the_database_is_the_same_after_a_restart(bob, booths):
    # Nothing lives in memory: a fresh read (what a restarted server does) gives the same state.
    start = timezone.now() - datetime.timedelta(minutes=12)
    actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION, now=start)
    fresh = Stay.objects.get(booth=booths["one"], checked_out_at__isnull=True)
    assert timers.state(fresh.last_check_at, timezone.now(), amber_minutes=10, red_minutes=15) == "amber"


@pytest.mark.django_db
def test_someone_not_on_shift_at_the_site_cannot_acknowledge_a_check(bob, carol, booths):
    stay = actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION)
    with pytest.raises(PermissionDenied, match="North drop-in"):
        actions.stay_acknowledge_check(actor=carol, stay_id=stay.pk)
    assert Stay.objects.get(pk=stay.pk).checks == 0


@pytest.mark.django_db
def test_a_deactivated_account_is_not_on_shift(bob, booths):
    stay = actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION)
    bob.is_active = False
    bob.save()
    with pytest.raises(PermissionDenied):
        actions.stay_acknowledge_check(actor=bob, stay_id=stay.pk)


@pytest.mark.django_db
def test_a_stay_across_the_autumn_clock_change_keeps_its_real_length(bob, booths, settings):
    settings.TIME_ZONE = "America/Toronto"
    start = at(2026, 11, 1, 1, 40, fold=0)  # EDT
    stay = actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION, now=start)
    done = actions.stay_check_out(actor=bob, stay_id=stay.pk, now=at(2026, 11, 1, 1, 10, fold=1))  # EST
    assert done.stay_seconds == 30 * 60
    stored = Stay.objects.get(pk=stay.pk)
    assert stored.checked_in_at == datetime.datetime(2026, 11, 1, 5, 40, tzinfo=datetime.UTC)
