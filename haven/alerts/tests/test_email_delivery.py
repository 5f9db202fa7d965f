"""E-mail to subscribers through a real SMTP server on loopback, sent by the worker."""

import re

from haven.alerts import actions
from haven.alerts.models import Delivery, Subscriber
from haven.alerts.tests.support import run_worker
from haven.core.models import Job

ADDRESS = "river@example.org"


def confirmed_subscriber(address=ADDRESS, areas=()):
    subscriber, _ = actions.subscriber_subscribe(email=address, areas=areas, base_url="http://haven.test")
    return actions.subscriber_confirm(subscriber=subscriber)


def test_a_subscriber_receives_the_published_alert_with_an_unsubscribe_link(smtp_server, places, dana, spike_draft):
    confirmed_subscriber()
    smtp_server.envelopes.clear()  # the confirmation e-mail is not what this test is about

    actions.alert_publish(actor=dana, alert=spike_draft, base_url="http://haven.test")
    assert smtp_server.envelopes == []  # nothing is sent during the request
    run_worker()

    assert len(smtp_server.envelopes) == 1
    envelope = smtp_server.envelopes[0]
    assert envelope.rcpt_tos == [ADDRESS]
    message = smtp_server.messages()[0]
    assert spike_draft.title in message["Subject"]
    text = message.get_content()
    assert "Carry naloxone." in text
    assert f"http://haven.test/alerts/{spike_draft.pk}/" in text
    unsubscribe = re.search(r"http://haven\.test/alerts/unsubscribe/\?token=\S+", text).group(0)
    assert message["List-Unsubscribe"].strip() == f"<{unsubscribe}>"
    assert "ears-c2" not in text  # never the reviewers' context
    delivery = Delivery.objects.get()
    assert (delivery.channel, delivery.status, delivery.attempts) == ("email", "sent", 1)


def test_the_unsubscribe_link_in_the_email_works(smtp_server, places, dana, spike_draft, anonymous_client):
    confirmed_subscriber()
    actions.alert_publish(actor=dana, alert=spike_draft, base_url="http://haven.test")
    run_worker()
    text = smtp_server.messages()[-1].get_content()
    path = re.search(r"http://haven\.test(/alerts/unsubscribe/\?token=\S+)", text).group(1)

    assert "Unsubscribe" in anonymous_client.get(path).content.decode()
    response = anonymous_client.post(path)

    assert "You are unsubscribed" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_the_confirmation_email_arrives_and_its_link_confirms(smtp_server, places, anonymous_client):
    actions.subscriber_subscribe(email=ADDRESS, base_url="http://haven.test")
    run_worker()

    assert smtp_server.envelopes[0].rcpt_tos == [ADDRESS]
    text = smtp_server.messages()[0].get_content()
    path = re.search(r"http://haven\.test(/alerts/subscribe/confirm/\?token=\S+)", text).group(1)
    assert Subscriber.objects.get().status == "pending"

    anonymous_client.get(path)  # a mail scanner opening the link confirms nothing
    assert Subscriber.objects.get().status == "pending"
    anonymous_client.post(path)
    assert Subscriber.objects.get().status == "confirmed"


def test_subscribers_who_chose_other_areas_are_not_sent_the_alert(smtp_server, places, dana, spike_draft):
    confirmed_subscriber("north@example.org", areas=[places["north"]])
    confirmed_subscriber("east@example.org", areas=[places["east"]])
    confirmed_subscriber("everything@example.org")
    smtp_server.envelopes.clear()

    actions.alert_publish(actor=dana, alert=spike_draft, base_url="http://haven.test")
    run_worker()

    assert sorted(e.rcpt_tos[0] for e in smtp_server.envelopes) == ["everything@example.org", "north@example.org"]


def test_pending_subscribers_get_no_alerts(smtp_server, places, dana, spike_draft):
    actions.subscriber_subscribe(email=ADDRESS, base_url="http://haven.test")
    actions.alert_publish(actor=dana, alert=spike_draft, base_url="http://haven.test")
    run_worker()

    assert [m["Subject"] for m in smtp_server.messages()] == ["Confirm that you want Haven alerts"]


def test_a_mail_server_that_is_down_is_retried_and_no_address_is_kept_in_the_error(settings, places, dana, spike_draft):
    from haven.alerts.tests.support import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    confirmed_subscriber()
    Job.objects.all().delete()
    actions.alert_publish(actor=dana, alert=spike_draft, base_url="http://haven.test")

    run_worker()

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("queued", 1)
    assert delivery.last_error == "ConnectionRefusedError"
    job = Job.objects.get(name="alerts.deliver_email")
    assert job.status == Job.Status.QUEUED and job.run_at > job.created_at
    assert ADDRESS not in job.last_error
