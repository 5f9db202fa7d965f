"""Which permission guards the import URLs; merged into the matrix in accounts/permissions.py."""

ACCESS: dict = {
    "encounter-import": "encounters.import",
    "encounter-import-preview": "encounters.import",
    "encounter-import-confirm": "encounters.import",
}
