"""The public drug market view: de-identified, consenting reviewed samples only, small cells suppressed."""

import datetime

from django.utils import timezone

from haven.drugchecking import actions, queries
from haven.drugchecking.models import Sample


def reviewed_sample(by, site, *, expected="mdma", found=("mdma",), consent=True, days_ago=0):
    sample, _code = actions.sample_intake(actor=by, site=site, expected=expected, form="powder",
                                          consent_publish=consent,
                                          received_at=timezone.now() - datetime.timedelta(days=days_ago))
    # Recorded by the instrument import (no person), so `by` may review it (four eyes).
    actions.components_record(actor=None, sample=sample, method="ftir",
                              components=[{"substance": key, "match_score": 0.92} for key in found])
    actions.sample_review(actor=by, sample=sample, advice="- Start with a small amount.")
    return sample


def test_counts_of_ten_or_fewer_are_shown_as_less_than_eleven(places, bob, anonymous_client):
    for _ in range(3):
        reviewed_sample(bob, places["fixed"], found=("mdma", "caffeine"))

    page = anonymous_client.get("/checking/market/").content.decode()

    assert "Sold as MDMA" in page
    assert "&lt;11" in page
    assert ">3<" not in page


def test_large_counts_are_shown_and_non_consenting_samples_are_left_out(places, bob):
    for _ in range(12):
        reviewed_sample(bob, places["fixed"])
    for _ in range(5):
        reviewed_sample(bob, places["fixed"], consent=False)

    (table,) = queries.market_tables()

    assert table.expected == "mdma"
    ((name, cells, total),) = table.rows
    assert name == "MDMA" and cells[-1] == 12 and total == 12


def test_samples_not_reviewed_are_not_counted(places, bob):
    sample, _code = actions.sample_intake(actor=bob, site=places["fixed"], expected="mdma", form="pill",
                                          consent_publish=True)
    actions.strip_record(actor=bob, sample=sample, strip="fentanyl", result="positive")
    assert Sample.objects.count() == 1
    assert queries.market_tables() == []


def test_the_market_page_is_public_and_has_no_inline_styles(places, bob, anonymous_client):
    reviewed_sample(bob, places["fixed"])
    page = anonymous_client.get("/checking/market/").content.decode()
    assert "style=" not in page and "<script>" not in page
    assert "<caption" in page and 'scope="col"' in page


def test_the_chart_is_server_side_svg_that_never_draws_a_hidden_number(places, bob, anonymous_client):
    for _ in range(12):
        reviewed_sample(bob, places["fixed"])
    for _ in range(2):
        reviewed_sample(bob, places["fixed"], found=("mdma", "caffeine"))

    page = anonymous_client.get("/checking/market/").content.decode()

    assert '<svg xmlns="http://www.w3.org/2000/svg" class="haven-chart__svg"' in page
    assert 'role="img"' in page and "<title" in page
    assert "hc-suppressed" in page  # caffeine's 2 is drawn as a hidden cell
    assert ">2<" not in page
    assert "style=" not in page


def test_a_reagent_guess_is_never_counted_on_the_market_page(places, bob, dana, anonymous_client):
    for _ in range(12):
        sample, _code = actions.sample_intake(actor=bob, site=places["fixed"], expected="mdma", form="powder",
                                              consent_publish=True)
        actions.reagent_record(actor=bob, sample=sample, observations={"marquis": "purple", "mecke": "green"})
        actions.sample_review(actor=dana, sample=sample, advice="- Start with a small amount.")

    page = anonymous_client.get("/checking/market/").content.decode()

    assert "Heroin" not in page and "heroin" not in page
    assert "reagent colours only suggest" in page
    assert all(sample.found == [] for sample in Sample.objects.all())
