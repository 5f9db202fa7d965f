"""Coordinator Dana's home: today's and this week's numbers, their trend over a chosen period and
site, and what needs attention; computed exactly, in a bounded number of queries, writing nothing."""

import datetime
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from haven.reports.home import coordinator_home, plan_for
from haven.reports.tests.coordinator_program import TODAY, make_coordinator_program
from haven.reports.tests.test_rollup import writes_during


@pytest.fixture
def program(dana, places):
    return make_coordinator_program(dana, places)


def table(home) -> dict[str, tuple[int, int, int]]:
    return {number.key: (number.today, number.week, number.period) for number in home["numbers"]}


def test_today_this_week_and_the_last_7_days_for_all_sites(program):
    home = coordinator_home(today=TODAY, period_key="7d")

    assert table(home) == {
        "visits": (1, 2, 3),  # the voided visit of today does not count
        "people": (1, 1, 1),
        "syringes_out": (20, 20, 30),
        "syringes_back": (15, 15, 15),
        "naloxone": (2, 4, 4),
        "overdoses": (1, 2, 2),
        "samples": (1, 1, 1),
    }


def test_the_trend_has_one_point_per_day_and_adds_up_to_the_period(program):
    home = coordinator_home(today=TODAY, period_key="7d")
    visits = next(number for number in home["numbers"] if number.key == "visits")

    assert home["plan"].bucket_labels == ["16 Oct", "17 Oct", "18 Oct", "19 Oct", "20 Oct", "21 Oct", "22 Oct"]
    assert visits.trend == [0, 1, 0, 0, 1, 0, 1]
    assert len(home["charts"]) == 3 and all("<svg" in chart for chart in home["charts"])


def test_four_weeks_reach_back_to_the_first_of_october(program):
    numbers = table(coordinator_home(today=TODAY, period_key="28d"))
    assert numbers["visits"][2] == 4 and numbers["people"][2] == 2 and numbers["syringes_out"][2] == 40


@pytest.mark.parametrize(("period", "buckets", "first"), [("13w", 13, "28 Jul"), ("12m", 12, "Nov 2024")])
def test_weeks_and_months_are_buckets_of_their_own(program, period, buckets, first):
    home = coordinator_home(today=TODAY, period_key=period)
    assert len(home["plan"].bucket_labels) == buckets and home["plan"].bucket_labels[0] == first
    assert table(home)["visits"] == (1, 2, 4)


def test_one_site_counts_its_own_visits_samples_and_the_overdoses_of_its_area(program, places):
    numbers = table(coordinator_home(today=TODAY, period_key="7d", site=places["fixed"]))
    assert numbers["visits"] == (1, 1, 2)
    assert numbers["naloxone"] == (2, 2, 2)
    assert numbers["overdoses"] == (1, 1, 1)  # Northside's; the Eastside report is the van's area
    assert numbers["samples"] == (1, 1, 1)


def test_the_week_starts_on_monday_even_when_the_period_is_shorter():
    plan = plan_for("7d", datetime.date(2025, 10, 26))  # a Sunday
    assert plan.week_start.date() == datetime.date(2025, 10, 20)
    assert plan.earliest.date() == datetime.date(2025, 10, 20)


def test_reading_the_home_writes_nothing(program):
    for period in ("7d", "28d", "13w", "12m"):
        assert writes_during(lambda period=period: coordinator_home(today=TODAY, period_key=period)) == []


# Sites for the filter, visits, people (two), supplies, overdoses, samples; needs attention: expiring
# stock, alert drafts, imports. A page adds the session, the user and the OTP device.
MAX_QUERIES_FOR_THE_NUMBERS = 12
MAX_QUERIES_FOR_THE_PAGE = {"sqlite": 24, "postgresql": 24}


def test_the_numbers_take_a_fixed_number_of_queries_however_many_visits(dana, places, django_assert_max_num_queries):
    make_coordinator_program(dana, places, copies=1)
    with django_assert_max_num_queries(MAX_QUERIES_FOR_THE_NUMBERS) as few:
        coordinator_home(today=TODAY, period_key="28d")
    # Thirty more visits over twenty days: the same queries.
    from haven.encounters.actions import encounter_record
    from haven.reports.tests.fixed_program import at, item

    for number in range(30):
        encounter_record(actor=dana, client_id=uuid.uuid4(), site=places["van"], service_mode="mobile",
                         occurred_at=at(TODAY - datetime.timedelta(days=number % 20)), source="import",
                         supplies=[(item('1 mL 28G 1/2" syringe'), 5)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        coordinator_home(today=TODAY, period_key="28d")


def test_the_page_takes_a_bounded_number_of_queries(program, dana, client_as, django_assert_max_num_queries):
    client = client_as(dana)
    client.get("/")  # the brand and the session are cached or warm from here on
    with django_assert_max_num_queries(MAX_QUERIES_FOR_THE_PAGE[connection.vendor]):
        response = client.get("/?period=28d")
    assert response.status_code == 200


def test_the_page_shows_the_numbers_and_the_filters(program, dana, client_as):
    page = client_as(dana).get("/").content.decode()
    assert "The program at a glance" in page
    assert 'name="period"' in page and 'name="site"' in page
    assert page.count('<svg') >= 3 and "Needs attention" in page
    assert "style=" not in page


def test_the_site_and_period_filters_are_applied(program, dana, client_as, places):
    response = client_as(dana).get(f"/?period=28d&site={places['van'].pk}")
    home = response.context["coordinator"]
    assert response.status_code == 200
    assert home["site"] == places["van"] and home["plan"].period_key == "28d"
    assert "East van" in response.content.decode()


@pytest.mark.parametrize(("query", "field", "message"), [
    ("period=forever", "period", "Choose a period from the list."),
    ("site=999999", "site", "Choose a site from the list."),
    ("site=north", "site", "Choose a site from the list."),
    ("site=%00", "site", "Null characters are not allowed."),
])
def test_a_bad_filter_is_named_and_the_defaults_are_shown(program, dana, client_as, query, field, message):
    response = client_as(dana).get(f"/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Some filters were not understood" in response.content.decode()
    home = response.context["coordinator"]
    assert home["plan"].period_key == "7d" and home["site"] is None


def test_staff_and_peers_keep_their_own_home(program, bob, carol, client_as):
    for person in (bob, carol):
        response = client_as(person).get("/?period=forever")
        assert response.status_code == 200 and "coordinator" not in response.context
        assert "The program at a glance" not in response.content.decode()


def test_needs_attention_lists_expiring_naloxone_alerts_to_review_and_imports_with_errors(dana, places, client_as):
    from haven.alerts.actions import alert_create
    from haven.alerts.models import Alert
    from haven.core.audit import audit_record
    from haven.inventory.actions import stock_receive
    from haven.inventory.models import Item

    naloxone = Item.objects.get(name="Naloxone nasal spray 4 mg (2-dose kit)")
    soon = timezone.localdate() + datetime.timedelta(days=12)
    stock_receive(actor=dana, site=places["fixed"], item=naloxone, quantity=4, lot_number="NX-SOON", expires_on=soon)
    alert_create(actor=dana, title="Fentanyl found in a sample sold as heroin", body="Test first.",
                 severity=Alert.Severity.URGENT)
    audit_record(actor=dana, action="import", object_type="overdose.import", object_id="abc",
                 detail={"rows": 10, "created": 8, "skipped_rows": 2})

    page = client_as(dana).get("/").content.decode()

    assert f"lot NX-SOON at North drop-in expires on {soon.day} {soon:%b} {soon.year}" in page
    assert "1 alert draft waits for review (1 urgent)." in page
    assert "skipped 2 rows with errors." in page and 'href="/overdose/import/"' in page
    assert page.count("NX-SOON") == 1  # not again in the stock warnings


def test_nothing_needs_attention_says_so(dana, client_as):
    assert "Nothing needs attention" in client_as(dana).get("/").content.decode()


def test_opening_the_home_page_writes_nothing_but_the_session(program, dana, client_as):
    client = client_as(dana)

    writes = writes_during(lambda: [client.get(f"/?period={period}") for period in ("7d", "28d", "13w", "12m")])

    # Every request renews the session's expiry (SESSION_SAVE_EVERY_REQUEST: the idle sign-out); that
    # is the only write.
    assert writes and all(sql.startswith('UPDATE "django_session"') for sql in writes)
