"""Voiding an encounter puts back exactly what it took from stock."""

from haven.inventory import actions, queries
from haven.inventory.models import StockEntry
from haven.inventory.tests.conftest import NALOXONE, SYRINGE


def on_hand_by_lot(site, item):
    return {(row.lot_number or None): row.quantity for row in queries.stock_on_hand(site=site, item=item)}


def test_voiding_puts_back_exactly_what_each_lot_gave(places, supply, receive, encounter_giving, dana):
    syringe = supply(SYRINGE)
    site = places["fixed"]
    receive(site, syringe, 3, lot_number="A", expires_in_days=10)
    receive(site, syringe, 20, lot_number="B", expires_in_days=90)
    before = on_hand_by_lot(site, syringe)
    encounter = encounter_giving(site, {syringe: 8})
    actions.stock_draw_for_encounter(encounter=encounter)

    returned = actions.stock_return_for_void(encounter=encounter, actor=dana)

    assert sorted((entry.lot.lot_number, entry.quantity) for entry in returned) == [("A", 3), ("B", 5)]
    assert all(entry.kind == StockEntry.Kind.ADJUSTED and entry.reason == "encounter voided" for entry in returned)
    assert on_hand_by_lot(site, syringe) == before


def test_voiding_twice_puts_stock_back_once(places, supply, receive, encounter_giving):
    syringe = supply(SYRINGE)
    receive(places["fixed"], syringe, 10, lot_number="A")
    encounter = encounter_giving(places["fixed"], {syringe: 4})
    actions.stock_draw_for_encounter(encounter=encounter)

    actions.stock_return_for_void(encounter=encounter)
    assert actions.stock_return_for_void(encounter=encounter) == []

    assert on_hand_by_lot(places["fixed"], syringe) == {"A": 10}


def test_voiding_an_encounter_with_a_shortfall_closes_the_shortfall(places, supply, encounter_giving):
    naloxone = supply(NALOXONE)
    encounter = encounter_giving(places["van"], {naloxone: 2})
    actions.stock_draw_for_encounter(encounter=encounter)
    assert queries.open_shortfalls(sites=[places["van"]]).count() == 1

    actions.stock_return_for_void(encounter=encounter)

    assert queries.open_shortfalls(sites=[places["van"]]).count() == 0
    assert on_hand_by_lot(places["van"], naloxone) == {}


def test_an_encounter_that_drew_nothing_returns_nothing(places, encounter_giving):
    encounter = encounter_giving(places["van"], {})

    assert actions.stock_return_for_void(encounter=encounter) == []
