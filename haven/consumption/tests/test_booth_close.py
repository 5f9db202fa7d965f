"""Coordinator Dana closes a booth for cleaning and reopens it; Bob (staff) cannot; a booth in use stays open."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from haven.consumption import actions
from haven.consumption.models import Booth, Route
from haven.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_coordinator_closes_a_booth_after_confirming_and_it_leaves_the_board(dana, booths, client_as):
    client = client_as(dana)
    url = reverse("consumption-booth-close", args=[booths["two"].pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Close Booth 2 at North drop-in?" in confirm.content.decode()
    assert Booth.objects.get(pk=booths["two"].pk).active  # looking at the question changes nothing
    response = client.post(url)
    assert response["Location"] == reverse("consumption-booths", args=[booths["two"].site_id])
    assert not Booth.objects.get(pk=booths["two"].pk).active
    board = client.get(reverse("consumption-board", args=[booths["two"].site_id])).content.decode()
    assert 'data-booth="Booth 2"' not in board and 'data-booth="Booth 1"' in board
    audit = AuditEvent.objects.filter(object_type="consumption.booth", object_id=str(booths["two"].pk)).last()
    assert (audit.action, audit.actor_label, audit.detail["active"]) == ("update", "dana", False)


def test_a_closed_booth_is_reopened_from_the_same_page(dana, booths, client_as):
    actions.booth_close(actor=dana, booth_id=booths["two"].pk)
    client = client_as(dana)
    url = reverse("consumption-booth-close", args=[booths["two"].pk])
    assert "Reopen Booth 2 at North drop-in?" in client.get(url).content.decode()
    client.post(url)
    assert Booth.objects.get(pk=booths["two"].pk).active
    assert AuditEvent.objects.filter(object_type="consumption.booth").last().detail["active"] is True


def test_a_booth_in_use_cannot_be_closed(dana, bob, booths, client_as):
    actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION)
    with pytest.raises(ValidationError, match="in use"):
        actions.booth_close(actor=dana, booth_id=booths["one"].pk)
    page = client_as(dana).get(reverse("consumption-booth-close", args=[booths["one"].pk])).content.decode()
    assert "Check them out before closing it." in page
    response = client_as(dana).post(reverse("consumption-booth-close", args=[booths["one"].pk]), follow=True)
    assert "is in use" in response.content.decode()
    assert Booth.objects.get(pk=booths["one"].pk).active


def test_a_closed_booth_cannot_be_chosen_at_check_in(dana, bob, booths):
    actions.booth_close(actor=dana, booth_id=booths["two"].pk)
    with pytest.raises(ValidationError, match="closed"):
        actions.stay_check_in(actor=bob, booth=Booth.objects.get(pk=booths["two"].pk), route=Route.SMOKING)


def test_staff_cannot_close_a_booth(bob, booths, client_as):
    with pytest.raises(PermissionDenied):
        actions.booth_close(actor=bob, booth_id=booths["one"].pk)
    assert client_as(bob).post(reverse("consumption-booth-close", args=[booths["one"].pk])).status_code == 403
    assert Booth.objects.get(pk=booths["one"].pk).active


def test_closing_twice_says_it_is_already_closed(dana, booths):
    actions.booth_close(actor=dana, booth_id=booths["two"].pk)
    with pytest.raises(ValidationError, match="already closed"):
        actions.booth_close(actor=dana, booth_id=booths["two"].pk)
