"""Giving supplies at an encounter draws them from the site's stock, first-expiry-first-out."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from haven.core.models import AuditEvent
from haven.inventory import actions, queries
from haven.inventory.models import StockEntry
from haven.inventory.tests.conftest import COOKER, NALOXONE, SYRINGE


def drawn(encounter):
    return [(entry.lot.lot_number if entry.lot else None, entry.quantity, entry.shortfall)
            for entry in encounter.stock_entries.select_related("lot").order_by("pk")]


def test_the_lot_that_expires_first_is_given_first_and_undated_stock_last(places, supply, receive, encounter_giving):
    naloxone = supply(NALOXONE)
    site = places["fixed"]
    receive(site, naloxone, 5, lot_number="UNDATED")
    receive(site, naloxone, 5, lot_number="LATE", expires_in_days=400)
    receive(site, naloxone, 3, lot_number="SOON", expires_in_days=30)

    encounter = encounter_giving(site, {naloxone: 12})
    actions.stock_draw_for_encounter(encounter=encounter)

    assert drawn(encounter) == [("SOON", -3, False), ("LATE", -5, False), ("UNDATED", -4, False)]


def test_among_lots_expiring_the_same_day_the_one_received_first_goes_first(places, supply, receive,
                                                                            encounter_giving):
    syringe = supply(SYRINGE)
    site = places["fixed"]
    receive(site, syringe, 10, lot_number="B-FIRST", expires_in_days=100)
    receive(site, syringe, 10, lot_number="A-SECOND", expires_in_days=100)

    encounter = encounter_giving(site, {syringe: 15})
    actions.stock_draw_for_encounter(encounter=encounter)

    assert drawn(encounter) == [("B-FIRST", -10, False), ("A-SECOND", -5, False)]


def test_stock_at_another_site_is_not_drawn(places, supply, receive, encounter_giving):
    syringe = supply(SYRINGE)
    receive(places["van"], syringe, 100, lot_number="VAN")
    receive(places["fixed"], syringe, 4, lot_number="NORTH")

    encounter = encounter_giving(places["fixed"], {syringe: 4})
    actions.stock_draw_for_encounter(encounter=encounter)

    assert drawn(encounter) == [("NORTH", -4, False)]


def test_an_encounter_is_never_refused_for_lack_of_stock_the_shortfall_is_recorded(places, supply, receive,
                                                                                 encounter_giving, bob):
    syringe = supply(SYRINGE)
    site = places["fixed"]
    receive(site, syringe, 6, lot_number="ONLY")

    encounter = encounter_giving(site, {syringe: 10})
    entries = actions.stock_draw_for_encounter(encounter=encounter, actor=bob)

    assert drawn(encounter) == [("ONLY", -6, False), (None, -4, True)]
    assert all(entry.created_by == bob for entry in entries)
    assert [entry.quantity for entry in queries.open_shortfalls(sites=[site])] == [-4]
    assert AuditEvent.objects.filter(action="stock_shortfall", object_id=str(encounter.pk)).exists()


def test_with_no_stock_at_all_everything_given_is_a_shortfall(places, supply, encounter_giving):
    encounter = encounter_giving(places["van"], {supply(NALOXONE): 2})

    actions.stock_draw_for_encounter(encounter=encounter)

    assert drawn(encounter) == [(None, -2, True)]


def test_supplies_that_do_not_track_stock_are_not_drawn(places, supply, receive, encounter_giving):
    cooker = supply(COOKER)
    cooker.tracks_stock = False
    cooker.save()

    encounter = encounter_giving(places["fixed"], {cooker: 10})

    assert actions.stock_draw_for_encounter(encounter=encounter) == []
    assert not StockEntry.objects.exists()


def test_two_lines_of_the_same_supply_are_drawn_together(places, supply, receive, encounter_giving):
    syringe = supply(SYRINGE)
    receive(places["fixed"], syringe, 30, lot_number="L1")
    encounter = encounter_giving(places["fixed"], {syringe: 10})
    encounter.supplies.create(item=syringe, quantity=5)

    actions.stock_draw_for_encounter(encounter=encounter)

    assert drawn(encounter) == [("L1", -15, False)]


def test_drawing_many_supplies_takes_a_fixed_number_of_queries(places, supply, receive, encounter_giving):
    site = places["fixed"]
    names = [SYRINGE, NALOXONE, COOKER, "Cotton filter", "Alcohol pad", "Tourniquet"]
    for index, name in enumerate(names):
        for lot in range(3):
            receive(site, supply(name), 2, lot_number=f"{index}-{lot}", expires_in_days=10 + lot)

    encounter = encounter_giving(site, {supply(name): 5 for name in names})
    with CaptureQueriesContext(connection) as queries_run:
        actions.stock_draw_for_encounter(encounter=encounter)

    # The supplies, the site lock (PostgreSQL), stock on hand in one aggregate, one insert.
    reads_and_writes = [q for q in queries_run.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(reads_and_writes) <= 4, [q["sql"] for q in reads_and_writes]
    assert encounter.stock_entries.count() == 6 * 3  # 5 of the 6 on hand, from three lots: 2 + 2 + 1
