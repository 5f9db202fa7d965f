"""POST /api/offline/visits: a visit logged offline by display id, and what the sync does when
something changed while the device was away. Bob works at the fixed site; Dana coordinates."""

import datetime
import uuid

import pytest
from django.utils import timezone

from haven.encounters.models import Encounter
from haven.encounters.tests.conftest import catalog  # noqa: F401  (a fixture)
from haven.offline.tests.test_participant_cache_api import visit
from haven.participants.actions import participant_enroll, participant_merge
from haven.participants.models import Participant

URL = "/api/offline/visits"


@pytest.fixture
def bob_client(client_as, bob):
    return client_as(bob)


@pytest.fixture
def person(dana, places):
    return participant_enroll(actor=dana, code="MA0385B", site=places["fixed"])


def body(places, catalog, participant=None, **fields):  # noqa: F811
    return {"client_id": str(uuid.uuid4()), "participant": participant, "site_id": places["fixed"].pk,
            "occurred_at": timezone.now().isoformat(), "supplies": [{"item_id": catalog["cooker"].pk, "quantity": 2}],
            "source": "offline", **fields}


def send(client, payload):
    return client.post(URL, payload, content_type="application/json")


def test_a_visit_by_display_id_is_recorded_for_that_participant(bob_client, bob, places, catalog, person):  # noqa: F811
    response = send(bob_client, body(places, catalog, person.display_id.lower()))

    assert response.status_code == 201
    assert response.json()["outcome"] == "recorded"
    assert response.json()["detail"] == f"Recorded for {person.display_id}."
    encounter = Encounter.objects.get()
    assert (encounter.participant, encounter.staff, encounter.source) == (person, bob, "offline")
    assert encounter.supplies.get().quantity == 2


def test_sending_the_same_visit_again_records_nothing_more(bob_client, places, catalog, person):  # noqa: F811
    payload = body(places, catalog, person.display_id)

    assert send(bob_client, payload).status_code == 201
    again = send(bob_client, payload)

    assert again.status_code == 200
    assert again.json()["outcome"] == "already"
    assert Encounter.objects.count() == 1


def test_a_participant_merged_meanwhile_gets_the_visit_on_the_record_kept(bob_client, dana, places, catalog, person):  # noqa: F811
    keep = participant_enroll(actor=dana, code="JO0190C", site=places["fixed"])
    participant_merge(actor=dana, keep=keep, duplicate=person)

    response = send(bob_client, body(places, catalog, person.display_id))

    assert response.status_code == 201
    assert response.json()["outcome"] == "merged"
    assert response.json()["participant"] == keep.display_id
    assert person.display_id in response.json()["detail"] and keep.display_id in response.json()["detail"]
    assert Encounter.objects.get().participant == keep


def test_a_participant_erased_meanwhile_leaves_an_anonymous_visit(bob_client, places, catalog, person):  # noqa: F811
    display_id = person.display_id
    Participant.objects.filter(pk=person.pk).delete()  # as an erasure would

    response = send(bob_client, body(places, catalog, display_id))

    assert response.status_code == 201
    assert response.json()["outcome"] == "anonymous"
    assert response.json()["participant"] is None
    encounter = Encounter.objects.get()
    assert encounter.participant is None
    assert encounter.supplies.get().quantity == 2  # the supplies still count


def test_a_visit_already_logged_online_is_not_recorded_twice(bob_client, dana, places, catalog, person):  # noqa: F811
    online = visit(dana, person, places["fixed"])

    response = send(bob_client, body(places, catalog, person.display_id))

    assert response.status_code == 409
    assert response.json()["outcome"] == "duplicate"
    assert response.json()["existing_id"] == online.pk
    assert "dana" in response.json()["detail"]
    assert Encounter.objects.count() == 1


def test_a_duplicate_may_be_sent_anyway_when_it_was_a_second_visit(bob_client, dana, places, catalog, person):  # noqa: F811
    visit(dana, person, places["fixed"])

    response = send(bob_client, body(places, catalog, person.display_id, allow_duplicate=True))

    assert response.status_code == 201
    assert Encounter.objects.count() == 2


def test_a_visit_hours_apart_from_the_online_one_is_not_a_duplicate(bob_client, dana, places, catalog, person):  # noqa: F811
    visit(dana, person, places["fixed"])
    earlier = (timezone.now() - datetime.timedelta(hours=3)).isoformat()

    assert send(bob_client, body(places, catalog, person.display_id, occurred_at=earlier)).status_code == 201


def test_a_site_bob_no_longer_works_at_is_a_conflict_and_nothing_is_saved(bob_client, bob, places, catalog, person):  # noqa: F811
    bob.sites.set([places["van"]])

    response = send(bob_client, body(places, catalog, person.display_id))

    assert response.status_code == 409
    assert response.json()["outcome"] == "site"
    assert "North drop-in" in response.json()["detail"]
    assert not Encounter.objects.exists()


def test_an_anonymous_visit_is_recorded_as_before(bob_client, places, catalog):  # noqa: F811
    response = send(bob_client, body(places, catalog))

    assert response.status_code == 201
    assert response.json()["outcome"] == "recorded"
    assert Encounter.objects.get().participant is None


@pytest.mark.parametrize("change", [
    {"site_id": 2**63}, {"client_id": "not-a-uuid"}, {"participant": "x" * 201}, {"allow_duplicate": "perhaps"},
    {"supplies": [{"item_id": 1, "quantity": -1}]}, {"site_id": 99999},
])
def test_bad_input_is_a_422_that_names_the_field_and_saves_nothing(bob_client, places, catalog, change):  # noqa: F811
    response = send(bob_client, {**body(places, catalog), **change})

    assert response.status_code == 422
    assert response.json()["errors"]
    assert not Encounter.objects.exists()


def test_a_body_that_is_not_json_is_a_400(bob_client):
    assert bob_client.post(URL, b"\x00", content_type="application/json").status_code == 400


def test_the_public_cannot_send_visits(anonymous_client, places, catalog):  # noqa: F811
    assert send(anonymous_client, body(places, catalog)).status_code in (401, 403)
    assert not Encounter.objects.exists()
