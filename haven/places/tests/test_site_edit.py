import pytest
from django.core.exceptions import ValidationError

from haven.core.models import AuditEvent
from haven.places import actions


def test_coordinator_changes_a_sites_hours_and_only_that_field_is_audited(dana, places, client_as):
    van = places["van"]
    response = client_as(dana).post(f"/places/sites/{van.pk}/", {
        "name": "East van", "kind": "mobile", "area": places["east"].pk, "hours_per_week": "16", "active": "on",
    })

    assert response.status_code == 302
    van.refresh_from_db()
    assert van.hours_per_week == 16
    event = AuditEvent.objects.get(object_type="places.site", object_id=str(van.pk))
    assert event.action == "update"
    assert event.detail == {"fields": ["hours_per_week"]}


def test_saving_without_changes_writes_no_audit_entry(dana, places):
    actions.site_update(actor=dana, site=places["van"], name="East van", hours_per_week=12)

    assert not AuditEvent.objects.exists()


def test_a_failed_update_leaves_the_site_as_it_was(dana, places):
    van = places["van"]

    with pytest.raises(ValidationError):
        actions.site_update(actor=dana, site=van, name="North drop-in", hours_per_week=20)

    assert van.name == "East van"
    assert van.hours_per_week == 12
    van.refresh_from_db()
    assert van.name == "East van"


def test_a_site_keeps_its_area_after_the_area_is_deactivated(dana, places):
    actions.area_update(actor=dana, area=places["east"], active=False)

    site = actions.site_update(actor=dana, site=places["van"], hours_per_week=10)

    assert site.area == places["east"]


def test_staff_cannot_edit_a_site(bob, places, client_as):
    assert client_as(bob).get(f"/places/sites/{places['fixed'].pk}/").status_code == 403


def test_editing_a_site_that_does_not_exist_is_not_found(dana, client_as):
    assert client_as(dana).get("/places/sites/9999/").status_code == 404
