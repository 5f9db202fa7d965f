from django.urls import path

from haven.alerts import views
from haven.alerts.feeds import AlertsFeed

urlpatterns = [
    # Public
    path("", views.public_list, name="alerts-public"),
    path("<int:alert_id>/", views.public_detail, name="alert-detail"),
    path("feed.atom", AlertsFeed(), name="alerts-feed"),
    path("subscribe/", views.subscribe, name="alerts-subscribe"),
    path("subscribe/confirm/", views.subscribe_confirm, name="alerts-subscribe-confirm"),
    path("unsubscribe/", views.unsubscribe, name="alerts-unsubscribe"),
    # Staff: review and publish
    path("review/", views.drafts, name="alerts-drafts"),
    path("review/dismiss/", views.alerts_bulk_dismiss, name="alerts-bulk-dismiss"),
    path("review/new/", views.alert_new, name="alert-new"),
    path("review/<int:alert_id>/", views.alert_edit, name="alert-edit"),
    path("review/<int:alert_id>/reviewed/", views.alert_review, name="alert-review"),
    path("review/<int:alert_id>/publish/", views.alert_publish, name="alert-publish"),
    path("review/<int:alert_id>/dismiss/", views.alert_dismiss, name="alert-dismiss"),
    path("review/<int:alert_id>/expire/", views.alert_expire, name="alert-expire"),
    # Managers
    path("subscribers/", views.subscribers, name="alert-subscribers"),
    path("webhooks/", views.webhooks, name="alert-webhooks"),
    path("webhooks/<int:webhook_id>/", views.webhook_edit, name="alert-webhook-edit"),
]
