"""The drug checking API router: samples scoped to the caller's sites, never a code or a participant.

Tested with django-ninja's test client on the router itself, and once through /api/ with a token."""

import pytest
from django.test import Client
from ninja.testing import TestClient

from haven.drugchecking import actions
from haven.drugchecking.api import router
from haven.drugchecking.tests.support import fentanyl_positive


@pytest.fixture
def api():
    return TestClient(router)


def test_staff_list_their_sites_samples_without_codes(api, mdma_pill, bob, carol, places):
    sample, code = mdma_pill
    actions.sample_intake(actor=carol, site=places["van"], expected="heroin", form="powder")

    response = api.get("/samples", auth=bob, user=bob)

    assert response.status_code == 200
    assert [item["id"] for item in response.json()] == [sample.pk]
    assert code not in response.content.decode()
    assert "participant" not in response.content.decode()


def test_one_sample_carries_its_tests_and_contradictions(api, mdma_pill, bob):
    sample, _code = mdma_pill
    fentanyl_positive(sample, bob)
    actions.components_record(actor=bob, sample=sample, method="gcms", components=[{"substance": "mdma",
                                                                                      "abundance": "major"}])

    body = api.get(f"/samples/{sample.pk}", auth=bob, user=bob).json()

    assert body["computed_classification"] == "unexpected"
    assert [a["method"] for a in body["analyses"]] == ["strip", "gcms"]
    assert body["analyses"][1]["components"][0]["name"] == "MDMA"
    assert len(body["contradictions"]) == 1


def test_a_sample_at_another_site_is_not_found(api, places, bob, carol):
    other, _code = actions.sample_intake(actor=carol, site=places["van"], expected="heroin", form="powder")
    assert api.get(f"/samples/{other.pk}", auth=bob, user=bob).status_code == 404


def test_the_mounted_api_answers_a_token_and_refuses_without_one(mdma_pill, bob):
    from haven.participants.tests.test_api import api_client

    sample, code = mdma_pill

    listed = api_client(bob).get("/api/checking/samples")
    anonymous = Client().get("/api/checking/samples")

    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()] == [sample.pk]
    assert code not in listed.content.decode()
    assert anonymous.status_code in (401, 403)


def test_reagent_colours_are_presumptive_never_found(api, mdma_pill, bob, dana):
    sample, _code = mdma_pill
    actions.reagent_record(actor=bob, sample=sample, observations={"marquis": "purple, black", "mecke": "green",
                                                                   "mandelin": "purple, black", "simon": "blue"})
    actions.sample_review(actor=dana, sample=sample, advice="- Start with a small amount.")

    body = api.get(f"/samples/{sample.pk}", auth=bob, user=bob).json()

    assert body["found"] == [] and body["computed_classification"] == "inconclusive"
    assert "MDMA" in body["colours_fit_presumptive"]
