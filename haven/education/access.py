"""Which permission guards each of this app's URLs; merged into the matrix in accounts/permissions.py.

Fact sheets and the interaction checker are public: anyone may read them, signed in or not.
"""

# permissions.PUBLIC; a literal, because this module is imported while permissions.py is still loading.
PUBLIC = "public"

ACCESS: dict = {
    "education-substances": PUBLIC,
    "education-substance": PUBLIC,
    "education-interactions": PUBLIC,
    "education-interaction-suggestions": PUBLIC,
    "api:substances-api": PUBLIC,
    "api:substance-api": PUBLIC,
    "api:interactions-api": PUBLIC,
    "api:interaction-names-api": PUBLIC,
    # Coordinators and admins: edit a fact sheet, review another person's edit, publish, revert.
    "education-sheet-editor": "education.edit",
    "education-sheet-edit": "education.edit",
    "education-sheet-version": "education.edit",
    "education-sheet-export": "education.edit",
    "education-sheet-step": "education.edit",
}
