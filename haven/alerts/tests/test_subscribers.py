"""Subscribing: double opt-in, encrypted addresses, spam resistance, unsubscribing."""

import time

import pytest
from django.db import connection

from haven.alerts import actions, links
from haven.alerts.models import Subscriber
from haven.core.models import AuditEvent, Job

ADDRESS = "river@example.org"


def form_data(email=ADDRESS, seconds_ago=10, **extra):
    return {"email": email, "started": links.form_started_token(time.time() - seconds_ago), "website": "", **extra}


def test_a_visitor_subscribes_and_a_confirmation_is_queued(places, anonymous_client):
    response = anonymous_client.post("/alerts/subscribe/", form_data(areas=[places["north"].pk]))

    assert "Check your e-mail" in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    assert list(subscriber.areas.all()) == [places["north"]]
    assert Job.objects.filter(name="alerts.send_confirmation").count() == 1


def test_the_address_is_encrypted_in_the_database(places):
    actions.subscriber_subscribe(email=ADDRESS, base_url="http://haven.test")

    with connection.cursor() as cursor:
        cursor.execute("SELECT email, email_index FROM alerts_subscriber")
        raw_email, raw_index = cursor.fetchone()
    assert ADDRESS not in str(raw_email)
    assert "river" not in str(raw_email)
    assert "river" not in raw_index
    assert Subscriber.objects.get().email == ADDRESS


def test_the_same_address_in_other_letters_is_one_subscriber(places):
    actions.subscriber_subscribe(email=ADDRESS, base_url="http://haven.test")
    actions.subscriber_subscribe(email="  River@Example.ORG ", base_url="http://haven.test")

    assert Subscriber.objects.count() == 1


def test_confirmation_emails_are_rate_limited_per_address(places):
    _, first = actions.subscriber_subscribe(email=ADDRESS, base_url="http://haven.test")
    _, second = actions.subscriber_subscribe(email=ADDRESS, base_url="http://haven.test")

    assert (first, second) == (True, False)
    assert Job.objects.filter(name="alerts.send_confirmation").count() == 1


def test_a_filled_in_honeypot_is_answered_kindly_and_ignored(places, anonymous_client):
    response = anonymous_client.post("/alerts/subscribe/", form_data(website="http://spam.example"))

    assert "Check your e-mail" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_a_form_sent_faster_than_a_person_can_type_is_ignored(places, anonymous_client):
    anonymous_client.post("/alerts/subscribe/", form_data(seconds_ago=0))

    assert not Subscriber.objects.exists()


def test_a_forged_start_time_is_ignored(places, anonymous_client):
    anonymous_client.post("/alerts/subscribe/", {**form_data(), "started": "1700000000"})

    assert not Subscriber.objects.exists()


def test_a_bad_address_shows_an_error(places, anonymous_client):
    response = anonymous_client.post("/alerts/subscribe/", form_data(email="not an address"))

    assert response.status_code == 200
    assert "Enter a valid email address" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_the_subscribe_page_hides_the_honeypot_from_people(anonymous_client, places):
    page = anonymous_client.get("/alerts/subscribe/").content.decode()

    assert 'aria-hidden="true"' in page
    assert 'name="website"' in page
    assert 'name="started"' in page


def test_unsubscribing_deletes_the_address(places, anonymous_client):
    subscriber, _ = actions.subscriber_subscribe(email=ADDRESS, base_url="http://haven.test")
    actions.subscriber_confirm(subscriber=subscriber)
    token = links.unsubscribe_token(subscriber)

    response = anonymous_client.post(f"/alerts/unsubscribe/?token={token}")

    assert response.status_code == 200
    assert not Subscriber.objects.exists()
    event = AuditEvent.objects.filter(object_type="alerts.subscriber").last()
    assert (event.action, event.detail) == ("delete", {"event": "unsubscribed"})


def test_one_click_unsubscribe_from_a_mail_program_needs_no_csrf_token(places):
    from django.test import Client

    subscriber, _ = actions.subscriber_subscribe(email=ADDRESS, base_url="http://haven.test")
    client = Client(enforce_csrf_checks=True)

    response = client.post(f"/alerts/unsubscribe/?token={links.unsubscribe_token(subscriber)}",
                           {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert not Subscriber.objects.exists()


def test_a_tampered_token_unsubscribes_no_one(places, anonymous_client):
    subscriber, _ = actions.subscriber_subscribe(email=ADDRESS, base_url="http://haven.test")
    token = links.unsubscribe_token(subscriber)

    anonymous_client.post(f"/alerts/unsubscribe/?token={token[:-2]}xx")
    anonymous_client.post(f"/alerts/unsubscribe/?token={links.confirm_token(subscriber)}")

    assert Subscriber.objects.count() == 1


def test_an_invalid_confirmation_link_says_so(places, anonymous_client):
    response = anonymous_client.get("/alerts/subscribe/confirm/?token=nonsense")

    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()


def test_unconfirmed_addresses_are_deleted_after_a_week(places):
    import datetime

    from django.utils import timezone

    actions.subscriber_subscribe(email=ADDRESS, base_url="http://haven.test")

    assert actions.subscribers_remove_unconfirmed(now=timezone.now() + datetime.timedelta(days=6)) == 0
    assert actions.subscribers_remove_unconfirmed(now=timezone.now() + datetime.timedelta(days=8)) == 1
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize("who", ["alice", "dana"])
def test_managers_see_counts_but_never_addresses(who, everyone, places, client_as):
    subscriber, _ = actions.subscriber_subscribe(email=ADDRESS, areas=[places["north"]], base_url="http://haven.test")
    actions.subscriber_confirm(subscriber=subscriber)

    page = client_as(everyone[who]).get("/alerts/subscribers/").content.decode()

    assert "Northside" in page
    assert "river" not in page


def test_one_connection_can_ask_for_only_a_few_subscriptions_an_hour(places, anonymous_client):
    limit = actions.SUBSCRIBE_LIMIT.per_client
    for number in range(limit):
        response = anonymous_client.post("/alerts/subscribe/", form_data(f"p{number}@example.org"),
                                         REMOTE_ADDR="203.0.113.5")
        assert response.status_code == 200 and "Check your e-mail" in response.content.decode()

    refused = anonymous_client.post("/alerts/subscribe/", form_data("one-more@example.org"), REMOTE_ADDR="203.0.113.5")
    other = anonymous_client.post("/alerts/subscribe/", form_data("other@example.org"), REMOTE_ADDR="198.51.100.5")

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3601
    assert "Too many subscription requests from this connection" in refused.content.decode()
    assert other.status_code == 200 and "Check your e-mail" in other.content.decode()
    assert Job.objects.filter(name="alerts.send_confirmation").count() == limit + 1


def test_confirmation_emails_have_a_ceiling_for_everyone_together(places, anonymous_client, monkeypatch):
    import dataclasses

    monkeypatch.setattr(actions, "SUBSCRIBE_LIMIT", dataclasses.replace(actions.SUBSCRIBE_LIMIT, overall=3))
    for number in range(3):
        anonymous_client.post("/alerts/subscribe/", form_data(f"p{number}@example.org"),
                              REMOTE_ADDR=f"198.51.100.{number}")

    refused = anonymous_client.post("/alerts/subscribe/", form_data("late@example.org"), REMOTE_ADDR="198.51.100.99")

    assert refused.status_code == 429
    assert "Too many subscription requests in the last hour" in refused.content.decode()
    assert Job.objects.filter(name="alerts.send_confirmation").count() == 3
