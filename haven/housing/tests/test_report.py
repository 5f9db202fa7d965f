"""The housing report: people housed, median days from assessment to move-in, retention, beds offered and
used, by site; small cells are suppressed with the shared engine when the report leaves the program."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.housing import actions, funder, queries
from haven.participants.actions import participant_enroll

TODAY = timezone.localdate()
START, END = TODAY - datetime.timedelta(days=400), TODAY + datetime.timedelta(days=1)


@pytest.fixture
def housed(bob, places):
    """Twelve people housed from the drop-in, two from the van; each after 20 + i days."""
    people = []
    for index in range(14):
        site = places["fixed"] if index < 12 else places["van"]
        person = participant_enroll(actor=bob, code=f"HS{index % 12 + 1:02d}{70 + index:02d}X", site=site)
        journey = actions.journey_start(actor=bob, participant=person, site=site,
                                        assessed_on=TODAY - datetime.timedelta(days=300))
        actions.move_in(actor=bob, journey=journey, on=TODAY - datetime.timedelta(days=280 - index))
        people.append(journey)
    return people


def test_exact_report_counts_people_housed_and_the_median(housed):
    rows = {row.site: row for row in queries.housing_report(START, END, exact=True)}
    assert (rows["North drop-in"].housed, rows["East van"].housed, rows[""].housed) == (12, 2, 14)
    assert rows["North drop-in"].median_days == statistics_median([20 + i for i in range(12)])
    assert rows["North drop-in"].due_6 == 12  # every 6-month mark fell in the period


def statistics_median(values):
    import statistics

    return statistics.median(values)


def test_suppressed_report_hides_small_cells_and_their_median(housed):
    rows = {row.site: row for row in queries.housing_report(START, END, exact=False)}
    assert rows["East van"].housed == "<11"
    assert rows["East van"].median_days == "–"
    assert rows["North drop-in"].housed != 12 or rows[""].housed != 14  # a total cannot give the small cell away


def test_the_report_page_and_csv(client_as, dana, housed):
    client = client_as(dana)
    page = client.get(reverse("housing-report") + "?suppressed=1").content.decode()
    assert "&lt;11" in page
    csv_text = client.get(reverse("housing-report-csv")).content.decode("utf-8-sig")
    assert "<11" in csv_text and csv_text.startswith("site,people_housed")


def test_the_funder_template_parses_and_fills_by_site(client_as, dana, housed):
    [template] = funder.housing_templates()
    assert template.slug == "housing-first-grant" and template.columns == "site"
    url = reverse("housing-funder-report", args=[template.slug])
    page = client_as(dana).get(f"{url}?start={START.isoformat()}&end={TODAY.isoformat()}").content.decode()
    assert "Median days from needs assessment to move-in" in page and "&lt;11" in page
    this_quarter = client_as(dana).get(url)
    assert this_quarter.context["start"] == TODAY.replace(month=(TODAY.month - 1) // 3 * 3 + 1, day=1)


def test_peers_cannot_read_the_report(client_as, carol):
    assert client_as(carol).get(reverse("housing-report")).status_code == 403
