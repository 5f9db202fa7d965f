"""Which permission guards each of this app's URLs; merged into the matrix in accounts/permissions.py.

The matrix says who may open a page. What is on it is need-to-know (queries.notes_access): a person's
notes and plans show only to staff assigned to them and to coordinators, or after breaking the glass.
"""

# permissions.PUBLIC; a literal, because this module is imported while permissions.py is still loading.
PUBLIC = "public"

ACCESS: dict = {
    # Every role supports people: goals, support contacts, referrals, safety plans.
    "support-home": "support.record",
    "support-person": "support.record",
    "support-goal-new": "support.record",
    "support-goal-progress": "support.record",
    "support-contact-new": "support.record",
    "support-referral-new": "support.record",
    "support-referral-status": "support.record",
    "support-safety-plan": "support.record",
    "support-safety-plan-print": "support.record",
    "support-break-glass": "support.record",
    # Paid staff: consent to share with named partners, and sharing under it.
    "support-share": "support.share",
    "support-referral-share": "support.share",
    "support-withdraw": "support.share",
    # Coordinators and admins: who works with whom, the break-the-glass log, every disclosure.
    "support-assign": "support.oversight",
    "support-oversight": "support.oversight",
    # Reports of referrals (small cells suppressed in exports).
    "support-report": "reports.view",
    "support-report-csv": "reports.export",
    # Anyone: the person opens their own safety plan with the code they took away.
    "support-plan-copy": PUBLIC,
    # API
    "api:support-referral-report-api": "reports.export",
    "api:support-referrals-api": "support.record",
}
