"""Peer warnings: staff turn an anonymous report into a de-identified alert with the alerts app's own
drafting, review and publishing; the reporter is never stored or shown."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from haven.alerts import actions as alert_actions
from haven.alerts.models import Alert
from haven.rights import actions
from haven.rights.models import PeerWarning

pytestmark = pytest.mark.django_db
TITLE = "Blue pills sold as oxycodone in Northside"
BODY = "Blue pills sold as oxycodone are putting people out fast. Test first, start low, carry naloxone."


@pytest.fixture
def warning(places):
    return actions.peer_warning_submit(kind="bad_batch", occurred_on=timezone.localdate(), area=places["north"],
                                       description="Two of us went out fast on the blue 30s from the car park")


def test_staff_draft_a_de_identified_alert_and_publish_it_with_the_alerts_app(bob, warning, places):
    alert = actions.peer_warning_draft_alert(actor=bob, warning=warning, title=TITLE, body=BODY)

    assert alert.status == "draft" and alert.source_kind == "manual"
    assert list(alert.areas.all()) == [places["north"]]
    assert "car park" not in alert.body and "car park" not in str(alert.context)
    warning.refresh_from_db()
    assert (warning.status, warning.alert) == ("drafted", alert)

    alert_actions.alert_publish(actor=bob, alert=alert, base_url="http://testserver")
    assert Alert.objects.get().status == "published"


def test_the_alerts_app_still_refuses_identifying_details(bob, warning):
    alert = actions.peer_warning_draft_alert(actor=bob, warning=warning, title=TITLE,
                                             body=BODY + " Ask for Dee on 415 555 0199.")
    with pytest.raises(ValidationError):
        alert_actions.alert_publish(actor=bob, alert=alert, base_url="http://testserver")


def test_a_warning_is_drafted_or_dismissed_once(bob, warning):
    actions.peer_warning_dismiss(actor=bob, warning=warning)
    with pytest.raises(ValidationError):
        actions.peer_warning_draft_alert(actor=bob, warning=warning, title=TITLE, body=BODY)
    with pytest.raises(ValidationError):
        actions.peer_warning_dismiss(actor=bob, warning=warning)


def test_peers_report_warnings_but_do_not_review_them(client_as, carol, warning):
    assert client_as(carol).get(reverse("rights-warnings")).status_code == 403
    with pytest.raises(PermissionDenied):
        actions.peer_warning_draft_alert(actor=carol, warning=warning, title=TITLE, body=BODY)


def test_the_review_page_drafts_then_sends_staff_to_the_alert(client_as, bob, warning):
    client = client_as(bob)
    page = client.get(reverse("rights-warning-detail", args=[warning.pk])).content.decode()
    assert "sent without a name" in page
    response = client.post(reverse("rights-warning-detail", args=[warning.pk]),
                           {"title": TITLE, "body": BODY, "severity": "warning"})
    alert = Alert.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("alert-edit", args=[alert.pk])


def test_a_draft_without_a_title_is_refused(client_as, bob, warning):
    response = client_as(bob).post(reverse("rights-warning-detail", args=[warning.pk]), {"title": "", "body": BODY})
    assert response.status_code == 400 and Alert.objects.count() == 0
    assert PeerWarning.objects.get().status == "new"


def test_an_unknown_warning_is_not_found(client_as, bob):
    assert client_as(bob).get(reverse("rights-warning-detail", args=[999999])).status_code == 404
