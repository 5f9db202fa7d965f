"""Each kind of record loses its identifying detail when its period has passed, keeps what reports
count, and is left alone before then."""

import datetime

import pytest
from axes.models import AccessLog

from haven.core.retention import kinds
from haven.drugchecking.actions import result_lookup
from haven.drugchecking.models import Analysis, Sample
from haven.encounters.models import Encounter
from haven.overdose.models import OverdoseReport
from haven.participants.models import Participant
from haven.participants.queries import participant_by_code
from haven.reports.periods import calendar_year
from haven.reports.queries import compute
from haven.retention.actions import retention_expire
from haven.retention.models import ExpiryRun
from haven.retention.tests.conftest import LATER, now_plus
from haven.support.models import GoalProgress, SupportContact

pytestmark = pytest.mark.django_db


def test_every_kind_the_issue_names_is_registered():
    assert set(kinds()) >= {"encounters.visit", "participants.participant", "support.note", "drugchecking.sample",
                            "overdose.report", "accounts.login", "core.backup"}
    for kind in kinds().values():
        assert kind.minimum_days <= kind.default_days
        assert str(kind.reason) and str(kind.label) and str(kind.treatment)


def test_nothing_expires_before_its_time(world):
    runs = retention_expire(now=datetime.datetime(2025, 12, 20, tzinfo=datetime.UTC))
    # Visits keep 92 days: the September visit (2025-09-15) is the only one past it on 20 December.
    assert {run.kind: run.records for run in runs}["encounters.visit"] == 1
    assert {run.kind: run.records for run in runs}["participants.participant"] == 0
    assert Encounter.objects.filter(staff__isnull=False).count() == Encounter.objects.count() - 1
    assert Participant.objects.filter(pk=world.never_came.pk).exists()


def test_visits_lose_who_recorded_them_and_why_they_were_voided(world):
    before = {visit.pk: (visit.site_id, visit.service_mode, visit.occurred_at, visit.participant_id,
                         visit.voided_at, visit.client_id) for visit in Encounter.objects.all()}
    retention_expire(now=LATER, only_kinds=["encounters.visit"])
    for visit in Encounter.objects.all():
        site, mode, occurred_at, participant, voided_at, client_id = before[visit.pk]
        assert (visit.site_id, visit.service_mode, visit.occurred_at, visit.participant_id, visit.voided_at) == (
            site, mode, occurred_at, participant, voided_at)
        assert visit.staff_id is None and visit.void_reason == "" and visit.client_id == client_id


def test_a_participant_who_never_came_is_deleted_and_the_others_keep_only_an_anonymous_record(world, dana):
    p1_visits = Encounter.objects.filter(participant=world.p1).count()
    retention_expire(now=LATER, only_kinds=["participants.participant"])
    assert not Participant.objects.filter(pk=world.never_came.pk).exists()
    p1 = Participant.objects.get(pk=world.p1.pk)
    assert p1.code_index.startswith("expired-") and p1.display_id != world.p1.display_id
    assert p1.nickname is None and p1.contact is None
    assert Encounter.objects.filter(participant=p1).count() == p1_visits
    # The code no longer finds the person.
    assert participant_by_code("AN0385R") is None


def test_support_notes_are_erased_and_the_contacts_stay(world):
    retention_expire(now=LATER, only_kinds=["support.note"])
    contact = SupportContact.objects.get(pk=world.contact.pk)
    assert contact.note is None and contact.duration_minutes == 20 and contact.kind == "peer_support"
    assert GoalProgress.objects.get(pk=world.progress.pk).note is None


def test_a_sample_code_stops_finding_the_result_and_what_was_found_stays(world):
    retention_expire(now=LATER, only_kinds=["drugchecking.sample"])
    sample = Sample.objects.get(pk=world.sample.pk)
    assert sample.participant_id is None and sample.effects == "" and sample.received_by_id is None
    assert sample.expected == "fentanyl" and sample.site_id == world.sample.site_id
    assert all(analysis.notes == "" and analysis.performed_by_id is None
               for analysis in Analysis.objects.filter(sample=sample))
    assert result_lookup(code=world.sample_code, client=None) is None


def test_an_overdose_report_keeps_its_day_and_area_and_loses_notes_and_time(world):
    retention_expire(now=LATER, only_kinds=["overdose.report"])
    report = OverdoseReport.objects.get(pk=world.overdose.pk)
    assert report.notes == "" and report.drug_checking_sample == "" and report.created_by_id is None
    assert report.area_id == world.overdose.area_id
    from django.utils import timezone

    assert timezone.localtime(report.occurred_at).date() == timezone.localtime(world.overdose.occurred_at).date()
    assert timezone.localtime(report.occurred_at).hour == 12


def test_sign_in_records_are_deleted(world):
    recent = AccessLog.objects.create(username="someone", ip_address="192.0.2.8", user_agent="test")
    retention_expire(now=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC), only_kinds=["accounts.login"])
    assert not AccessLog.objects.filter(pk=world.login.pk).exists()
    assert AccessLog.objects.filter(pk=recent.pk).exists()


def test_a_second_run_finds_nothing_left_to_do(world):
    retention_expire(now=LATER)
    again = retention_expire(now=LATER)
    assert all(run.records == 0 for run in again if run.kind != "accounts.login")


def test_a_visit_imported_later_with_an_old_date_expires_at_the_next_run(world, dana, places):
    import uuid

    from haven.encounters.actions import encounter_record
    from haven.reports.tests.fixed_program import at

    retention_expire(now=LATER, only_kinds=["encounters.visit"])
    late, _ = encounter_record(actor=dana, client_id=uuid.uuid4(), site=places["fixed"], service_mode="fixed",
                               occurred_at=at(datetime.date(2025, 3, 1)), source="import")
    retention_expire(now=LATER, only_kinds=["encounters.visit"])
    assert Encounter.objects.get(pk=late.pk).staff_id is None


def test_expiry_keeps_the_annual_report_numbers(world):
    from haven.reports.rollup import rollup_refresh

    rollup_refresh()
    before_summary = compute(calendar_year(2025)).values
    before_exact = compute(calendar_year(2025), use_rollup=False).values
    retention_expire(now=LATER)
    assert compute(calendar_year(2025)).values == before_summary
    assert compute(calendar_year(2025), use_rollup=False).values == before_exact
    assert before_summary == before_exact


def test_every_run_is_recorded_and_audited(world):
    from haven.core.models import AuditEvent

    runs = retention_expire(now=LATER)
    changed = {run.kind for run in runs if run.records}
    assert changed == set(kinds()) - {"core.backup"}  # the world has no backup
    assert set(ExpiryRun.objects.values_list("kind", flat=True)) == changed
    assert set(AuditEvent.objects.filter(object_type="retention.expiry").values_list("object_id", flat=True)) == changed
    # An hour later nothing is left: no row, no audit entry, but every kind was checked.
    retention_expire(now=LATER)
    assert ExpiryRun.objects.count() == len(changed)
    assert AuditEvent.objects.filter(object_type="retention.expiry").count() == len(changed)


def test_a_duplicate_merged_into_someone_still_coming_keeps_its_code(world, dana, places):
    import uuid

    from haven.encounters.actions import encounter_record
    from haven.participants.actions import participant_enroll, participant_merge

    duplicate = participant_enroll(actor=dana, code="ZO0202K", site=places["fixed"])
    Participant.objects.filter(pk=duplicate.pk).update(enrolled_at=world.p2.enrolled_at)
    participant_merge(actor=dana, keep=world.p2, duplicate=Participant.objects.get(pk=duplicate.pk))
    encounter_record(actor=dana, client_id=uuid.uuid4(), site=places["fixed"], service_mode="fixed",
                     participant=world.p2, source="import")  # p2 comes today
    retention_expire(now=now_plus(30), only_kinds=["participants.participant"])
    assert participant_by_code("ZO0202K") == world.p2
    assert participant_by_code("MA1179S") == world.p2
    assert participant_by_code("AN0385R") is None  # p1 has not come for two years


def test_spike_detection_counts_and_the_market_view_are_unchanged(world):
    from haven.drugchecking.queries import market_tables
    from haven.overdose.detection import daily_counts

    day = datetime.date(2025, 12, 31)
    counts_before = daily_counts(last_day=day, days=120)
    market_before = market_tables(today=day)
    retention_expire(now=LATER)
    counts_after = daily_counts(last_day=day, days=120)
    assert counts_after.first_day == counts_before.first_day
    assert [area.pk for area in counts_after.areas] == [area.pk for area in counts_before.areas]
    assert (counts_after.counts == counts_before.counts).all() and counts_before.counts.sum() >= 1
    assert repr(market_tables(today=day)) == repr(market_before)


def test_a_rights_report_loses_its_note_and_officer_details_and_keeps_what_the_advocacy_report_counts(world):
    from haven.rights.models import RightsReport

    retention_expire(now=LATER)
    report = RightsReport.objects.get(pk=world.rights_report.pk)
    assert (report.note, report.officer_details) == (None, None)
    assert (report.occurred_on, report.events, report.area_id) == (datetime.date(2025, 10, 14), ["stopped"],
                                                                  world.rights_report.area_id)
