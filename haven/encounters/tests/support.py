"""Helpers for the encounter tests."""

from haven.core.models import AuditEvent
from haven.encounters.models import Encounter, EncounterSupply, ReversalReport
from haven.inventory.models import StockEntry


def row_counts():
    """Rows of everything a visit writes, to show that a refused one wrote nothing."""
    return {model.__name__: model.objects.count()
            for model in (Encounter, EncounterSupply, ReversalReport, StockEntry, AuditEvent)}


def lines_of(encounter):
    """{(item name, kit name or None): quantity}"""
    return {(line.item.name, line.kit.name if line.kit else None): line.quantity
            for line in encounter.supplies.select_related("item", "kit")}
