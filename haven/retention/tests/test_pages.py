"""The admin's retention page: who may open it, setting a period, placing and releasing a hold."""

import pytest

from haven.retention.models import LegalHold, RetentionSetting
from haven.retention.queries import days_for

pytestmark = pytest.mark.django_db


def test_only_an_admin_opens_the_retention_page(client_as, alice, dana, bob, carol, anonymous_client):
    page = client_as(alice).get("/retention/")
    assert page.status_code == 200
    for label in ("Visits", "Participants without recent visits", "Support notes", "Drug checking samples",
                  "Overdose reports", "Sign-in records and sessions", "Backups"):
        assert label in page.content.decode()
    for person in (dana, bob, carol):
        assert client_as(person).get("/retention/").status_code == 403
        assert client_as(person).post("/retention/set/", {"kind": "support.note", "days": "5"}).status_code == 403
    assert anonymous_client.get("/retention/").status_code in (302, 403)


def test_an_admin_sets_a_period_on_the_page(client_as, alice):
    response = client_as(alice).post("/retention/set/", {"kind": "support.note", "days": "90"}, follow=True)
    assert response.status_code == 200 and "Saved: kept for 90 days." in response.content.decode()
    assert days_for("support.note") == 90


@pytest.mark.parametrize("days, message", [
    ("30", "must be kept at least 366 days"),
    ("soon", "whole number of days"),
    ("-5", "cannot be negative"),
])
def test_a_bad_period_is_explained_beside_its_kind(client_as, alice, days, message):
    response = client_as(alice).post("/retention/set/", {"kind": "participants.participant", "days": days})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RetentionSetting.objects.exists()


def test_an_unknown_kind_is_refused_on_the_page(client_as, alice):
    response = client_as(alice).post("/retention/set/", {"kind": "everything", "days": "400"})
    assert response.status_code == 400 and not RetentionSetting.objects.exists()


def test_an_admin_places_and_releases_a_hold_on_the_page(client_as, alice, world):
    client = client_as(alice)
    response = client.post("/retention/holds/new/", {"kind": "overdose.report", "object_id": world.overdose.pk,
                                                     "reason": "Subpoena 2026-114"}, follow=True)
    assert "The record is held" in response.content.decode()
    hold = LegalHold.objects.get()
    assert "Subpoena 2026-114" in client.get("/retention/").content.decode()
    client.post(f"/retention/holds/{hold.pk}/release/")
    hold.refresh_from_db()
    assert hold.released_at is not None and hold.released_by == alice


def test_a_hold_on_a_missing_record_is_refused_on_the_page(client_as, alice, world):
    response = client_as(alice).post("/retention/holds/new/", {"kind": "overdose.report", "object_id": "424242",
                                                               "reason": "Subpoena"})
    assert response.status_code == 400
    assert "already expired or never existed" in response.content.decode()
    assert not LegalHold.objects.exists()


def test_releasing_a_released_or_missing_hold(client_as, alice, world):
    client = client_as(alice)
    assert client.post("/retention/holds/999/release/").status_code == 404
    assert client.get("/retention/holds/999/release/").status_code == 405


def test_run_now_expires_and_reports_how_many(client_as, alice, world):
    response = client_as(alice).post("/retention/run/", follow=True)
    assert "Expiry ran:" in response.content.decode()


def test_the_entry_sits_under_more_for_admins_only(client_as, alice, dana):
    assert 'href="/retention/"' in client_as(alice).get("/").content.decode()
    assert 'href="/retention/"' not in client_as(dana).get("/").content.decode()
