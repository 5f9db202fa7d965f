"""Deployment check: stock on hand (the running balance) agrees with the stock ledger."""

from django.core import checks
from django.db import DatabaseError


@checks.register("haven", checks.Tags.database, deploy=True)
def check_stock_balance(app_configs=None, **kwargs):
    from haven.inventory.queries import balance_mismatches

    try:
        mismatches = balance_mismatches()
    except DatabaseError:
        return []  # no database, or not migrated yet: reported by the other checks
    if not mismatches:
        return []
    first = mismatches[0]
    return [checks.Error(
        f"Stock on hand disagrees with the stock ledger for {len(mismatches)} site, supply and lot "
        f"combination(s), for example site {first.site_id}, item {first.item_id}, lot {first.lot_id}: "
        f"ledger {first.ledger}, balance {first.balance}.",
        hint="The ledger is the record. Rebuild the balance from it: see docs/INVENTORY.md (“Stock on hand”).",
        id="haven.E301",
    )]
