"""Which permission guards each of this app's URLs; merged into the matrix in accounts/permissions.py."""

# GET and POST /api/encounters are one Django URL: it resolves to whichever name ninja lists first,
# so both names carry the same rule by method.
_API_RULE = {"GET": "encounters.view", "POST": "encounters.record"}

ACCESS: dict = {
    "encounter-new": "encounters.record",
    # Undo applies only to the visit this person just recorded in this session (see views).
    "encounter-undo": "encounters.record",
    "encounters": "encounters.view",
    # A file of participant-level visits leaves the program: managers only, audited.
    "encounters-export": "reports.export",
    "encounter-detail": "encounters.view",
    "encounter-void": "encounters.void",
    # The recorder for 24 hours, managers any time: the action decides (actions.may_correct).
    "encounter-correct": "encounters.correct",
    "api:encounters-api": _API_RULE,
    "api:encounter-create-api": _API_RULE,
}
