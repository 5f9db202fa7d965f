"""Adjustments (after a count) need a reason; disposal takes expired or damaged stock out."""

import pytest
from django.core.exceptions import ValidationError

from haven.core.models import AuditEvent
from haven.inventory import actions, queries
from haven.inventory.models import StockEntry
from haven.inventory.tests.conftest import NALOXONE, SYRINGE


def total(site, item):
    return sum(row.quantity for row in queries.stock_on_hand(site=site, item=item))


def test_an_adjustment_needs_a_reason(dana, places, supply, receive):
    syringe = supply(SYRINGE)
    receive(places["fixed"], syringe, 10)

    with pytest.raises(ValidationError) as refused:
        actions.stock_adjust(actor=dana, site=places["fixed"], item=syringe, quantity=-2, reason="   ")

    assert "reason" in refused.value.error_dict
    assert StockEntry.objects.count() == 1


def test_an_adjustment_of_zero_is_refused(dana, places, supply):
    with pytest.raises(ValidationError) as refused:
        actions.stock_adjust(actor=dana, site=places["fixed"], item=supply(SYRINGE), quantity=0, reason="count")

    assert "quantity" in refused.value.error_dict


def test_a_count_that_finds_more_or_fewer_is_recorded_as_a_new_entry(dana, places, supply, receive):
    syringe = supply(SYRINGE)
    receive(places["fixed"], syringe, 10)

    actions.stock_adjust(actor=dana, site=places["fixed"], item=syringe, quantity=5, reason="box found")
    actions.stock_adjust(actor=dana, site=places["fixed"], item=syringe, quantity=-3, reason="count on 3 March")

    assert total(places["fixed"], syringe) == 12
    assert AuditEvent.objects.filter(action="stock_adjust").count() == 2


def test_an_adjustment_cannot_take_away_more_than_is_on_hand(dana, places, supply, receive):
    syringe = supply(SYRINGE)
    receive(places["fixed"], syringe, 3)

    with pytest.raises(ValidationError):
        actions.stock_adjust(actor=dana, site=places["fixed"], item=syringe, quantity=-4, reason="count")

    assert total(places["fixed"], syringe) == 3


def test_expired_naloxone_is_disposed_of_from_its_lot(dana, places, supply, receive):
    naloxone = supply(NALOXONE)
    lot = receive(places["fixed"], naloxone, 6, lot_number="OLD", expires_in_days=-3).lot
    receive(places["fixed"], naloxone, 10, lot_number="NEW", expires_in_days=300)

    entries = actions.stock_dispose(actor=dana, site=places["fixed"], item=naloxone, lot=lot, quantity=6,
                                    reason="expired")

    assert [(entry.kind, entry.quantity, entry.lot.lot_number) for entry in entries] == [("disposed", -6, "OLD")]
    assert total(places["fixed"], naloxone) == 10


def test_disposal_needs_a_reason_and_stock_on_hand(dana, places, supply, receive):
    syringe = supply(SYRINGE)
    receive(places["fixed"], syringe, 2)

    with pytest.raises(ValidationError) as no_reason:
        actions.stock_dispose(actor=dana, site=places["fixed"], item=syringe, quantity=1, reason="")
    with pytest.raises(ValidationError) as too_many:
        actions.stock_dispose(actor=dana, site=places["fixed"], item=syringe, quantity=3, reason="damaged")

    assert "reason" in no_reason.value.error_dict and "quantity" in too_many.value.error_dict
    assert StockEntry.objects.count() == 1


def test_staff_cannot_adjust_or_dispose(bob, places, supply, client_as):
    data = {"site": places["fixed"].pk, "item": supply(SYRINGE).pk, "quantity": "-1", "reason": "count"}

    assert client_as(bob).post("/stock/adjust/", data).status_code == 403
    assert client_as(bob).post("/stock/dispose/", {**data, "quantity": "1"}).status_code == 403
    assert client_as(bob).get("/stock/adjust/").status_code == 403
    assert not StockEntry.objects.exists()


def test_a_coordinator_adjusts_with_the_form_and_sees_the_reason_required(dana, places, supply, receive,
                                                                         client_as):
    syringe = supply(SYRINGE)
    receive(places["fixed"], syringe, 10)
    client = client_as(dana)
    data = {"site": places["fixed"].pk, "item": syringe.pk, "lot": "", "quantity": "-2", "reason": ""}

    refused = client.post("/stock/adjust/", data)
    accepted = client.post("/stock/adjust/", {**data, "reason": "count"})

    assert refused.status_code == 200 and b"This field is required" in refused.content
    assert accepted.status_code == 302
    assert total(places["fixed"], syringe) == 8
