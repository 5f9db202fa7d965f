"""Which permission guards each of this app's URLs; merged into the matrix in accounts/permissions.py."""

# permissions.PUBLIC; a literal, because this module is imported while permissions.py is still loading.
PUBLIC = "public"

ACCESS: dict = {
    # Anyone: published alerts, the feed, and subscribing by e-mail.
    "alerts-public": PUBLIC,
    "alert-detail": PUBLIC,
    "alerts-feed": PUBLIC,
    "alerts-subscribe": PUBLIC,
    "alerts-subscribe-confirm": PUBLIC,
    "alerts-unsubscribe": PUBLIC,
    # Paid staff: drafts with their context; edit, review, publish, dismiss, take down.
    "alerts-drafts": "alerts.review",
    "alerts-bulk-dismiss": "alerts.review",
    "alert-new": "alerts.review",
    "alert-edit": "alerts.review",
    "alert-review": "alerts.review",
    "alert-publish": "alerts.review",
    "alert-dismiss": "alerts.review",
    "alert-expire": "alerts.review",
    # Coordinators and admins: who receives alerts.
    "alert-subscribers": "alerts.manage",
    "alert-webhooks": "alerts.manage",
    "alert-webhook-edit": "alerts.manage",
}
