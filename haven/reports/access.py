"""Which permission guards each of this app's URLs; merged into the matrix in accounts/permissions.py."""

# permissions.PUBLIC; a literal, because this module is imported while permissions.py is still loading.
PUBLIC = "public"

ACCESS: dict = {
    # Exact counts, inside the program only.
    "reports-dashboard": "reports.view",
    "reports-indicators": "reports.view",
    "reports-templates": "reports.view",
    "reports-report": "reports.view",
    # Files that leave the program: always suppressed.
    "reports-export": "reports.export",
    "reports-open-data": "reports.export",
    "reports-template-new": "reports.templates",
    "reports-template-delete": "reports.templates",
    # API
    "api:reports-indicators-api": "reports.view",
    "api:reports-report-api": "reports.export",
}
