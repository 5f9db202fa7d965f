"""The staff pages: who may see drafts (with their context), edit, publish and dismiss them."""

from haven.alerts import actions
from haven.alerts.models import Alert


def test_peer_cannot_see_drafts(carol, spike_draft, client_as):
    client = client_as(carol)

    assert client.get("/alerts/review/").status_code == 403
    assert client.get(f"/alerts/review/{spike_draft.pk}/").status_code == 403
    assert client.post(f"/alerts/review/{spike_draft.pk}/publish/").status_code == 403
    spike_draft.refresh_from_db()
    assert spike_draft.status == Alert.Status.DRAFT


def test_anonymous_visitor_is_sent_to_sign_in_for_drafts(spike_draft, anonymous_client):
    response = anonymous_client.get("/alerts/review/")

    assert response.status_code == 302
    assert "/login/" in response.url


def test_staff_see_drafts_with_the_context_reviewers_need(bob, spike_draft, client_as):
    page = client_as(bob).get("/alerts/review/").content.decode()

    assert spike_draft.title in page
    assert "ears-c2" in page
    assert "fentanyl sold as oxycodone" in page


def test_staff_edit_a_draft_and_it_is_audited(bob, spike_draft, places, client_as):
    response = client_as(bob).post(f"/alerts/review/{spike_draft.pk}/", {
        "title": "Overdoses rising in Northside", "severity": "urgent", "body": "Carry naloxone.",
        "substances": "fentanyl, xylazine, fentanyl", "areas": [places["north"].pk], "expires_at": "",
    })

    assert response.status_code == 302
    spike_draft.refresh_from_db()
    assert spike_draft.title == "Overdoses rising in Northside"
    assert spike_draft.substances == ["fentanyl", "xylazine"]


def test_staff_mark_a_draft_reviewed(bob, spike_draft, client_as):
    client_as(bob).post(f"/alerts/review/{spike_draft.pk}/reviewed/")

    spike_draft.refresh_from_db()
    assert (spike_draft.status, spike_draft.reviewed_by) == (Alert.Status.REVIEWED, bob)


def test_coordinator_publishes_from_the_page(dana, spike_draft, client_as):
    response = client_as(dana).post(f"/alerts/review/{spike_draft.pk}/publish/", {"override_reason": ""})

    assert response.status_code == 302
    assert response.url == f"/alerts/{spike_draft.pk}/"
    spike_draft.refresh_from_db()
    assert spike_draft.status == Alert.Status.PUBLISHED


def test_coordinator_dismisses_a_false_alarm_with_a_reason(dana, spike_draft, client_as):
    response = client_as(dana).post(f"/alerts/review/{spike_draft.pk}/dismiss/", {"reason": "One event, counted twice"})

    assert response.status_code == 302
    spike_draft.refresh_from_db()
    assert spike_draft.status == Alert.Status.DISMISSED
    assert spike_draft.dismiss_reason == "One event, counted twice"


def test_staff_write_an_alert_by_hand(bob, places, client_as):
    response = client_as(bob).post("/alerts/review/new/", {
        "title": "Strong batch of blue pills", "severity": "warning", "body": "Test before you use.",
        "substances": "", "expires_at": "",
    })

    [alert] = [alert for alert in Alert.objects.all() if alert.title == "Strong batch of blue pills"]  # encrypted
    assert response.status_code == 302
    assert (alert.source_kind, alert.status, alert.created_by) == ("manual", "draft", bob)


def test_staff_cannot_manage_subscribers_or_webhooks(bob, client_as):
    client = client_as(bob)

    assert client.get("/alerts/subscribers/").status_code == 403
    assert client.get("/alerts/webhooks/").status_code == 403


def test_a_published_alert_page_for_staff_shows_how_deliveries_went(dana, published_alert, client_as):
    page = client_as(dana).get(f"/alerts/review/{published_alert.pk}/").content.decode()

    assert "As published" in page
    assert 'name="title"' not in page


def test_every_alert_page_renders_for_each_status(dana, places, client_as):
    client = client_as(dana)
    alert, _ = actions.alert_draft(source_kind="manual", source_key="s", title="Status walk", body="Carry naloxone.")
    for step in (lambda: None, lambda: actions.alert_review(actor=dana, alert=alert),
                 lambda: actions.alert_publish(actor=dana, alert=alert),
                 lambda: actions.alert_expire(actor=dana, alert=alert)):
        step()
        for url in (f"/alerts/review/{alert.pk}/", f"/alerts/review/{alert.pk}/publish/",
                    f"/alerts/review/{alert.pk}/dismiss/", "/alerts/review/"):
            assert client.get(url).status_code == 200, url
