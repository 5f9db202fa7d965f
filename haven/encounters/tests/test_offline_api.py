"""What the offline queue relies on: the API records each client_id once, however often it is sent."""

import uuid

from haven.encounters.models import Encounter, EncounterSupply


def payload(places, cooker, **overrides):
    return {
        "client_id": str(uuid.uuid4()), "participant": None, "site_id": places["fixed"].pk, "service_mode": "fixed",
        "occurred_at": "2025-01-01T10:00:00Z", "supplies": [{"item_id": cooker.pk, "quantity": 2}], "kits": [],
        "services": [], "syringes_returned": 0, "returns_estimated": False, "sharps_containers_returned": 0,
        "secondary_people": 0, "reversals": [], "source": "offline", **overrides,
    }


def test_sending_the_same_visit_again_returns_200_and_creates_nothing(bob, places, catalog, client_as):
    client = client_as(bob)
    body = payload(places, catalog["cooker"], occurred_at=None)

    first = client.post("/api/encounters", body, content_type="application/json")
    again = client.post("/api/encounters", body, content_type="application/json")

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Encounter.objects.count() == 1
    assert Encounter.objects.get().source == "offline"
    assert EncounterSupply.objects.count() == 1


def test_a_refused_visit_gets_field_errors_the_queue_can_show(bob, places, catalog, client_as):
    response = client_as(bob).post("/api/encounters", payload(places, catalog["cooker"], occurred_at=None, syringes_returned=-1),
                                   content_type="application/json")

    assert response.status_code == 422
    assert "syringes_returned" in response.json()["errors"]
    assert Encounter.objects.count() == 0
