"""The alert queue: urgent first, filters, dismissing several with one reason, context in words."""

from haven.alerts.actions import alert_draft
from haven.alerts.models import Alert
from haven.core.models import AuditEvent


def draft(key, severity="warning", kind="drug_checking", **fields):
    return alert_draft(source_kind=kind, source_key=key, title=f"Alert {key}", body="", severity=severity,
                       **fields)[0]


def test_urgent_drafts_come_first(bob, client_as):
    info = draft("a", "info")
    urgent = draft("b", "urgent")
    warning = draft("c", "warning")

    alerts = list(client_as(bob).get("/alerts/review/").context["alerts"])

    assert alerts == [urgent, warning, info]


def test_the_queue_filters_by_severity_and_source(bob, client_as):
    draft("a", "info")
    urgent = draft("b", "urgent")
    spike = draft("c", "warning", kind="overdose_spike")
    client = client_as(bob)

    assert list(client.get("/alerts/review/", {"severity": "urgent"}).context["alerts"]) == [urgent]
    assert list(client.get("/alerts/review/", {"source_kind": "overdose_spike"}).context["alerts"]) == [spike]


def test_several_drafts_are_dismissed_at_once_with_a_reason(bob, client_as):
    first, second, kept = draft("a"), draft("b"), draft("c")

    response = client_as(bob).post("/alerts/review/dismiss/", {"alert": [first.pk, second.pk],
                                                                "reason": "Duplicates"}, follow=True)

    assert "2 alerts dismissed." in response.content.decode()
    assert set(Alert.objects.filter(status="dismissed").values_list("pk", "dismiss_reason")) == {
        (first.pk, "Duplicates"), (second.pk, "Duplicates")}
    kept.refresh_from_db()
    assert kept.status == "draft"
    assert AuditEvent.objects.filter(action="update", object_id=str(first.pk)).exists()


def test_dismissing_without_a_reason_dismisses_nothing(bob, client_as):
    first = draft("a")

    response = client_as(bob).post("/alerts/review/dismiss/", {"alert": [first.pk], "reason": " "}, follow=True)

    assert "Say why" in response.content.decode()
    first.refresh_from_db()
    assert first.status == "draft"


def test_a_peer_cannot_dismiss_alerts(carol, client_as):
    first = draft("a")

    assert client_as(carol).post("/alerts/review/dismiss/", {"alert": [first.pk], "reason": "x"}).status_code == 403


def test_context_is_shown_in_words_not_json(bob, client_as):
    draft("a", context={"site": {"id": 3, "name": "Riverside"}, "found": {"fentanyl": ["strip", "ftir"]}})

    page = client_as(bob).get("/alerts/review/").content.decode()

    assert "Riverside" in page and '{"id"' not in page and "&quot;id&quot;" not in page
    assert "fentanyl: strip, ftir" in page
