"""Which permission guards each of this app's URLs; merged into the matrix in accounts/permissions.py."""

ACCESS: dict = {
    # Anyone who works with participants finds any participant: people move between sites.
    "participants": "participants.view",
    "participant-lookup": "participants.view",
    "participant-scan": "participants.view",
    "participant-detail": "participants.view",
    "participant-card": "participants.view",
    "participant-enroll": "participants.enroll",
    "participant-merge": "participants.merge",
    # Nicknames and contact details, with consent: paid staff only.
    "participant-consent": "participants.contact",
    "api:participant-lookup-api": "participants.view",
    "api:participant-enroll-api": "participants.enroll",
}
