"""The monthly rollup gives exactly what counting the visits gives, and stays exact as visits are
added and voided after it was built."""

import datetime
import uuid

import pytest

from haven.encounters.actions import encounter_record, encounter_void
from haven.encounters.models import Encounter
from haven.reports.models import ActivityRollup, RollupState
from haven.reports.periods import Period, calendar_year, month
from haven.reports.queries import compute
from haven.reports.rollup import rollup_refresh
from haven.reports.tests.fixed_program import at, item, make_fixed_program


@pytest.fixture
def program(dana, places):
    return make_fixed_program(dana, places)


def same(period, **scope):
    from_rollup = compute(period, **scope)
    from_visits = compute(period, use_rollup=False, **scope)
    assert from_rollup.values == from_visits.values
    return from_rollup


@pytest.mark.parametrize("by", [(), ("site",), ("mode",), ("month",), ("month", "site")])
def test_the_rollup_and_the_visits_agree(program, by):
    same(calendar_year(2025), by=by)
    same(month(2025, 10), by=by)


def test_a_visit_recorded_after_the_build_counts_at_once(program, dana, places):
    before = same(month(2025, 10)).value("syringes_distributed")
    encounter_record(actor=dana, client_id=uuid.uuid4(), site=places["van"], service_mode="mobile",
                     occurred_at=at(datetime.date(2025, 10, 30)), source="import",
                     supplies=[(item('1 mL 28G 1/2" syringe'), 30)])

    assert same(month(2025, 10)).value("syringes_distributed") == before + 30


def test_a_visit_voided_after_the_build_stops_counting(program, dana):
    results = same(month(2025, 10))
    visit = Encounter.objects.filter(voided_at__isnull=True, syringes_returned=15).get()
    encounter_void(actor=dana, encounter=visit, reason="wrong participant")

    after = same(month(2025, 10))
    assert after.value("encounters") == results.value("encounters") - 1
    assert after.value("syringes_returned") == results.value("syringes_returned") - 15


def test_refreshing_twice_changes_nothing(program):
    rollup_refresh()
    rows = sorted(ActivityRollup.objects.values_list("month", "site_id", "kind", "ref", "amount"))
    state = rollup_refresh()

    assert sorted(ActivityRollup.objects.values_list("month", "site_id", "kind", "ref", "amount")) == rows
    assert state.last_encounter_id == Encounter.objects.order_by("-pk").first().pk
    assert RollupState.objects.count() == 1


def test_a_period_that_is_not_whole_months_is_counted_from_the_visits(program):
    two_weeks = Period(datetime.date(2025, 10, 1), datetime.date(2025, 10, 15), "first half of October")

    results = compute(two_weeks)

    assert results.value("encounters") == 3


def test_a_void_moves_a_first_visit(program, dana):
    first = Encounter.objects.filter(participant=program["p1"], voided_at__isnull=True).order_by("occurred_at")[0]
    encounter_void(actor=dana, encounter=first, reason="wrong participant")

    results = same(calendar_year(2025), by=("month",))
    assert results.value("new_participants", (9,)) == 2  # p1 now first came on 10 October, still October


def test_a_merge_moves_a_first_visit(program, dana):
    from haven.participants.actions import participant_merge

    same(calendar_year(2025), by=("month",))  # built before the merge
    participant_merge(actor=dana, keep=program["p2"], duplicate=program["p3"])

    results = same(calendar_year(2025), by=("month",))
    # p3's visits (from 15 September) are p2's now: one person, first seen in September.
    assert (results.value("new_participants", (8,)), results.value("new_participants", (9,))) == (1, 1)
    assert results.value("unique_participants") == 2


def test_the_worker_keeps_the_rollup_current(program):
    from haven.core import worker

    worker.registered_periodic()["reports.rollup_refresh"].function()

    assert RollupState.objects.get().last_encounter_id == Encounter.objects.order_by("-pk").first().pk
