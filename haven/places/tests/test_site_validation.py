import pytest
from django.core.exceptions import ValidationError

from haven.core.models import AuditEvent
from haven.places import actions
from haven.places.models import Site


def form(**overrides):
    return {"name": "Westside van", "kind": "mobile", "area": "", "hours_per_week": "", "active": "on",
            **overrides}


def test_a_duplicate_name_shows_an_error_and_saves_nothing(dana, client_as):
    response = client_as(dana).post("/places/sites/new/", form(name="north DROP-in"))

    assert response.status_code == 200
    assert "A site with this name already exists" in response.content.decode()
    assert Site.objects.count() == 2
    assert not AuditEvent.objects.exists()


def test_negative_hours_show_an_error_and_save_nothing(dana, client_as):
    response = client_as(dana).post("/places/sites/new/", form(hours_per_week="-3"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Hours open per week cannot be negative." in content
    assert 'aria-invalid="true"' in content
    assert not Site.objects.filter(name="Westside van").exists()


def test_more_hours_than_a_week_has_is_refused(dana, client_as):
    response = client_as(dana).post("/places/sites/new/", form(hours_per_week="169"))

    assert response.status_code == 200
    assert "A week has only 168 hours." in response.content.decode()
    assert not Site.objects.filter(name="Westside van").exists()


def test_a_blank_name_is_refused(dana, client_as):
    response = client_as(dana).post("/places/sites/new/", form(name="   "))

    assert response.status_code == 200
    assert not Site.objects.filter(kind="mobile", name="").exists()


def test_a_site_cannot_be_placed_in_an_inactive_area(dana, places):
    actions.area_update(actor=dana, area=places["east"], active=False)

    with pytest.raises(ValidationError) as error:
        actions.site_create(actor=dana, name="Eastside clinic", kind="fixed", area=places["east"])

    assert "inactive" in str(error.value.message_dict["area"])


def test_an_inactive_area_is_not_offered_for_new_sites(dana, places, client_as):
    actions.area_update(actor=dana, area=places["east"], active=False)

    content = client_as(dana).get("/places/sites/new/").content.decode()

    assert "Northside" in content
    assert "Eastside" not in content


def test_the_action_refuses_an_unknown_kind(dana, places):
    with pytest.raises(ValidationError):
        actions.site_create(actor=dana, name="Somewhere", kind="spaceship")

    assert not Site.objects.filter(name="Somewhere").exists()


def test_every_problem_is_reported_at_once(dana, client_as):
    response = client_as(dana).post("/places/sites/new/", form(name="North drop-in", hours_per_week="-1"))

    content = response.content.decode()
    assert "A site with this name already exists" in content
    assert "Hours open per week cannot be negative." in content


def test_a_bad_number_of_hours_is_refused_by_the_action(dana, places):
    with pytest.raises(ValidationError) as error:
        actions.site_update(actor=dana, site=places["van"], hours_per_week="lots")

    assert "hours_per_week" in error.value.message_dict
