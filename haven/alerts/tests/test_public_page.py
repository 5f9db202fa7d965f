"""The public alerts page: published, unexpired alerts only, newest first, and never the context."""

import datetime

from django.utils import timezone

from haven.alerts import actions


def publish(dana, places, key, title, **extra):
    alert, _ = actions.alert_draft(source_kind="manual", source_key=key, title=title,
                                   body="Carry naloxone and do not use alone.", **extra)
    return actions.alert_publish(actor=dana, alert=alert, base_url="http://haven.test")


def test_anyone_sees_published_alerts_newest_first_with_severity_in_words(dana, places, anonymous_client):
    publish(dana, places, "a", "Older alert about xylazine")
    publish(dana, places, "b", "Newer alert about nitazenes", severity="urgent")

    response = anonymous_client.get("/alerts/")

    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Newer alert about nitazenes") < page.index("Older alert about xylazine")
    assert ">Urgent</span>" in page
    assert "Last updated" in page


def test_drafts_dismissed_and_expired_alerts_are_not_public(dana, places, spike_draft, anonymous_client):
    dismissed, _ = actions.alert_draft(source_kind="manual", source_key="d", title="A false alarm", body="x")
    actions.alert_dismiss(actor=dana, alert=dismissed)
    old = publish(dana, places, "old", "An alert that has run out",
                  expires_at=timezone.now() + datetime.timedelta(minutes=5))
    # Past its expiry, before the expiry job has run.
    type(old).objects.filter(pk=old.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    page = anonymous_client.get("/alerts/").content.decode()

    assert spike_draft.title not in page
    assert "A false alarm" not in page
    assert "An alert that has run out" not in page
    assert "There are no current alerts" in page


def test_the_public_pages_never_show_the_reviewers_context(published_alert, anonymous_client):
    pages = [anonymous_client.get("/alerts/").content.decode(),
             anonymous_client.get(f"/alerts/{published_alert.pk}/").content.decode()]

    for page in pages:
        assert published_alert.title in page
        assert "ears-c2" not in page
        assert "fentanyl sold as oxycodone" not in page
        assert "baseline" not in page.lower()


def test_an_alert_has_its_own_page_with_its_text(published_alert, anonymous_client):
    page = anonymous_client.get(f"/alerts/{published_alert.pk}/").content.decode()

    assert "<li>Do not use alone.</li>" in page
    assert "Northside" in page
    assert "Last updated" in page


def test_a_draft_has_no_public_page(spike_draft, anonymous_client):
    assert anonymous_client.get(f"/alerts/{spike_draft.pk}/").status_code == 404


def test_an_expired_alert_page_says_it_expired(published_alert, dana, anonymous_client):
    actions.alert_expire(actor=dana, alert=published_alert)

    page = anonymous_client.get(f"/alerts/{published_alert.pk}/").content.decode()

    assert "This alert has expired." in page


def test_alert_text_cannot_carry_markup(dana, places, anonymous_client):
    alert = publish(dana, places, "m", "Markup test")
    type(alert).objects.filter(pk=alert.pk).update(body="<script>x()</script> **strong words**")

    page = anonymous_client.get(f"/alerts/{alert.pk}/").content.decode()

    assert "<script>x()" not in page
    assert "&lt;script&gt;" in page
    assert "<strong>strong words</strong>" in page
