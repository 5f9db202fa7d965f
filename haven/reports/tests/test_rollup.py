"""The monthly rollup gives exactly what counting the visits gives, and stays exact as visits are
added and voided after it was built."""

import datetime
import uuid

import pytest

from haven.encounters.actions import encounter_record, encounter_void
from haven.encounters.models import Encounter
from haven.reports.models import ActivityRollup, RollupState
from haven.reports.periods import Period, calendar_year, month
from haven.reports.queries import EXACT, SUMMARY, compute
from haven.reports.rollup import rollup_current, rollup_refresh
from haven.reports.tests.fixed_program import at, item, make_fixed_program


@pytest.fixture
def program(dana, places):
    return make_fixed_program(dana, places)


def reach_is_the_rows_own():
    """MonthReach counts exactly the ParticipantYear rows of each year, site and mode with a month
    on or after each month, by the first such month."""
    from haven.reports.models import MonthReach, ParticipantYear

    counted: dict[tuple, int] = {}
    for row in ParticipantYear.objects.all():
        for start in range(1, 13):
            later = [month for month in range(start, 13) if row.months & 1 << (month - 1)]
            if later:
                key = (row.year, row.service_mode, row.site_id, start, later[0])
                counted[key] = counted.get(key, 0) + 1
    assert {(row.year, row.service_mode, row.site_id, row.start, row.first): row.people
            for row in MonthReach.objects.all()} == counted
    assert counted


def same(period, **scope):
    rollup_refresh()  # as the worker does
    reach_is_the_rows_own()
    from_rollup = compute(period, **scope)
    from_visits = compute(period, use_rollup=False, **scope)
    assert (from_rollup.source, from_visits.source) == (SUMMARY, EXACT)
    assert from_rollup.values == from_visits.values
    return from_rollup


@pytest.mark.parametrize("by", [(), ("site",), ("mode",), ("month",), ("month", "site")])
def test_the_rollup_and_the_visits_agree(program, by):
    same(calendar_year(2025), by=by)
    same(month(2025, 10), by=by)


def test_the_rollup_and_the_visits_agree_for_one_site_or_one_mode(program, places):
    same(calendar_year(2025), site=places["fixed"])
    same(calendar_year(2025), mode="mobile", by=("site",))
    same(month(2025, 10), site=places["van"], by=("mode",))


def test_a_visit_recorded_after_the_build_counts_at_once(program, dana, places):
    before = same(month(2025, 10)).value("syringes_distributed")
    encounter_record(actor=dana, client_id=uuid.uuid4(), site=places["van"], service_mode="mobile",
                     occurred_at=at(datetime.date(2025, 10, 30)), source="import",
                     supplies=[(item('1 mL 28G 1/2" syringe'), 30)])

    # Before the worker's next refresh the report counts from the visits, and says so.
    assert rollup_current() is None
    meanwhile = compute(month(2025, 10))
    assert (meanwhile.source, meanwhile.value("syringes_distributed")) == (EXACT, before + 30)
    assert same(month(2025, 10)).value("syringes_distributed") == before + 30


def test_a_visit_voided_after_the_build_stops_counting(program, dana):
    results = same(month(2025, 10))
    visit = Encounter.objects.filter(voided_at__isnull=True, syringes_returned=15).get()
    encounter_void(actor=dana, encounter=visit, reason="wrong participant")
    assert rollup_current() is None
    assert compute(month(2025, 10)).value("encounters") == results.value("encounters") - 1

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


def writes_during(function) -> list[str]:
    """The INSERT, UPDATE and DELETE statements that `function()` sends to the database."""
    from django.db import connection

    writes = []

    def watch(execute, sql, params, many, context):
        if sql.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE", "REPLACE"):
            writes.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        function()
    return writes


@pytest.mark.parametrize("rollup", ["never built", "current", "behind"])
def test_reading_a_report_writes_nothing(program, dana, places, rollup):
    from haven.reports.report import EXACT as EXACT_REPORT
    from haven.reports.report import SHAREABLE, build_report
    from haven.reports.templates_lookup import template_by_slug

    if rollup != "never built":
        rollup_refresh()
    if rollup == "behind":
        encounter_record(actor=dana, client_id=uuid.uuid4(), site=places["van"], service_mode="mobile",
                         occurred_at=at(datetime.date(2025, 10, 30)), source="import")
    template = template_by_slug("ssp-annual-summary")

    writes = writes_during(lambda: [
        compute(calendar_year(2025), by=("month", "site")), compute(month(2025, 10)),
        build_report(template, calendar_year(2025), kind=EXACT_REPORT),
        build_report(template, calendar_year(2025), kind=SHAREABLE)])

    assert writes == []
    assert compute(month(2025, 10)).source == (SUMMARY if rollup == "current" else EXACT)


def test_the_first_build_goes_in_chunks_and_counts_what_the_visits_count(program, dana, monkeypatch):
    from haven.reports import rollup

    monkeypatch.setattr(rollup, "PENDING_WINDOW", 2)
    last = Encounter.objects.order_by("-pk").first().pk
    voided_before = Encounter.objects.filter(voided_at__isnull=True).order_by("pk")[1]
    encounter_void(actor=dana, encounter=voided_before, reason="wrong site")
    from haven.reports import rollup

    steps = 0
    while RollupState.objects.filter(built_at__isnull=False).count() == 0:
        rollup._build_step(2)
        steps += 1
        if steps == 3:  # a void in the middle of the build is taken away exactly once
            later = Encounter.objects.filter(voided_at__isnull=True, pk__lte=last).order_by("-pk")[0]
            encounter_void(actor=dana, encounter=later, reason="recorded twice")
        assert steps < 100

    assert steps > 3
    assert rollup_current() is None  # the void in the middle is not caught up yet
    same(calendar_year(2025), by=("month", "site"))
    same(calendar_year(2025), by=("mode",))


def test_people_over_two_years_and_across_sites_and_modes_are_counted_once(program, dana, places):
    # One participant who comes to two sites in two modes, in two years: each count of people read
    # from the rollup (per site, per mode, per both, in total; one year or two) equals the visits'.
    from haven.participants.models import Participant

    person = Participant.objects.order_by("pk").first()
    for moment, site, mode in ((datetime.date(2024, 12, 30), "fixed", "fixed"),
                               (datetime.date(2025, 3, 2), "van", "mobile"),
                               (datetime.date(2025, 3, 9), "fixed", "outreach")):
        encounter_record(actor=dana, client_id=uuid.uuid4(), site=places[site], service_mode=mode,
                         participant=person, occurred_at=at(moment), source="import")
    two_years = Period(datetime.date(2024, 1, 1), datetime.date(2026, 1, 1), "2024 and 2025")
    some_months = Period(datetime.date(2025, 3, 1), datetime.date(2025, 10, 1), "March to September 2025")
    for period in (calendar_year(2025), month(2025, 3), some_months, two_years):
        for by in [(), ("site",), ("mode",), ("site", "mode")]:
            assert same(period, by=by).value("unique_participants") > 0
        same(period, site=places["fixed"], by=("mode",))
        same(period, mode="fixed", by=("site",))


def yearly_months_from_the_visits() -> dict[tuple, int]:
    """(participant, site, mode, year) -> month bits, and the same per site, per mode and in total,
    counted from the visits themselves."""
    from django.utils import timezone

    from haven.reports.rollup import ALL_MODES, ALL_SITES

    months: dict[tuple, int] = {}
    for person, site, mode, moment in Encounter.objects.filter(
            voided_at__isnull=True, participant__isnull=False).values_list(
            "participant_id", "site_id", "service_mode", "occurred_at"):
        local = timezone.localtime(moment)
        for key in ((person, site, mode), (person, site, ALL_MODES), (person, ALL_SITES, mode),
                    (person, ALL_SITES, ALL_MODES)):
            months[(*key, local.year)] = months.get((*key, local.year), 0) | 1 << (local.month - 1)
    return months


def test_first_visits_and_yearly_months_built_in_chunks_are_the_visits_own(program, dana, places, monkeypatch):
    # Built two visit ids at a time: one person's visits fall in several chunks, a visit recorded
    # later took place earlier (a first visit moves back), two visits at the same moment (the lower
    # id is the first), and one visit is reversed (voided) before the build.
    from haven.participants.models import Participant
    from haven.reports import rollup
    from haven.reports.models import FirstVisit, ParticipantYear

    person = Participant.objects.order_by("pk").first()
    other = Participant.objects.order_by("pk").last()
    for moment, site, mode, who in ((datetime.date(2025, 11, 5), "van", "mobile", person),
                                    (datetime.date(2025, 6, 1), "fixed", "outreach", other),
                                    (datetime.date(2024, 12, 30), "fixed", "fixed", person),
                                    (datetime.date(2025, 3, 9), "van", "mobile", person),
                                    (datetime.date(2024, 2, 1), "van", "mobile", other),
                                    (datetime.date(2024, 2, 1), "fixed", "fixed", other)):
        encounter_record(actor=dana, client_id=uuid.uuid4(), site=places[site], service_mode=mode,
                         participant=who, occurred_at=at(moment), source="import")
    reversed_visit = Encounter.objects.filter(participant=person, voided_at__isnull=True).order_by("-occurred_at")[0]
    encounter_void(actor=dana, encounter=reversed_visit, reason="wrong participant")
    monkeypatch.setattr(rollup, "PENDING_WINDOW", 2)

    steps = 0
    while RollupState.objects.filter(built_at__isnull=False).count() == 0:
        rollup._build_step(2)
        steps += 1
    assert steps > 5

    first = {}
    for visit in Encounter.objects.filter(voided_at__isnull=True, participant__isnull=False).order_by(
            "occurred_at", "pk"):
        first.setdefault(visit.participant_id, (visit.pk, visit.occurred_at, visit.site_id, visit.service_mode))
    assert {row.participant_id: (row.encounter_id, row.occurred_at, row.site_id, row.service_mode)
            for row in FirstVisit.objects.all()} == first
    assert first[person.pk][1] == at(datetime.date(2024, 12, 30))  # recorded after a later visit
    assert first[other.pk][2] == places["van"].pk  # at the same moment as a visit with a higher id
    assert {(row.participant_id, row.site_id, row.service_mode, row.year): row.months
            for row in ParticipantYear.objects.all()} == yearly_months_from_the_visits()
    reach_is_the_rows_own()


def test_the_build_pauses_between_its_transactions_as_long_as_a_waiting_writer_sleeps():
    # SQLite's busy handler sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50 ms, then 100 ms at a time.
    from haven.reports.rollup import _busy_sleep

    assert [_busy_sleep(seconds) for seconds in (0, 0.002, 0.05, 0.1, 0.2, 0.3, 5)] == [
        0.001, 0.002, 0.02, 0.025, 0.05, 0.1, 0.1]


def test_a_visit_in_a_mode_that_is_no_longer_offered_is_counted_by_the_build(program, monkeypatch):
    # SQLite packs the mode into a number while it sums a chunk's supplies; a mode outside today's
    # choices (an old import) sends that chunk the usual way.
    from haven.reports import rollup

    Encounter.objects.filter(pk=Encounter.objects.filter(voided_at__isnull=True).order_by("pk")[0].pk).update(
        service_mode="van_legacy")
    monkeypatch.setattr(rollup, "PENDING_WINDOW", 2)
    while RollupState.objects.filter(built_at__isnull=False).count() == 0:
        rollup._build_step(2)

    assert ActivityRollup.objects.filter(service_mode="van_legacy", kind="supply").exists()
    same(calendar_year(2025), by=("mode",))
    same(month(2025, 10), by=("month", "site"))


def test_the_build_leaves_every_index_and_constraint_of_the_rollup_tables(program):
    # On PostgreSQL a first build drops some and makes them again before it ends.
    from django.db import connection

    from haven.reports.models import FirstVisit, MonthReach, ParticipantVisit, ParticipantYear

    rollup_refresh()

    with connection.cursor() as cursor:
        for model in (ParticipantYear, ParticipantVisit, FirstVisit, MonthReach, ActivityRollup):
            present = connection.introspection.get_constraints(cursor, model._meta.db_table)
            assert {made.name for made in [*model._meta.indexes, *model._meta.constraints]} <= set(present)


def test_a_voided_visit_takes_its_person_out_of_the_month_counts(program, dana, places):
    # The only visit of anyone in 2023: once it is voided, no count of 2023 is left, not even a zero.
    from haven.reports.models import MonthReach

    lone, _new = encounter_record(actor=dana, client_id=uuid.uuid4(), site=places["van"], service_mode="mobile",
                                  participant=program["p1"], occurred_at=at(datetime.date(2023, 5, 4)),
                                  source="import")
    assert same(calendar_year(2023)).value("unique_participants") == 1
    assert MonthReach.objects.filter(year=2023).exists()

    encounter_void(actor=dana, encounter=lone, reason="recorded twice")

    assert same(calendar_year(2023)).value("unique_participants") == 0
    assert not MonthReach.objects.filter(year=2023).exists()
