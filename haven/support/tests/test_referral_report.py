"""Referrals offered, accepted, connected and median days to connection, by category; exact inside
the program, small cells suppressed when it leaves (CSV and API)."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from haven.accounts.models import ApiToken
from haven.accounts.tokens import new_token_parts
from haven.support import actions, queries
from haven.support.models import Referral


def _referrals(bob, participant, *, category, count, connected=0, declined=0, days=3):
    for index in range(count):
        referral = actions.referral_make(actor=bob, participant=participant, consent_given=True,
                                         place=f"Place {category} {index}", category=category)
        if index < connected:
            actions.referral_status_set(actor=bob, referral=referral, status="accepted")
            actions.referral_status_set(actor=bob, referral=referral, status="connected")
            Referral.objects.filter(pk=referral.pk).update(connected_at=referral.offered_at + timedelta(days=days))
        elif index < connected + declined:
            actions.referral_status_set(actor=bob, referral=referral, status="declined")


def _window():
    now = timezone.now()
    return now - timedelta(days=1), now + timedelta(days=1)


def test_the_exact_report_counts_offered_accepted_connected_and_the_median(bob, participant):
    _referrals(bob, participant, category="housing", count=4, connected=2, declined=1, days=3)
    _referrals(bob, participant, category="methadone", count=1, connected=1, days=7)
    rows = {row.category: row for row in queries.referral_report(*_window(), exact=True)}
    assert (rows["housing"].offered, rows["housing"].accepted, rows["housing"].connected) == (4, 2, 2)
    assert rows["housing"].median_days == 3.0 and rows["methadone"].median_days == 7.0
    assert (rows[""].offered, rows[""].connected, rows[""].median_days) == (5, 3, 3.0)


def test_small_cells_are_suppressed_when_the_report_leaves_the_program(bob, participant):
    _referrals(bob, participant, category="housing", count=12, connected=11)
    _referrals(bob, participant, category="food", count=15, connected=12)
    _referrals(bob, participant, category="methadone", count=2, connected=1)
    rows = {row.category: row for row in queries.referral_report(*_window(), exact=False)}
    assert rows["methadone"].offered == "<11" and rows["methadone"].median_days == "–"
    # The total and the other rows must not give the small cell away.
    offered = [rows[category].offered for category in ("housing", "food")] + [rows[""].offered]
    assert any(not isinstance(value, int) for value in offered)


def test_the_csv_export_is_suppressed_and_audited(dana, client_as, bob, participant):
    _referrals(bob, participant, category="housing", count=2, connected=1)
    response = client_as(dana).get("/support/report.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["category", "offered", "accepted", "connected", "median_days_to_connection"]
    assert rows[1][:2] == ["housing", "<11"]


def test_the_api_gives_the_suppressed_report(dana, bob, participant):
    from django.test import Client

    _referrals(bob, participant, category="housing", count=2, connected=1)
    lookup, token = new_token_parts()
    ApiToken.objects.create(user=dana, name="t", lookup=lookup, digest=ApiToken.digest_of(token))
    response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/support/referrals/report")
    assert response.status_code == 200
    assert response.json()[0]["category"] == "housing" and response.json()[0]["offered"] == "<11"


@pytest.mark.parametrize("persona, status", [("dana", 200), ("bob", 403), ("carol", 403)])
def test_only_managers_see_the_report(persona, status, everyone, client_as):
    assert client_as(everyone[persona]).get("/support/report/").status_code == status
