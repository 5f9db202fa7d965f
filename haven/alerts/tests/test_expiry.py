"""Published alerts expire on their own: a periodic job takes them off the page and the feed."""

import datetime

from django.utils import timezone

from haven.alerts import actions
from haven.alerts.models import Alert
from haven.alerts.tests.support import run_worker


def test_the_expiry_job_expires_published_alerts_past_their_time(places, dana, anonymous_client):
    soon, _ = actions.alert_draft(source_kind="manual", source_key="soon", title="Short alert", body="Carry naloxone.",
                                  expires_at=timezone.now() + datetime.timedelta(hours=1))
    later, _ = actions.alert_draft(source_kind="manual", source_key="later", title="Long alert",
                                   body="Carry naloxone.", expires_at=timezone.now() + datetime.timedelta(days=3))
    for alert in (soon, later):
        actions.alert_publish(actor=dana, alert=alert, base_url="http://haven.test")

    # An hour and a bit later (the job reads the clock itself, so move the expiry instead).
    Alert.objects.filter(pk=soon.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    run_worker()

    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.status == Alert.Status.EXPIRED
    assert soon.expired_at is not None
    assert later.status == Alert.Status.PUBLISHED


def test_alerts_without_an_expiry_stay_until_taken_down(published_alert):
    assert actions.alerts_expire_due(now=timezone.now() + datetime.timedelta(days=365)) == 0
    published_alert.refresh_from_db()
    assert published_alert.status == Alert.Status.PUBLISHED


def test_an_expired_alert_is_not_sent_to_subscribers_any_more(smtp_server, places, dana, spike_draft):
    subscriber, _ = actions.subscriber_subscribe(email="late@example.org", base_url="http://haven.test")
    actions.subscriber_confirm(subscriber=subscriber)
    smtp_server.envelopes.clear()
    actions.alert_publish(actor=dana, alert=spike_draft, base_url="http://haven.test")
    actions.alert_expire(actor=dana, alert=spike_draft)

    run_worker()

    assert smtp_server.envelopes == []
    assert not spike_draft.deliveries.filter(status="sent").exists()
