"""GET /api/offline/key and /api/offline/participants: what a device may hold to find participants
offline. Bob works at the fixed site, Carol on the van."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from haven.core.models import AuditEvent
from haven.core.tests.test_api import token_for
from haven.encounters.actions import encounter_record, encounter_void
from haven.encounters.tests.conftest import catalog  # noqa: F401  (a fixture)
from haven.offline.queries import CACHE_DAYS
from haven.participants.actions import participant_enroll, participant_merge
from haven.participants.models import Participant
from haven.testing import personas

KEY_URL = "/api/offline/key"
CACHE_URL = "/api/offline/participants"


def visit(actor, participant, site, *, days_ago=0, supplies=(), new_id=None):
    import uuid

    encounter, _created = encounter_record(
        actor=actor, client_id=new_id or uuid.uuid4(), site=site, service_mode="fixed", participant=participant,
        occurred_at=timezone.now() - datetime.timedelta(days=days_ago), supplies=list(supplies), source="web")
    return encounter


@pytest.fixture
def seen(bob, carol, dana, places, catalog):  # noqa: F811
    """Four people: one seen at Bob's site this week, one seen there long ago, one seen only on
    Carol's van, one whose only visit at Bob's site was voided."""
    people = {name: participant_enroll(actor=dana, code=code, site=places["fixed"])
              for name, code in (("recent", "MA0385B"), ("old", "JO0190C"), ("van", "LU1277D"), ("void", "RA0562E"))}
    visit(bob, people["recent"], places["fixed"], days_ago=8, supplies=[(catalog["condom"], 3)])
    visit(bob, people["recent"], places["fixed"], days_ago=2, supplies=[(catalog["cooker"], 5)])
    visit(bob, people["old"], places["fixed"], days_ago=CACHE_DAYS + 1)
    visit(carol, people["van"], places["van"], days_ago=1)
    voided = visit(bob, people["void"], places["fixed"], days_ago=1)
    encounter_void(actor=dana, encounter=voided, reason="Entered twice")
    return people


def test_staff_get_the_participants_seen_at_their_own_sites_lately_with_their_last_visit(client_as, bob, seen):
    response = client_as(bob).get(CACHE_URL)

    assert response.status_code == 200
    body = response.json()
    assert [entry["display_id"] for entry in body["participants"]] == [seen["recent"].display_id]
    last = body["participants"][0]["last_visit"]
    assert last["supplies"] == [{"name": "Cooker", "quantity": 5, "kit": ""}]
    assert last["site"] == "North drop-in"
    assert body["days"] == CACHE_DAYS


def test_the_cache_holds_no_code_and_no_code_hash(client_as, bob, seen):
    text = client_as(bob).get(CACHE_URL).content.decode()

    participant = Participant.objects.get(pk=seen["recent"].pk)
    assert "MA0385B" not in text
    assert participant.code_index not in text
    assert "code" not in json.dumps(list(json.loads(text)["participants"][0]))


def test_peer_carol_gets_only_the_van_s_participants(client_as, carol, seen):
    body = client_as(carol).get(CACHE_URL).json()

    assert [entry["display_id"] for entry in body["participants"]] == [seen["van"].display_id]


def test_a_coordinator_with_no_site_of_their_own_gets_an_empty_cache(client_as, dana, seen):
    assert client_as(dana).get(CACHE_URL).json()["participants"] == []


def test_a_merged_record_appears_once_under_the_record_it_was_merged_into(client_as, bob, dana, places, seen):
    participant_merge(actor=dana, keep=seen["van"], duplicate=seen["recent"])

    body = client_as(bob).get(CACHE_URL).json()

    assert [entry["display_id"] for entry in body["participants"]] == [seen["van"].display_id]


def test_every_copy_of_the_cache_is_audited_with_counts_not_ids(client_as, bob, places, seen):
    client_as(bob).get(CACHE_URL)

    event = AuditEvent.objects.get(object_type="offline.participant_cache")
    assert event.actor_id == bob.pk
    assert event.action == "export"
    assert event.detail == {"participants": 1, "sites": [places["fixed"].pk], "days": CACHE_DAYS}


def test_neither_the_key_nor_the_cache_may_be_stored_by_a_cache(client_as, bob, seen):
    client = client_as(bob)

    assert client.get(KEY_URL)["Cache-Control"] == "no-store"
    assert client.get(CACHE_URL)["Cache-Control"] == "no-store"


def test_the_key_stays_for_the_session_and_a_new_session_has_a_new_one(client_as, bob, seen):
    client = client_as(bob)
    first = client.get(KEY_URL).json()
    assert client.get(KEY_URL).json() == first
    assert client.get(CACHE_URL).json()["key_id"] == first["key_id"]

    client.post("/logout/")
    again = personas.sign_in(Client(), bob).get(KEY_URL).json()

    assert again["key_id"] != first["key_id"] and again["key"] != first["key"]
    assert len(first["key"]) == 43  # 32 bytes, base64url without padding


def test_a_token_gets_no_key_and_no_cache(bob, seen):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(bob)}")

    assert client.get(KEY_URL).status_code == 400
    assert client.get(CACHE_URL).status_code == 400
    assert "token" in client.get(KEY_URL).json()["detail"]
    assert not AuditEvent.objects.filter(object_type="offline.participant_cache").exists()


def test_the_public_gets_neither(anonymous_client, seen):
    assert anonymous_client.get(KEY_URL).status_code in (401, 403)
    assert anonymous_client.get(CACHE_URL).status_code in (401, 403)


def test_the_cache_is_bounded_to_the_people_seen_most_recently(client_as, bob, dana, places, seen, monkeypatch):
    from haven.offline import queries

    newest = participant_enroll(actor=dana, code="TI0744F", site=places["fixed"])
    visit(bob, newest, places["fixed"], days_ago=0)
    monkeypatch.setattr(queries, "CACHE_MAX_PARTICIPANTS", 1)

    body = client_as(bob).get(CACHE_URL).json()

    assert [entry["display_id"] for entry in body["participants"]] == [newest.display_id]


def test_signing_in_makes_the_key_before_any_page_asks_for_it(client_as, bob):
    from haven.offline.actions import SESSION_KEY

    client = client_as(bob)
    made = client.session[SESSION_KEY]

    assert client.get(KEY_URL).json()["key_id"] == made["id"]
