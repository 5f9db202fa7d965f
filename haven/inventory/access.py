"""Which permission guards each of this app's URLs; merged into the matrix in accounts/permissions.py."""

ACCESS: dict = {
    # Everyone sees the stock of their own sites and the catalog (the encounter form uses it).
    "stock": "inventory.view",
    "stock-ledger": "inventory.view",
    "catalog": "inventory.view",
    "api:stock-api": "inventory.view",
    "api:catalog-api": "inventory.view",
    # Paid staff record deliveries at their sites.
    "stock-receive": "inventory.receive",
    # Coordinators and admins move and correct stock and keep the catalog.
    "stock-transfer": "inventory.manage",
    "stock-adjust": "inventory.manage",
    "stock-dispose": "inventory.manage",
    "stock-shortfalls": "inventory.manage",
    "catalog-item-new": "inventory.manage",
    "catalog-item-edit": "inventory.manage",
    "catalog-kit-new": "inventory.manage",
    "catalog-kit-edit": "inventory.manage",
}
