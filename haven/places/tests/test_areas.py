import pytest
from django.core.exceptions import ValidationError

from haven.core.models import AuditEvent
from haven.places import actions
from haven.places.models import Area


def test_area_page_explains_that_haven_never_records_where_a_participant_lives(carol, client_as):
    content = client_as(carol).get("/places/areas/").content.decode()

    assert "only for aggregate counts" in content
    assert "Haven never records where a participant lives." in content


def test_coordinator_creates_an_area_and_it_is_audited(dana, client_as):
    response = client_as(dana).post("/places/areas/new/", {"name": "Riverside", "kind": "neighbourhood",
                                                          "code": "", "active": "on"})

    assert response.status_code == 302
    area = Area.objects.get(name="Riverside")
    event = AuditEvent.objects.get(object_type="places.area", object_id=str(area.pk))
    assert (event.action, event.actor_label) == ("create", "dana")


def test_a_duplicate_area_name_shows_an_error_and_saves_nothing(dana, client_as):
    response = client_as(dana).post("/places/areas/new/", {"name": "NORTHSIDE", "kind": "county"})

    assert response.status_code == 200
    assert "An area with this name already exists" in response.content.decode()
    assert Area.objects.count() == 2


def test_coordinator_renames_an_area(dana, places, client_as):
    north = places["north"]
    response = client_as(dana).post(f"/places/areas/{north.pk}/", {"name": "North end", "kind": "neighbourhood",
                                                                    "code": "N1", "active": "on"})

    assert response.status_code == 302
    north.refresh_from_db()
    assert (north.name, north.code) == ("North end", "N1")
    assert AuditEvent.objects.get(object_id=str(north.pk)).detail == {"fields": ["name", "code"]}


def test_peer_cannot_create_an_area(carol, client_as):
    response = client_as(carol).post("/places/areas/new/", {"name": "Riverside", "kind": "neighbourhood"})

    assert response.status_code == 403
    assert not Area.objects.filter(name="Riverside").exists()


def test_the_area_action_refuses_a_blank_name(dana, places):
    with pytest.raises(ValidationError):
        actions.area_create(actor=dana, name="  ", kind="county")
