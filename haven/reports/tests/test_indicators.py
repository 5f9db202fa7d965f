"""Every indicator matches what was worked out by hand on the fixed program (fixed_program.py)."""

import pytest

from haven.reports.periods import calendar_year, month
from haven.reports.queries import TOTAL, compute
from haven.reports.tests.fixed_program import item, make_fixed_program, service

OCTOBER = month(2025, 10)


@pytest.fixture
def program(dana, places):
    return make_fixed_program(dana, places)


def test_october_program_wide_matches_the_hand_count(program):
    results = compute(OCTOBER)

    expected = {
        "encounters": 5, "anonymous_encounters": 1, "unique_participants": 3, "new_participants": 2,
        "syringes_distributed": 50, "syringes_returned": 20, "return_ratio": 0.4,
        "syringes_per_participant": 16.7, "secondary_exchange_share": 20.0, "program_size_band": "small",
        "naloxone_doses": 4, "reversals_reported": 1, "test_strips": 7, "other_supplies": 41,
        "services_given": 2, "education_given": 1, "referrals_offered": 1, "hours_per_week": 52.0,
        "sites_active": 2,
    }
    assert {key: results.value(key) for key in expected} == expected


def test_naloxone_is_counted_in_doses_by_product(program):
    results = compute(OCTOBER)

    assert results.value("naloxone_doses", sub=item("Naloxone nasal spray 4 mg (2-dose kit)").pk) == 2
    assert results.value("naloxone_doses", sub=item("Naloxone 8 mg nasal (2-dose kit)").pk) == 2


def test_strips_supplies_services_and_referrals_have_their_detail(program):
    results = compute(OCTOBER)

    assert results.value("test_strips", sub="fentanyl") == 5
    assert results.value("test_strips", sub="xylazine") == 2
    assert results.value("other_supplies", sub=item("Cooker").pk) == 10
    assert results.value("other_supplies", sub=item("Tourniquet").pk) == 1
    assert results.value("services_given", sub=service("HIV test").pk) == 1
    assert results.value("referrals_offered", sub=service("Housing").pk) == 1
    assert results.value("sites_active", sub="mobile") == 1


def test_by_site_each_person_counts_where_they_came_and_totals_stay_distinct(program, places):
    results = compute(OCTOBER, by=("site",))
    north, van = (places["fixed"].pk,), (places["van"].pk,)

    assert [results.value("encounters", column) for column in (north, van, TOTAL)] == [3, 2, 5]
    assert [results.value("unique_participants", column) for column in (north, van, TOTAL)] == [2, 1, 3]
    assert [results.value("new_participants", column) for column in (north, van, TOTAL)] == [1, 1, 2]
    assert [results.value("syringes_distributed", column) for column in (north, van)] == [40, 10]
    assert [results.value("hours_per_week", column) for column in (north, van)] == [40.0, 12.0]


def test_by_month_counts_a_person_as_new_only_in_their_first_month(program):
    results = compute(calendar_year(2025), by=("month",))
    september, october = (8,), (9,)

    assert results.value("new_participants", september) == 1
    assert results.value("new_participants", october) == 2
    assert results.value("new_participants") == 3
    assert results.value("encounters", september) == 1
    assert results.value("encounters", october) == 5


def test_a_service_mode_scope_counts_only_those_visits(program):
    results = compute(OCTOBER, mode="mobile")

    assert results.value("encounters") == 2
    assert results.value("anonymous_encounters") == 1
    assert results.value("syringes_distributed") == 10


def test_a_voided_visit_never_counts(program):
    results = compute(OCTOBER)

    assert results.value("syringes_distributed") == 50  # the 100 of the voided visit are not there


def test_a_period_with_no_visits_gives_zeros_and_says_it_is_empty(program):
    results = compute(month(2024, 2))

    assert results.is_empty
    assert results.value("encounters") == 0
    assert results.value("return_ratio") is None
