"""A rights report's note and officer details expire; what the advocacy report counts stays."""

import datetime

import pytest
from django.utils import timezone

from haven.rights import actions, expiry, queries
from haven.rights.models import RightsReport
from haven.rights.tests.conftest import raw_column

pytestmark = pytest.mark.django_db


def old_report(actor, days_ago, **extra):
    report = actions.rights_report_record(actor=actor, source="staff", occurred_on=timezone.localdate(),
                                          events=["stopped"], note="Thrown against the van", officer_details="4471",
                                          **extra)
    RightsReport.objects.filter(pk=report.pk).update(received_on=timezone.localdate() - datetime.timedelta(days_ago))
    return report


def test_expired_notes_and_officer_details_are_gone_and_the_counts_stay(bob, places):
    old = old_report(bob, 400, area=places["east"])
    recent = old_report(bob, 10, area=places["east"])
    counts = queries.advocacy_report(exact=True).tables

    changed = expiry.expire_reports(before=timezone.now() - datetime.timedelta(days=366), held=set())

    assert changed == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.note, old.officer_details) == (None, None) and recent.note == "Thrown against the van"
    assert len([value for value in raw_column("rights_rightsreport", "note") if value]) == 1
    assert queries.advocacy_report(exact=True).tables == counts
    assert expiry.expire_reports(before=timezone.now() - datetime.timedelta(days=366), held=set()) == 0  # idempotent


def test_a_held_report_keeps_its_detail_until_released(bob):
    held = old_report(bob, 400)
    assert expiry.expire_reports(before=timezone.now(), held={str(held.pk)}) == 0
    assert expiry.expire_reports(before=timezone.now(), held=set(), only=str(held.pk)) == 1


def test_the_moment_is_the_day_received_and_none_once_gone_or_never_there(bob):
    report = old_report(bob, 400)
    assert expiry.report_moment(str(report.pk)).date() == timezone.localdate() - datetime.timedelta(400)
    expiry.expire_reports(before=timezone.now(), held=set())
    assert expiry.report_moment(str(report.pk)) is None
    for bad in ("999999", "abc", "9" * 30, ""):
        assert expiry.report_moment(bad) is None
