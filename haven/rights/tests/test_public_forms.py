"""The public forms: anyone may report a rights violation or warn others, anonymously, screened and
rate limited; nothing about the sender is kept."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from haven.core.models import AuditEvent
from haven.rights.actions import PUBLIC_REPORT_LIMIT, PUBLIC_WARNING_LIMIT
from haven.rights.models import PeerWarning, RightsReport

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.7"
NAMES = ("John Smith and Maria Lopez were with me, my name is Sam Jones, "
         "officer Peter Brown took our kits. Call me on 415 555 0199.")


def report_answers(places, **overrides):
    data = {"occurred_on": timezone.localdate().isoformat(), "area": places["east"].pk,
            "events": ["naloxone_confiscated"], "note": "", "officer_details": "", "website": ""}
    data.update(overrides)
    return data


def warning_answers(places, **overrides):
    data = {"kind": "bad_batch", "occurred_on": timezone.localdate().isoformat(), "area": places["north"].pk,
            "description": "Blue pills sold as oxy put two people out fast, naloxone took two doses", "website": ""}
    data.update(overrides)
    return data


def send(client, name, data, address=ADDRESS):
    return client.post(reverse(name), data, REMOTE_ADDR=address)


def test_anyone_reports_a_rights_violation_without_an_account(places, anonymous_client):
    assert anonymous_client.get(reverse("rights-public-report")).status_code == 200
    response = send(anonymous_client, "rights-public-report", report_answers(places, officer_details="Badge 12"))

    assert response.status_code == 302 and response["Location"] == reverse("rights-public-thanks")
    report = RightsReport.objects.get()
    assert (report.source, report.status, report.recorded_by) == ("public", "to_check", None)
    event = AuditEvent.objects.get(object_type="rights.rightsreport")
    assert event.ip_address is None and ADDRESS not in str(event.detail)


def test_an_anonymous_report_full_of_names_is_flagged_and_offered_back_without_them(places, anonymous_client):
    response = send(anonymous_client, "rights-public-report", report_answers(places, note=NAMES))

    page = response.content.decode()
    assert response.status_code == 400
    assert "We took out what looked like names or contact details" in page
    assert RightsReport.objects.count() == 0
    # The text comes back with the names and the phone number taken out, ready to send again.
    for detail in ("John Smith", "Maria Lopez", "Sam Jones", "555 0199"):
        assert detail not in page
    assert "[removed]" in page

    redacted = response.context["form"].data["note"]
    response = send(anonymous_client, "rights-public-report", report_answers(places, note=redacted))
    assert response.status_code == 302
    assert "Smith" not in RightsReport.objects.get().note


def test_wanting_help_on_the_public_form_shows_where_legal_help_is(places, anonymous_client):
    response = send(anonymous_client, "rights-public-report", report_answers(places, wants_help="on"))
    assert response["Location"] == reverse("rights-public-thanks-help")
    page = anonymous_client.get(response["Location"]).content.decode()
    assert "category=legal" in page


def test_bad_input_on_the_public_form_gets_clear_messages(places, anonymous_client):
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    response = send(anonymous_client, "rights-public-report", report_answers(places, occurred_on=tomorrow, events=[]))
    assert response.status_code == 400
    assert "This date is in the future" in response.content.decode() or "events" in response.context["form"].errors
    assert RightsReport.objects.count() == 0


def test_a_filled_honeypot_is_thanked_but_nothing_is_saved(places, anonymous_client):
    response = send(anonymous_client, "rights-public-report", report_answers(places, website="http://spam.example"))
    assert response.status_code == 302 and RightsReport.objects.count() == 0


def test_the_report_form_is_rate_limited_per_connection(places, anonymous_client):
    for _ in range(PUBLIC_REPORT_LIMIT.per_client):
        assert send(anonymous_client, "rights-public-report", report_answers(places)).status_code == 302
    response = send(anonymous_client, "rights-public-report", report_answers(places))
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert RightsReport.objects.count() == PUBLIC_REPORT_LIMIT.per_client
    # Another connection is not held back; the address itself is never a cache key.
    assert send(anonymous_client, "rights-public-report", report_answers(places), address="198.51.100.2").status_code == 302
    assert not any(ADDRESS in key for key in cache._cache)


def test_anyone_warns_others_and_nothing_about_them_is_kept(places, anonymous_client):
    assert anonymous_client.get(reverse("rights-public-warning")).status_code == 200
    response = send(anonymous_client, "rights-public-warning", warning_answers(places))

    assert response.status_code == 302
    warning = PeerWarning.objects.get()
    assert warning.status == "new" and warning.received_on == timezone.localdate()
    # No account, no address, no time of day: the model has nowhere to put them.
    names = {field.name for field in PeerWarning._meta.get_fields()}
    assert not names & {"created_by", "recorded_by", "ip_address", "created_at", "user"}
    event = AuditEvent.objects.get(object_type="rights.peerwarning")
    assert event.ip_address is None and event.actor_id is None


def test_a_signed_in_peer_using_the_warning_form_is_not_recorded_either(places, carol, client_as):
    send(client_as(carol), "rights-public-warning", warning_answers(places, kind="bad_date",
         description="Grey van, man asks for no condom then gets violent, around the rail yards"))
    event = AuditEvent.objects.get(object_type="rights.peerwarning")
    assert event.actor_id is None and event.ip_address is None


def test_a_warning_that_names_someone_is_flagged(places, anonymous_client):
    response = send(anonymous_client, "rights-public-warning", warning_answers(places, description=NAMES))
    assert response.status_code == 400 and PeerWarning.objects.count() == 0
    assert "Nothing was sent yet" in response.content.decode() and "Sam Jones" not in response.content.decode()


def test_an_empty_warning_is_refused(places, anonymous_client):
    response = send(anonymous_client, "rights-public-warning", warning_answers(places, description="  "))
    assert response.status_code == 400 and PeerWarning.objects.count() == 0


def test_the_warning_form_is_rate_limited(places, anonymous_client):
    for _ in range(PUBLIC_WARNING_LIMIT.per_client):
        send(anonymous_client, "rights-public-warning", warning_answers(places))
    assert send(anonymous_client, "rights-public-warning", warning_answers(places)).status_code == 429


@pytest.mark.parametrize("language, words", [("es", 'lang="es"'), ("fr", 'lang="fr"')])
def test_the_public_forms_answer_in_the_visitors_language(places, anonymous_client, language, words):
    for name in ("rights-public-report", "rights-public-warning"):
        response = anonymous_client.get(reverse(name), HTTP_ACCEPT_LANGUAGE=language)
        assert words in response.content.decode()
