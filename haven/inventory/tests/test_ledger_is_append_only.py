"""The ledger is append-only: stock on hand is its sum, and a correction is always a new entry."""

import pytest
from django.db.models import Sum

from haven.inventory import actions, queries
from haven.inventory.models import StockEntry
from haven.inventory.tests.conftest import NALOXONE, SYRINGE


def test_no_ledger_entry_is_ever_changed_or_deleted(dana, places, supply, receive):
    entry = receive(places["fixed"], supply(SYRINGE), 10)

    entry.quantity = 100
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        StockEntry.objects.filter(pk=entry.pk).update(quantity=100)
    with pytest.raises(TypeError):
        StockEntry.objects.all().delete()

    assert StockEntry.objects.get().quantity == 10


def test_every_action_leaves_earlier_entries_as_they_were(dana, places, supply, receive, encounter_giving):
    syringe, naloxone = supply(SYRINGE), supply(NALOXONE)
    receive(places["fixed"], syringe, 10, lot_number="S1", expires_in_days=50)
    receive(places["fixed"], naloxone, 4, lot_number="N1", expires_in_days=50)
    snapshot = list(StockEntry.objects.order_by("pk").values())

    encounter = encounter_giving(places["fixed"], {syringe: 12, naloxone: 1})
    actions.stock_draw_for_encounter(encounter=encounter)
    actions.stock_transfer(actor=dana, from_site=places["fixed"], to_site=places["van"], item=naloxone, quantity=2)
    actions.stock_adjust(actor=dana, site=places["fixed"], item=syringe, quantity=3, reason="count")
    actions.stock_dispose(actor=dana, site=places["fixed"], item=naloxone, quantity=1, reason="damaged")
    actions.shortfall_resolve(actor=dana, entry=queries.open_shortfalls(sites=[places["fixed"]]).get())
    actions.stock_return_for_void(encounter=encounter, actor=dana)

    assert list(StockEntry.objects.order_by("pk").values())[:len(snapshot)] == snapshot


def test_stock_on_hand_is_the_sum_of_the_ledger(dana, places, supply, receive, encounter_giving):
    syringe = supply(SYRINGE)
    receive(places["fixed"], syringe, 40, lot_number="S1", expires_in_days=50)
    receive(places["fixed"], syringe, 25)
    actions.stock_draw_for_encounter(encounter=encounter_giving(places["fixed"], {syringe: 70}))
    actions.stock_adjust(actor=dana, site=places["fixed"], item=syringe, quantity=9, reason="count")

    ledger_sum = StockEntry.objects.filter(site=places["fixed"], item=syringe).aggregate(total=Sum("quantity"))
    rows = queries.stock_on_hand(site=places["fixed"], item=syringe)
    by_item = queries.stock_by_item_for_site(places["fixed"])

    assert sum(row.quantity for row in rows) == ledger_sum["total"] == 40 + 25 - 70 + 9
    assert [stock.total for stock in by_item if stock.item_id == syringe.pk] == [4]
