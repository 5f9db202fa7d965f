"""Which permission guards each of this app's URLs; merged into the matrix in accounts/permissions.py."""

# permissions.PUBLIC; a literal, because this module is imported while permissions.py is still loading.
PUBLIC = "public"

ACCESS: dict = {
    "branding-edit": "branding.manage",
    # Shown on every page, the sign-in page and public pages included.
    "branding-css": PUBLIC,
    "branding-logo": PUBLIC,
}
