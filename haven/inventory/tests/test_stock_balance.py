"""Stock on hand is a running balance next to the ledger: it always equals the ledger's sums."""

import pytest
from django.core import checks
from django.db import connection
from django.db.models import Min, Sum

from haven.inventory import actions, queries
from haven.inventory.models import StockBalance, StockEntry
from haven.inventory.tests.conftest import COOKER, NALOXONE, SYRINGE


def ledger_sums():
    return {(row["site_id"], row["item_id"], row["lot_id"]): (row["total"], row["first"])
            for row in StockEntry.objects.values("site_id", "item_id", "lot_id")
            .annotate(total=Sum("quantity"), first=Min("created_at")).order_by()}


def balances():
    return {(row.site_id, row.item_id, row.lot_id): (row.on_hand, row.first_in) for row in StockBalance.objects.all()}


def test_the_balance_follows_every_kind_of_movement(dana, places, supply, receive, encounter_giving):
    syringe, naloxone, cooker = supply(SYRINGE), supply(NALOXONE), supply(COOKER)
    fixed, mobile = places["fixed"], places["van"]
    receive(fixed, syringe, 30, lot_number="A", expires_in_days=10)
    receive(fixed, syringe, 50, lot_number="B", expires_in_days=90)
    receive(fixed, syringe, 5)  # no lot
    receive(fixed, naloxone, 4, lot_number="N1", expires_in_days=30)
    actions.stock_transfer(actor=dana, from_site=fixed, to_site=mobile, item=syringe, quantity=35)
    actions.stock_adjust(actor=dana, site=fixed, item=syringe, quantity=-3, reason="count")
    actions.stock_adjust(actor=dana, site=mobile, item=cooker, quantity=7, reason="found a box")
    actions.stock_dispose(actor=dana, site=mobile, item=syringe, quantity=2, reason="damaged")
    first = encounter_giving(fixed, {syringe: 12, naloxone: 6, cooker: 1})  # naloxone and cookers short
    actions.stock_draw_for_encounter(encounter=first)
    second = encounter_giving(fixed, {naloxone: 1})
    actions.stock_draw_for_encounter(encounter=second)
    shortfalls = list(StockEntry.objects.filter(shortfall=True).order_by("pk"))
    assert len(shortfalls) == 3
    actions.shortfall_resolve(actor=dana, entry=shortfalls[0])
    actions.stock_return_for_void(encounter=first, actor=dana)
    actions.stock_return_for_void(encounter=first, actor=dana)  # twice puts back once
    third = encounter_giving(mobile, {syringe: 40})
    actions.stock_draw_for_encounter(encounter=third)

    assert balances() == ledger_sums()
    assert queries.balance_mismatches() == []
    # What the pages show is the ledger's sum.
    assert {(row.site_id, row.item_id, row.lot_id): row.quantity for row in queries.stock_on_hand()} == {
        key: total for key, (total, _first) in ledger_sums().items() if total}


def test_a_balance_row_without_a_lot_is_never_duplicated(places, supply, encounter_giving):
    naloxone = supply(NALOXONE)
    for _ in range(3):
        actions.stock_draw_for_encounter(encounter=encounter_giving(places["fixed"], {naloxone: 1}))

    assert StockBalance.objects.filter(site=places["fixed"], item=naloxone, lot__isnull=True).get().on_hand == -3
    assert queries.balance_mismatches() == []


def test_a_balance_that_disagrees_with_the_ledger_is_reported(places, supply, receive, settings):
    syringe = supply(SYRINGE)
    receive(places["fixed"], syringe, 10, lot_number="A")
    StockBalance.objects.filter(item=syringe).update(on_hand=11)  # never done by Haven itself

    [mismatch] = queries.balance_mismatches()
    assert (mismatch.ledger, mismatch.balance) == (10, 11)
    from haven.inventory.checks import check_stock_balance
    assert [error.id for error in check_stock_balance()] == ["haven.E301"]

    actions.stock_balance_rebuild()
    assert queries.balance_mismatches() == [] and check_stock_balance() == []


def test_a_missing_balance_row_is_reported(places, supply, receive):
    receive(places["fixed"], supply(SYRINGE), 10, lot_number="A")
    StockBalance.objects.all().delete()

    assert len(queries.balance_mismatches()) == 1


def test_the_migration_fill_gives_the_same_balance(dana, places, supply, receive, encounter_giving):
    syringe = supply(SYRINGE)
    receive(places["fixed"], syringe, 10, lot_number="A", expires_in_days=20)
    actions.stock_draw_for_encounter(encounter=encounter_giving(places["fixed"], {syringe: 12}))
    before = balances()
    StockBalance.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(actions.BALANCE_FROM_LEDGER_SQL)

    assert balances() == before


@pytest.mark.parametrize("deploy", [True])
def test_the_check_is_registered(deploy):
    from haven.inventory.checks import check_stock_balance

    assert check_stock_balance in checks.registry.registry.get_checks(include_deployment_checks=deploy)
