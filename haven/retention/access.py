"""Which permission guards each of this app's URLs; merged into the matrix in accounts/permissions.py."""

ACCESS: dict = {
    "retention": "retention.manage",
    "retention-set": "retention.manage",
    "retention-hold": "retention.manage",
    "retention-release": "retention.manage",
    "retention-run": "retention.manage",
}
