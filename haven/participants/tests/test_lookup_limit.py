"""Lookups by code that find nobody are limited per account, so that codes cannot be guessed one
after another; people who mistype now and then never meet the limit."""

import pytest
from django.core.cache import cache

from haven.core.models import AuditEvent
from haven.participants.tests.conftest import CODE
from haven.participants.tests.test_api import api_client

HTMX = {"HTTP_HX_REQUEST": "true"}
# Codes of the default recipe that nobody in these tests has.
UNKNOWN = [f"ZZ{month:02d}{year:02d}Q" for month in range(1, 13) for year in range(10, 20)]


@pytest.fixture(autouse=True)
def fresh_counters(settings):
    settings.HAVEN_LOOKUP_MISS_LIMIT = 5
    cache.clear()
    yield
    cache.clear()


def test_a_peer_who_misses_too_often_is_paused_and_told_why(carol, client_as, enrol):
    enrol(by=carol)
    client = client_as(carol)
    for code in UNKNOWN[:5]:
        assert "No participant with this code" in client.get("/participants/lookup/", {"code": code}, **HTMX).content.decode()

    paused = client.get("/participants/lookup/", {"code": CODE}, **HTMX).content.decode()

    assert "lookups by code are paused" in paused
    assert 'data-state="paused"' in paused
    assert "Found:" not in paused


def test_reaching_the_limit_is_audited_once_without_any_code(carol, client_as):
    client = client_as(carol)
    for code in UNKNOWN[:8]:
        client.get("/participants/lookup/", {"code": code}, **HTMX)

    events = AuditEvent.objects.filter(action=AuditEvent.Action.SECURITY, object_type="participants.lookup")
    assert events.count() == 1
    assert events.get().detail == {"event": "lookup_paused", "misses": 5}
    assert not any(code in str(events.get().detail) for code in UNKNOWN)


def test_finding_people_does_not_count_towards_the_limit(bob, client_as, enrol):
    enrol(by=bob)
    client = client_as(bob)
    for _ in range(10):
        assert "Found:" in client.get("/participants/lookup/", {"code": CODE}, **HTMX).content.decode()


def test_the_limit_is_per_account(bob, carol, client_as, enrol):
    enrol(by=bob)
    for code in UNKNOWN[:5]:
        client_as(carol).get("/participants/lookup/", {"code": code}, **HTMX)

    assert "Found:" in client_as(bob).get("/participants/lookup/", {"code": CODE}, **HTMX).content.decode()


def test_the_api_answers_429_with_a_clear_message_past_the_limit(bob, enrol):
    enrol(by=bob)
    client = api_client(bob)
    for code in UNKNOWN[:5]:
        answer = client.post("/api/participants/lookup", {"code": code}, content_type="application/json")
        assert answer.status_code == 200 and answer.json()["found"] is False

    paused = client.post("/api/participants/lookup", {"code": CODE}, content_type="application/json")

    assert paused.status_code == 429
    assert "paused" in paused.json()["detail"]
