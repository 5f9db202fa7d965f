"""Which permission guards each of this app's URLs; merged into the matrix in accounts/permissions.py."""

# permissions.PUBLIC; a literal, because this module is imported while permissions.py is still loading.
PUBLIC = "public"

ACCESS: dict = {
    # Anyone: the public directory, one service, and the HSDS package of the whole directory.
    "directory-public": PUBLIC,
    "directory-service-public": PUBLIC,
    "directory-export": PUBLIC,
    # Every role: the staff view (inactive entries too).
    "directory-staff": "directory.view",
    # Paid staff keep entries current.
    "directory-service-new": "directory.edit",
    "directory-service-edit": "directory.edit",
    "directory-availability": "directory.edit",
    # Coordinators and admins: HSDS imports and partner tokens.
    "directory-import": "directory.import",
    "directory-partners": "directory.import",
    # API. A partner's own token (X-Partner-Token header) is checked by the endpoint: it is not a staff account.
    "api:directory-services-api": "directory.view",
    "api:directory-package-api": "directory.view",
    "api:directory-partner-package-api": PUBLIC,
    "api:directory-partner-availability-api": PUBLIC,
}
