"""The public form: anyone may report a bad reaction or overdose, anonymously and without spam."""

import time

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from haven.core.models import AuditEvent
from haven.overdose.forms import public_form_token
from haven.overdose.models import OverdoseReport
from haven.overdose.public_form import PUBLIC_FORM_LIMIT, PUBLIC_LIMIT_PER_HOUR

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.7"


def answers(places, **overrides):
    data = {
        "occurred_on": timezone.localdate().isoformat(), "hour": "", "area": places["east"].pk,
        "what_happened": "overdose_survived", "naloxone_used": "yes", "emergency_services_called": "no",
        "substances": "fentanyl", "notes": "", "website": "",
        "started": public_form_token(time.time() - 60),  # the form was opened a minute ago
    }
    data.update(overrides)
    return data


def send(client, data, address=ADDRESS):
    return client.post(reverse("overdose-public-report"), data, REMOTE_ADDR=address)


def test_anyone_can_open_the_form_without_signing_in(places, anonymous_client):
    response = anonymous_client.get(reverse("overdose-public-report"))

    assert response.status_code == 200
    assert "Report a bad reaction or overdose" in response.content.decode()


def test_a_member_of_the_public_reports_an_overdose(places, anonymous_client):
    response = send(anonymous_client, answers(places))

    assert response.status_code == 302
    assert response["Location"] == reverse("overdose-public-thanks")
    report = OverdoseReport.objects.get()
    assert (report.source, report.area, report.fatal, report.naloxone_doses) == ("public", places["east"], "no", 1)
    assert report.created_by is None


def rate_limit_keys():
    return [key for key in cache._cache if "overdose-public-form" in key]  # the test cache is local memory


def test_the_address_is_never_stored_only_a_keyed_digest(places, anonymous_client):
    send(anonymous_client, answers(places))

    keys = rate_limit_keys()
    assert keys and not any(ADDRESS in key for key in keys)
    event = AuditEvent.objects.filter(object_type="overdose.overdosereport").get()
    assert event.ip_address is None
    assert ADDRESS not in str(event.detail)


def test_the_form_refuses_names_and_phone_numbers(places, anonymous_client):
    for notes in ["It was John Smith from the shelter", "call me on 0612 345 678"]:
        response = send(anonymous_client, answers(places, notes=notes))

        assert response.status_code == 200
        assert "Please take out names, phone numbers and e-mail addresses" in response.content.decode()
    assert OverdoseReport.objects.count() == 0


def test_a_filled_honeypot_is_thanked_but_nothing_is_saved(places, anonymous_client):
    response = send(anonymous_client, answers(places, website="http://spam.example"))

    assert response.status_code == 302
    assert OverdoseReport.objects.count() == 0
    assert rate_limit_keys() == []


def test_a_form_sent_too_fast_is_refused(places, anonymous_client):
    response = send(anonymous_client, answers(places, started=public_form_token(time.time())))

    assert response.status_code == 200
    assert "That was very quick" in response.content.decode()
    assert OverdoseReport.objects.count() == 0


def test_a_forged_or_missing_timestamp_is_refused(places, anonymous_client):
    for started in ["", "1700000000", public_form_token(time.time() - 60) + "x"]:
        send(anonymous_client, answers(places, started=started))

    assert OverdoseReport.objects.count() == 0


def test_one_address_can_send_only_a_few_reports_an_hour(places, anonymous_client):
    for _ in range(PUBLIC_LIMIT_PER_HOUR):
        assert send(anonymous_client, answers(places)).status_code == 302

    refused = send(anonymous_client, answers(places))
    other_address = send(anonymous_client, answers(places), address="198.51.100.9")

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3601
    assert "Please wait a while" in refused.content.decode()
    assert other_address.status_code == 302
    assert OverdoseReport.objects.count() == PUBLIC_LIMIT_PER_HOUR + 1


def test_a_flood_from_many_addresses_meets_the_overall_limit(places, anonymous_client, monkeypatch):
    import dataclasses

    from haven.overdose import public_form

    monkeypatch.setattr(public_form, "PUBLIC_FORM_LIMIT", dataclasses.replace(PUBLIC_FORM_LIMIT, overall=3))
    for number in range(3):
        assert send(anonymous_client, answers(places), address=f"198.51.100.{number}").status_code == 302

    refused = send(anonymous_client, answers(places), address="198.51.100.200")

    assert refused.status_code == 429
    assert "receiving very many reports" in refused.content.decode()
    assert OverdoseReport.objects.count() == 3


def test_refused_reports_do_not_use_up_the_limit(places, anonymous_client):
    for _ in range(PUBLIC_LIMIT_PER_HOUR + 2):
        send(anonymous_client, answers(places, notes="call me on 0612 345 678"))

    assert send(anonymous_client, answers(places)).status_code == 302


def test_a_report_in_the_future_is_refused_on_the_date(places, anonymous_client):
    tomorrow = (timezone.localdate() + timezone.timedelta(days=2)).isoformat()

    response = send(anonymous_client, answers(places, occurred_on=tomorrow))

    assert response.status_code == 200
    assert response.context["form"].errors["occurred_on"]


def test_the_thanks_page_is_public(anonymous_client):
    assert anonymous_client.get(reverse("overdose-public-thanks")).status_code == 200
