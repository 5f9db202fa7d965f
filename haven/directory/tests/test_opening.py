"""Open now, from HSDS weekly schedules (plain Python)."""

from datetime import datetime

from haven.directory.opening import open_at

WEEKDAYS_NINE_TO_FIVE = {"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR", "opens_at": "09:00", "closes_at": "17:00"}
NIGHTS = {"freq": "WEEKLY", "byday": "FR,SA", "opens_at": "20:00", "closes_at": "02:00"}


def test_a_weekday_service_is_open_on_a_tuesday_afternoon():
    assert open_at([WEEKDAYS_NINE_TO_FIVE], datetime(2026, 12, 8, 14, 0))


def test_it_is_closed_at_closing_time_and_at_the_weekend():
    assert not open_at([WEEKDAYS_NINE_TO_FIVE], datetime(2026, 12, 8, 17, 0))
    assert not open_at([WEEKDAYS_NINE_TO_FIVE], datetime(2026, 12, 12, 12, 0))


def test_a_night_service_stays_open_past_midnight():
    assert open_at([NIGHTS], datetime(2026, 12, 12, 1, 30))  # Saturday 01:30, from Friday night
    assert not open_at([NIGHTS], datetime(2026, 12, 14, 1, 30))  # Monday 01:30, Sunday was closed


def test_schedules_it_cannot_read_never_claim_open():
    monthly = {"freq": "MONTHLY", "byday": "2MO", "opens_at": "09:00", "closes_at": "17:00"}
    assert not open_at([monthly, {"description": "Call ahead"}], datetime(2026, 12, 14, 10, 0))


def test_times_with_a_utc_suffix_are_read_as_local_times():
    assert open_at([{**WEEKDAYS_NINE_TO_FIVE, "opens_at": "09:00Z", "closes_at": "17:00-05:00"}],
                   datetime(2026, 12, 8, 10, 0))
