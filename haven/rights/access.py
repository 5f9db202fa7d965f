"""Which permission guards each of this app's URLs; merged into the matrix in accounts/permissions.py."""

# permissions.PUBLIC; a literal, because this module is imported while permissions.py is still loading.
PUBLIC = "public"

ACCESS: dict = {
    # Every role: record a report (by staff, or a participant with staff).
    "rights-home": "rights.record",
    "rights-report-new": "rights.record",
    # Coordinators and admins: read reports and check anonymous ones before they count.
    "rights-reports": "rights.review",
    "rights-report-check": "rights.review",
    # The advocacy report: suppressed counts inside the program, the CSV that leaves it, the public page.
    "rights-advocacy": "reports.view",
    "rights-advocacy-csv": "reports.export",
    "rights-public-page-toggle": "rights.publish",
    # Paid staff: peer warnings turned into de-identified alerts.
    "rights-warnings": "rights.warnings",
    "rights-warning-detail": "rights.warnings",
    # Admins only, every view audited: the legal requests log and what was produced.
    "rights-legal": "rights.legal",
    "rights-legal-new": "rights.legal",
    "rights-legal-detail": "rights.legal",
    "rights-legal-produce": "rights.legal",
    "rights-legal-production": "rights.legal",
    # Anyone: anonymous reports and warnings; the counts page answers 404 until the program switches it on.
    "rights-public-report": PUBLIC,
    "rights-public-thanks": PUBLIC,
    "rights-public-thanks-help": PUBLIC,
    "rights-public-warning": PUBLIC,
    "rights-public-warning-thanks": PUBLIC,
    "rights-public-counts": PUBLIC,
}
