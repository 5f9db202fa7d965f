"""POST and GET /api/encounters: with an API token, and from the browser session with CSRF."""

import uuid

import pytest
from django.test import Client

from haven.accounts.models import ApiToken
from haven.accounts.tokens import new_token_parts
from haven.encounters.models import Encounter
from haven.encounters.tests.support import lines_of, row_counts
from haven.testing import personas


def token_client(user):
    lookup, token = new_token_parts()
    ApiToken.objects.create(user=user, name="van tablet", lookup=lookup, digest=ApiToken.digest_of(token))
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def body(places, catalog, **overrides):
    return {
        "client_id": str(uuid.uuid4()), "participant": None, "site_id": places["fixed"].pk, "service_mode": "fixed",
        "occurred_at": None,
        "supplies": [{"item_id": catalog["fentanyl_strip"].pk, "quantity": 2}],
        "kits": [{"kit_id": catalog["naloxone_kit"].pk, "count": 1}],
        "services": [catalog["hiv_test"].pk], "syringes_returned": 30, "returns_estimated": False,
        "sharps_containers_returned": 0, "secondary_people": 0,
        "reversals": [{"occurred_on": None, "naloxone_doses_used": 2, "outcome": "survived",
                       "emergency_services_called": "no", "area_id": places["north"].pk}],
        "source": "api", **overrides,
    }


def post(client, data):
    return client.post("/api/encounters", data, content_type="application/json")


def test_a_token_creates_a_visit(bob, places, catalog):
    response = post(token_client(bob), body(places, catalog))

    assert response.status_code == 201
    encounter = Encounter.objects.get(pk=response.json()["id"])
    assert response.json() == {"id": encounter.pk, "client_id": str(encounter.client_id), "created": True}
    assert encounter.source == "api" and encounter.staff == bob
    assert lines_of(encounter) == {("Fentanyl test strip", None): 2,
                                   ("Naloxone nasal spray 4 mg (2-dose kit)", "Naloxone kit"): 1}
    assert encounter.reversals.get().area == places["north"]


def test_a_token_lists_visits_with_doses_counted(bob, places, catalog):
    client = token_client(bob)
    created = post(client, body(places, catalog)).json()

    listed = client.get("/api/encounters").json()

    assert listed["count"] == 1
    row = listed["items"][0]
    assert row["id"] == created["id"]
    assert row["naloxone_doses_given"] == 2
    assert row["participant"] is None
    assert {"item_id": catalog["fentanyl_strip"].pk, "quantity": 2, "kit_id": None} in row["supplies"]


def test_the_list_filters_by_time(bob, places, catalog):
    client = token_client(bob)
    post(client, body(places, catalog))

    assert client.get("/api/encounters?since=2999-01-01T00:00:00Z").json()["count"] == 0
    assert client.get("/api/encounters?since=2000-01-01T00:00:00Z").json()["count"] == 1


@pytest.mark.parametrize(("overrides", "field"), [
    ({"site_id": 999999}, "site"),
    ({"supplies": [{"item_id": 999999, "quantity": 1}]}, "item-999999"),
    ({"kits": [{"kit_id": 999999, "count": 1}]}, "kit-999999"),
    ({"services": [999999]}, "services"),
    ({"participant": "ZZZZZZ"}, "participant"),
    ({"reversals": [{"area_id": 999999}]}, "reversal-area"),
])
def test_unknown_ids_are_a_422_not_a_500(bob, places, catalog, overrides, field):
    before = row_counts()

    response = post(token_client(bob), body(places, catalog, **overrides))

    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert row_counts() == before


def test_a_negative_count_is_a_422_with_the_field(bob, places, catalog):
    response = post(token_client(bob), body(places, catalog, syringes_returned=-4))

    assert response.status_code == 422
    assert response.json()["errors"] == {"syringes_returned": ["Must be 0 or more."]}


def test_a_malformed_body_is_a_422(bob, places, catalog):
    response = post(token_client(bob), {**body(places, catalog), "client_id": "nope"})

    assert response.status_code == 422
    assert not Encounter.objects.exists()


def test_the_browser_session_posts_with_the_csrf_token(bob, places, catalog):
    client = personas.sign_in(Client(enforce_csrf_checks=True), bob)
    page = client.get("/encounters/new/").content.decode()
    token = page.split('name="csrf-token" content="')[1].split('"')[0]

    refused = post(client, body(places, catalog))
    accepted = client.post("/api/encounters", body(places, catalog, source="offline"),
                           content_type="application/json", HTTP_X_CSRFTOKEN=token)

    assert refused.status_code in (401, 403)
    assert accepted.status_code == 201
    assert Encounter.objects.get().source == "offline"


def test_same_as_last_time_through_the_api(bob, places, catalog, participant):
    client = token_client(bob)
    first = post(client, body(places, catalog, participant=participant.display_id)).json()

    response = post(client, {"client_id": str(uuid.uuid4()), "participant": participant.display_id,
                             "site_id": places["fixed"].pk, "repeat": True, "source": "offline"})

    assert response.status_code == 201
    again = Encounter.objects.get(pk=response.json()["id"])
    assert lines_of(again) == lines_of(Encounter.objects.get(pk=first["id"]))
    assert again.service_mode == "fixed"  # from the kind of site


def test_anonymous_callers_are_told_to_authenticate(places, catalog, anonymous_client):
    assert post(anonymous_client, body(places, catalog)).status_code == 401
    assert anonymous_client.get("/api/encounters").status_code == 401
