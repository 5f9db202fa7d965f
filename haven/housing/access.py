"""Which permission guards each of this app's URLs; merged into the matrix in accounts/permissions.py."""

# permissions.PUBLIC; a literal, because this module is imported while permissions.py is still loading.
PUBLIC = "public"

ACCESS: dict = {
    # Every role: the board, the "available now" list, holding a bed, a person's status and journey.
    "housing-home": "housing.record",
    "housing-board": "housing.record",
    "housing-available": "housing.record",
    "housing-bed-hold": "housing.record",
    "housing-bed-status": "housing.record",
    "housing-hold-end": "housing.record",
    "housing-person": "housing.record",
    "housing-status-new": "housing.record",
    "housing-status-same": "housing.record",
    "housing-journey-step": "housing.record",
    "housing-task-done": "housing.record",
    "housing-flag-resolve": "housing.record",
    # Paid staff: consent to the HMIS and its withdrawal.
    "housing-consent": "housing.consent",
    # Coordinators and admins: places and beds, the report, the funder template, the HMIS export.
    "housing-property-new": "housing.manage",
    "housing-property-edit": "housing.manage",
    "housing-report": "reports.view",
    "housing-report-csv": "reports.export",
    "housing-funder-report": "reports.export",
    "housing-hmis-export": "housing.hmis_export",
    # Anyone: the person opens their own steps with the code they took away.
    "housing-my-steps": PUBLIC,
    # API. A partner's own token (X-Partner-Token header) is checked by the endpoint: it is not a staff account.
    "api:housing-available-api": "housing.record",
    "api:housing-hold-api": "housing.record",
    "api:housing-partner-beds-api": PUBLIC,
    "api:housing-partner-availability-api": PUBLIC,
}
