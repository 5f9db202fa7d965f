"""Receiving stock: staff at their own sites, coordinators anywhere; bad input writes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.core.models import AuditEvent
from haven.inventory import actions
from haven.inventory.models import Lot, StockEntry
from haven.inventory.tests.conftest import NALOXONE, SYRINGE


def form(site, item, quantity="10", **extra):
    return {"site": site.pk, "item": item.pk, "quantity": quantity, "lot_number": "", "expires_on": "", **extra}


def in_days(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_staff_receives_a_delivery_at_their_site_and_it_is_audited(bob, places, supply, client_as):
    naloxone = supply(NALOXONE)
    response = client_as(bob).post("/stock/receive/", form(places["fixed"], naloxone, "24", lot_number="NX-1",
                                                           expires_on=in_days(500)))

    assert response.status_code == 302
    entry = StockEntry.objects.get()
    assert (entry.site, entry.item, entry.quantity, entry.kind) == (places["fixed"], naloxone, 24, "received")
    assert entry.lot.lot_number == "NX-1" and entry.created_by == bob
    event = AuditEvent.objects.get(action="stock_receive")
    assert event.actor_label == "bob" and event.detail["item"] == naloxone.pk


def test_staff_cannot_receive_at_a_site_they_do_not_work_at(bob, places, supply, client_as):
    response = client_as(bob).post("/stock/receive/", form(places["van"], supply(SYRINGE)))

    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert not StockEntry.objects.exists()


def test_a_peer_cannot_receive_stock(carol, places, supply, client_as):
    response = client_as(carol).post("/stock/receive/", form(places["van"], supply(SYRINGE)))

    assert response.status_code == 403
    assert not StockEntry.objects.exists()


def test_a_second_delivery_of_a_known_lot_goes_into_that_lot(dana, places, supply):
    naloxone = supply(NALOXONE)
    expiry = timezone.localdate() + datetime.timedelta(days=300)
    actions.stock_receive(actor=dana, site=places["fixed"], item=naloxone, quantity=5, lot_number="NX-1",
                          expires_on=expiry)
    actions.stock_receive(actor=dana, site=places["van"], item=naloxone, quantity=7, lot_number="NX-1")

    assert Lot.objects.filter(item=naloxone).count() == 1
    assert StockEntry.objects.filter(lot__lot_number="NX-1").count() == 2


def test_stock_with_an_expiry_but_no_lot_number_is_kept_as_a_lot_named_after_the_date(dana, places, supply):
    expiry = timezone.localdate() + datetime.timedelta(days=90)

    entry = actions.stock_receive(actor=dana, site=places["fixed"], item=supply(SYRINGE), quantity=100,
                                  expires_on=expiry)

    assert entry.lot.lot_number == f"EXP {expiry.isoformat()}"
    assert entry.lot.expires_on == expiry


@pytest.mark.parametrize(("quantity", "message"), [
    ("-5", b"greater than zero"),
    ("0", b"greater than zero"),
    ("1000001", b"more than 1,000,000"),
    ("99999999999999999999", b"more than 1,000,000"),
    ("ten", b"Enter a whole number"),
])
def test_a_negative_zero_or_absurd_quantity_is_refused_and_nothing_is_written(quantity, message, bob, places,
                                                                             supply, client_as):
    response = client_as(bob).post("/stock/receive/", form(places["fixed"], supply(SYRINGE), quantity))

    assert response.status_code == 200
    assert message in response.content
    assert b"Nothing was saved yet" in response.content
    assert not StockEntry.objects.exists() and not Lot.objects.exists()


def test_an_unknown_supply_is_refused(bob, places, client_as):
    response = client_as(bob).post("/stock/receive/", {"site": places["fixed"].pk, "item": 999999, "quantity": "5"})

    assert b"Select a valid choice" in response.content
    assert not StockEntry.objects.exists()


def test_stock_that_has_already_expired_is_refused_until_confirmed(bob, places, supply, client_as):
    client = client_as(bob)
    data = form(places["fixed"], supply(NALOXONE), "3", lot_number="OLD", expires_on=in_days(-1))

    refused = client.post("/stock/receive/", data)

    assert refused.status_code == 200
    assert b"This stock expired on" in refused.content
    assert b'name="confirm_expired"' in refused.content
    assert not StockEntry.objects.exists() and not Lot.objects.exists()

    accepted = client.post("/stock/receive/", {**data, "confirm_expired": "on"})

    assert accepted.status_code == 302
    assert StockEntry.objects.get().lot.lot_number == "OLD"


def test_the_confirmation_box_is_not_shown_before_it_is_needed(bob, client_as, places):
    assert b'name="confirm_expired"' not in client_as(bob).get("/stock/receive/").content


def test_a_known_lot_with_another_expiry_date_is_refused(dana, places, supply):
    naloxone = supply(NALOXONE)
    actions.stock_receive(actor=dana, site=places["fixed"], item=naloxone, quantity=5, lot_number="NX-1",
                          expires_on=timezone.localdate() + datetime.timedelta(days=300))

    with pytest.raises(ValidationError) as refused:
        actions.stock_receive(actor=dana, site=places["fixed"], item=naloxone, quantity=5, lot_number="NX-1",
                              expires_on=timezone.localdate() + datetime.timedelta(days=200))

    assert "expires_on" in refused.value.error_dict
    assert StockEntry.objects.count() == 1


def test_the_action_refuses_what_is_not_a_catalog_supply_or_a_whole_number(dana, places):
    with pytest.raises(ValidationError) as refused:
        actions.stock_receive(actor=dana, site=places["fixed"], item="syringes", quantity=2.5)

    assert set(refused.value.error_dict) == {"item", "quantity"}
    assert not StockEntry.objects.exists()


def test_the_receive_form_opens_for_staff(bob, client_as):
    response = client_as(bob).get("/stock/receive/")

    assert response.status_code == 200
    assert b'name="lot_number"' in response.content


def test_a_lot_first_recorded_without_a_date_gets_the_date_of_a_later_delivery(dana, places, supply):
    naloxone = supply(NALOXONE)
    expiry = timezone.localdate() + datetime.timedelta(days=300)
    actions.stock_receive(actor=dana, site=places["fixed"], item=naloxone, quantity=5, lot_number="NX-1")

    entry = actions.stock_receive(actor=dana, site=places["fixed"], item=naloxone, quantity=5, lot_number="NX-1",
                                  expires_on=expiry)

    assert entry.lot.expires_on == expiry and Lot.objects.count() == 1
