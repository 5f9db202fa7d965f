import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from haven.consumption import actions
from haven.consumption.models import Board, Booth, ConsumptionSettings

pytestmark = pytest.mark.django_db


def test_a_coordinator_adds_a_booth_on_the_page(dana, places, client_as):
    response = client_as(dana).post(reverse("consumption-booths", args=[places["fixed"].pk]),
                                    {"form": "booth", "name": "Booth 7", "kind": "inhalation"})
    assert response.status_code == 302
    assert Booth.objects.get().kind == "inhalation"


def test_a_booth_name_is_unique_per_site(dana, booths):
    with pytest.raises(ValidationError, match="already has a booth"):
        actions.booth_create(actor=dana, site=booths["one"].site, name="Booth 1")


def test_staff_cannot_add_booths(bob, places, client_as):
    assert client_as(bob).get(reverse("consumption-booths", args=[places["fixed"].pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        actions.booth_create(actor=bob, site=places["fixed"], name="Booth 9")


def test_a_coordinator_sets_the_check_intervals_and_every_board_redraws(dana, booths, client_as):
    actions.stay_check_in(actor=dana, booth=booths["one"], route="oral")
    version = Board.objects.get(site=booths["one"].site).version
    client_as(dana).post(reverse("consumption-booths", args=[booths["one"].site_id]),
                         {"form": "intervals", "amber_after_minutes": 5, "red_after_minutes": 8})
    saved = ConsumptionSettings.current()
    assert (saved.amber_after_minutes, saved.red_after_minutes) == (5, 8)
    assert Board.objects.get(site=booths["one"].site).version == version + 1


def test_red_must_come_after_amber(dana):
    with pytest.raises(ValidationError) as error:
        actions.consumption_settings_update(actor=dana, amber_after_minutes=10, red_after_minutes=10)
    assert "red_after_minutes" in error.value.message_dict
