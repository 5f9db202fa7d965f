"""Which permission guards each of this app's URLs; merged into the matrix in accounts/permissions.py."""

# permissions.PUBLIC, spelled out: permissions.py imports this module while it loads.
PUBLIC = "public"

ACCESS: dict = {
    "overdose-reports": "overdose.view",
    "overdose-report-detail": "overdose.view",
    "overdose-report-new": "overdose.report",
    "overdose-import": "overdose.import",
    "overdose-import-preview": "overdose.import",
    "overdose-import-confirm": "overdose.import",
    "overdose-settings": "overdose.settings",
    "overdose-detect-now": "overdose.settings",
    # Anyone may report a bad reaction or overdose, without an account.
    "overdose-public-report": PUBLIC,
    "overdose-public-thanks": PUBLIC,
}
