"""Transfers move stock between sites in pairs of entries that sum to zero."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from haven.inventory import actions, queries
from haven.inventory.models import StockEntry
from haven.inventory.tests.conftest import NALOXONE, SYRINGE


def test_a_transfer_is_a_pair_of_entries_that_sum_to_zero(dana, places, supply, receive):
    naloxone = supply(NALOXONE)
    lot = receive(places["fixed"], naloxone, 10, lot_number="NX-1", expires_in_days=200).lot

    entries = actions.stock_transfer(actor=dana, from_site=places["fixed"], to_site=places["van"], item=naloxone,
                                     lot=lot, quantity=4)

    assert sorted((entry.kind, entry.site.name, entry.quantity) for entry in entries) == [
        ("transfer_in", "East van", 4), ("transfer_out", "North drop-in", -4)]
    assert len({entry.transfer_id for entry in entries}) == 1
    assert StockEntry.objects.filter(transfer_id=entries[0].transfer_id).aggregate(total=Sum("quantity"))["total"] == 0
    assert [(row.lot_number, row.quantity) for row in queries.stock_on_hand(site=places["van"])] == [("NX-1", 4)]


def test_without_a_lot_the_transfer_sends_what_expires_first(dana, places, supply, receive):
    syringe = supply(SYRINGE)
    receive(places["fixed"], syringe, 5, lot_number="LATE", expires_in_days=300)
    receive(places["fixed"], syringe, 5, lot_number="SOON", expires_in_days=20)

    entries = actions.stock_transfer(actor=dana, from_site=places["fixed"], to_site=places["van"], item=syringe,
                                     quantity=7)

    arrived = sorted((entry.lot.lot_number, entry.quantity) for entry in entries if entry.kind == "transfer_in")
    assert arrived == [("LATE", 2), ("SOON", 5)]
    assert sum(entry.quantity for entry in entries) == 0


def test_a_transfer_of_more_than_is_on_hand_is_refused(dana, places, supply, receive):
    naloxone = supply(NALOXONE)
    lot = receive(places["fixed"], naloxone, 3, lot_number="NX-1").lot

    with pytest.raises(ValidationError) as refused:
        actions.stock_transfer(actor=dana, from_site=places["fixed"], to_site=places["van"], item=naloxone,
                               lot=lot, quantity=4)
    with pytest.raises(ValidationError):
        actions.stock_transfer(actor=dana, from_site=places["fixed"], to_site=places["van"], item=naloxone,
                               quantity=4)

    assert "Only 3" in refused.value.message_dict["quantity"][0]
    assert not StockEntry.objects.exclude(kind="received").exists()


@pytest.mark.parametrize("quantity", [0, -2, 2_000_000])
def test_a_transfer_of_a_nonsense_quantity_is_refused(quantity, dana, places, supply, receive):
    syringe = supply(SYRINGE)
    receive(places["fixed"], syringe, 10)

    with pytest.raises(ValidationError):
        actions.stock_transfer(actor=dana, from_site=places["fixed"], to_site=places["van"], item=syringe,
                               quantity=quantity)

    assert StockEntry.objects.count() == 1


def test_a_transfer_to_the_same_site_is_refused(dana, places, supply, receive):
    syringe = supply(SYRINGE)
    receive(places["fixed"], syringe, 10)

    with pytest.raises(ValidationError) as refused:
        actions.stock_transfer(actor=dana, from_site=places["fixed"], to_site=places["fixed"], item=syringe,
                               quantity=1)

    assert "to_site" in refused.value.error_dict


def test_a_lot_of_another_supply_is_refused(dana, places, supply, receive):
    other_lot = receive(places["fixed"], supply(NALOXONE), 10, lot_number="NX-1").lot
    receive(places["fixed"], supply(SYRINGE), 10)

    with pytest.raises(ValidationError) as refused:
        actions.stock_transfer(actor=dana, from_site=places["fixed"], to_site=places["van"], item=supply(SYRINGE),
                               lot=other_lot, quantity=1)

    assert "lot" in refused.value.error_dict


def test_a_coordinator_transfers_with_the_form(dana, places, supply, receive, client_as):
    syringe = supply(SYRINGE)
    receive(places["fixed"], syringe, 10)

    response = client_as(dana).post("/stock/transfer/", {
        "from_site": places["fixed"].pk, "to_site": places["van"].pk, "item": syringe.pk, "lot": "", "quantity": "6"})

    assert response.status_code == 302
    assert sum(row.quantity for row in queries.stock_on_hand(site=places["van"])) == 6


def test_staff_cannot_transfer_stock(bob, places, supply, client_as):
    response = client_as(bob).post("/stock/transfer/", {
        "from_site": places["fixed"].pk, "to_site": places["van"].pk, "item": supply(SYRINGE).pk, "quantity": "1"})

    assert response.status_code == 403
