"""Two encounters at once never both take the last units of a lot (PostgreSQL locks the site;
SQLite's IMMEDIATE transactions already let only one writer in at a time)."""

import threading
import uuid

import pytest
from django.db import connection, connections, transaction

from haven.encounters.models import Encounter, EncounterSupply
from haven.inventory import actions, queries
from haven.inventory.tests.conftest import NALOXONE


@pytest.mark.django_db(transaction=True)
def test_two_encounters_at_once_do_not_overdraw_a_lot(places, supply, receive):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers by itself; this checks PostgreSQL's row lock")
    naloxone = supply(NALOXONE)
    site = places["fixed"]
    receive(site, naloxone, 6, lot_number="NX-1")
    encounters = []
    for _ in range(2):
        encounter = Encounter.objects.create(client_id=uuid.uuid4(), site=site, service_mode="fixed")
        EncounterSupply.objects.create(encounter=encounter, item=naloxone, quantity=5)
        encounters.append(encounter)
    barrier = threading.Barrier(2)
    problems = []

    def draw(encounter):
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                actions.stock_draw_for_encounter(encounter=encounter)
        except Exception as error:  # reported below: a thread's exception would otherwise vanish
            problems.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=draw, args=(encounter,)) for encounter in encounters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert problems == []
    rows = {row.lot_number or None: row.quantity for row in queries.stock_on_hand(site=site, item=naloxone)}
    assert rows == {None: -4}  # the lot is empty, never below zero
    assert queries.open_shortfalls(sites=[site]).get().quantity == -4
