"""Voiding a visit: managers at any time, the recorder for a few minutes (undo). Stock goes back."""

import datetime
import uuid

from django.db.models import Sum
from django.utils import timezone

from haven.core.models import AuditEvent
from haven.encounters import actions
from haven.encounters.models import Encounter
from haven.inventory.models import StockEntry


def on_hand(site, item):
    return StockEntry.objects.filter(site=site, item=item).aggregate(total=Sum("quantity"))["total"] or 0


def give(bob, places, catalog, quantity=12):
    return actions.encounter_record(actor=bob, client_id=uuid.uuid4(), site=places["fixed"], service_mode="fixed",
                                    supplies=[(catalog["syringe"], quantity)])[0]


def test_voiding_puts_the_stock_back(bob, dana, places, catalog):
    before = on_hand(places["fixed"], catalog["syringe"])
    encounter = give(bob, places, catalog)
    assert on_hand(places["fixed"], catalog["syringe"]) == before - 12

    actions.encounter_void(actor=dana, encounter=encounter, reason="Entered twice")

    encounter.refresh_from_db()
    assert encounter.voided_at is not None and encounter.void_reason == "Entered twice"
    assert on_hand(places["fixed"], catalog["syringe"]) == before
    assert AuditEvent.objects.filter(action="void", object_id=str(encounter.pk)).exists()


def test_a_coordinator_voids_a_visit_from_its_page(bob, dana, places, catalog, client_as):
    encounter = give(bob, places, catalog)

    response = client_as(dana).post(f"/encounters/{encounter.pk}/void/", {"reason": "Wrong participant"})

    assert response.status_code == 302
    assert Encounter.objects.get(pk=encounter.pk).voided_at is not None


def test_a_void_needs_a_reason(bob, dana, places, catalog, client_as):
    encounter = give(bob, places, catalog)

    response = client_as(dana).post(f"/encounters/{encounter.pk}/void/", {"reason": ""})

    assert response.status_code == 200
    assert Encounter.objects.get(pk=encounter.pk).voided_at is None


def test_staff_cannot_void_a_visit(bob, places, catalog, client_as):
    encounter = give(bob, places, catalog)

    assert client_as(bob).post(f"/encounters/{encounter.pk}/void/", {"reason": "x"}).status_code == 403
    assert Encounter.objects.get(pk=encounter.pk).voided_at is None


def test_the_recorder_can_undo_their_last_visit_right_after_saving(bob, places, catalog, client_as):
    client = client_as(bob)
    client.post("/encounters/new/", {"client_id": str(uuid.uuid4()), "site": places["fixed"].pk,
                                     "service_mode": "fixed", f"item-{catalog['syringe'].pk}": "5"})
    page = client.get("/encounters/new/").content.decode()
    assert 'action="/encounters/undo/"' in page

    response = client.post("/encounters/undo/", follow=True)

    assert Encounter.objects.get().voided_at is not None
    assert "The visit was undone" in response.content.decode()


def test_undo_is_gone_after_ten_minutes(bob, places, catalog, client_as):
    client = client_as(bob)
    client.post("/encounters/new/", {"client_id": str(uuid.uuid4()), "site": places["fixed"].pk,
                                     "service_mode": "fixed"})
    Encounter.objects.update(created_at=timezone.now() - actions.UNDO_WINDOW - datetime.timedelta(seconds=1))

    assert 'action="/encounters/undo/"' not in client.get("/encounters/new/").content.decode()
    client.post("/encounters/undo/")
    assert Encounter.objects.get().voided_at is None


def test_nobody_else_can_undo_a_visit(bob, carol, places, catalog):
    encounter = give(bob, places, catalog)

    assert not actions.may_undo(carol, encounter)
    assert actions.may_undo(bob, encounter)


def test_a_visit_is_voided_only_once(bob, dana, places, catalog):
    import pytest
    from django.core.exceptions import ValidationError

    encounter = give(bob, places, catalog)
    actions.encounter_void(actor=dana, encounter=encounter, reason="Entered twice")

    with pytest.raises(ValidationError):
        actions.encounter_void(actor=dana, encounter=encounter, reason="Again")
