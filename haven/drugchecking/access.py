"""Which permission guards each of this app's URLs; merged into the matrix in accounts/permissions.py."""

# permissions.PUBLIC; a literal, because this module is imported while permissions.py is still loading.
PUBLIC = "public"

ACCESS: dict = {
    "drugchecking-samples": "drugchecking.view",
    "drugchecking-sample": "drugchecking.view",
    # Every role takes samples in and hands over the code.
    "drugchecking-sample-new": "drugchecking.intake",
    "drugchecking-handover": "drugchecking.intake",
    # Paid staff record results and review findings.
    "drugchecking-strip": "drugchecking.test",
    "drugchecking-reagent": "drugchecking.test",
    "drugchecking-spectrometry": "drugchecking.test",
    "drugchecking-laboratory": "drugchecking.test",
    "drugchecking-review": "drugchecking.review",
    # Coordinators and admins import laboratory files.
    "drugchecking-import": "drugchecking.manage",
    "drugchecking-import-confirm": "drugchecking.manage",
    # Anyone: a participant's result by their code, and the de-identified market view.
    "drugchecking-result": PUBLIC,
    "drugchecking-market": PUBLIC,
    # API
    "api:drugchecking-samples-api": "drugchecking.view",
    "api:drugchecking-sample-api": "drugchecking.view",
}
