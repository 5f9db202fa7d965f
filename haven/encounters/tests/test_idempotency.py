"""The same client_id twice (a double tap, a retry, an offline queue syncing again) is one visit."""

import uuid

from django.test import Client

from haven.accounts.models import ApiToken
from haven.accounts.tokens import new_token_parts
from haven.encounters import actions
from haven.encounters.models import Encounter
from haven.encounters.tests.support import row_counts


def test_recording_twice_with_one_client_id_makes_one_encounter(bob, places, catalog):
    client_id = uuid.uuid4()
    first, created = actions.encounter_record(actor=bob, client_id=client_id, site=places["fixed"],
                                              service_mode="fixed", supplies=[(catalog["syringe"], 10)])
    before = row_counts()

    again, created_again = actions.encounter_record(actor=bob, client_id=client_id, site=places["fixed"],
                                                    service_mode="fixed", supplies=[(catalog["syringe"], 10)])

    assert created and not created_again
    assert again == first
    assert row_counts() == before


def test_a_retry_with_different_counts_still_returns_the_first_visit(bob, places, catalog):
    client_id = str(uuid.uuid4())
    first, _ = actions.encounter_record(actor=bob, client_id=client_id, site=places["fixed"], service_mode="fixed")

    again, created = actions.encounter_record(actor=bob, client_id=client_id, site=places["fixed"],
                                              service_mode="fixed", supplies=[(catalog["syringe"], -5)])

    assert (again, created) == (first, False)


def test_the_form_posted_twice_saves_one_visit(bob, places, catalog, client_as):
    client = client_as(bob)
    form = {"client_id": str(uuid.uuid4()), "participant": "", "site": places["fixed"].pk, "service_mode": "fixed",
            f"item-{catalog['syringe'].pk}": "10"}

    client.post("/encounters/new/", form)
    response = client.post("/encounters/new/", form, follow=True)

    assert Encounter.objects.count() == 1
    assert "already saved" in response.content.decode()


def test_the_api_answers_200_and_created_false_for_a_repeated_client_id(bob, places, catalog):
    lookup, token = new_token_parts()
    ApiToken.objects.create(user=bob, name="van tablet", lookup=lookup, digest=ApiToken.digest_of(token))
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    body = {"client_id": str(uuid.uuid4()), "site_id": places["fixed"].pk, "service_mode": "fixed",
            "supplies": [{"item_id": catalog["syringe"].pk, "quantity": 10}], "source": "offline"}

    first = client.post("/api/encounters", body, content_type="application/json")
    second = client.post("/api/encounters", body, content_type="application/json")

    assert first.status_code == 201 and first.json()["created"] is True
    assert second.status_code == 200 and second.json() == {**first.json(), "created": False}
    assert Encounter.objects.count() == 1


def test_a_lost_race_on_the_client_id_returns_the_winner(bob, places, monkeypatch):
    """Two requests pass the first check at once; the database's unique key decides."""
    client_id = uuid.uuid4()
    winner, _ = actions.encounter_record(actor=bob, client_id=client_id, site=places["fixed"], service_mode="fixed")
    real_existing = actions._existing
    calls = []

    def not_yet_then_real(value):
        calls.append(value)
        return None if len(calls) == 1 else real_existing(value)

    monkeypatch.setattr(actions, "_existing", not_yet_then_real)

    found, created = actions.encounter_record(actor=bob, client_id=client_id, site=places["fixed"],
                                              service_mode="fixed")

    assert (found, created) == (winner, False)
    assert Encounter.objects.count() == 1
