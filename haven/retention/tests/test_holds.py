"""A legal hold stops a record's expiry and is itself audited; a hold on a record already gone is refused."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haven.core.models import AuditEvent
from haven.encounters.models import Encounter
from haven.participants.models import Participant
from haven.retention.actions import hold_place, hold_release, retention_expire
from haven.retention.queries import record_gone
from haven.retention.tests.conftest import LATER

pytestmark = pytest.mark.django_db


def test_a_held_visit_keeps_its_detail_and_expires_when_released(world, alice):
    visit = world.voided_visit
    hold = hold_place(actor=alice, kind="encounters.visit", object_id=str(visit.pk), reason="Subpoena 2026-114")
    retention_expire(now=LATER)
    visit.refresh_from_db()
    assert visit.staff_id is not None and visit.void_reason.endswith(world.marker)
    assert Encounter.objects.exclude(pk=visit.pk).filter(staff__isnull=False).count() == 0

    hold_release(actor=alice, hold=hold)
    visit.refresh_from_db()
    assert visit.staff_id is None and visit.void_reason == ""  # its time had passed: gone at release


def test_a_held_participant_who_never_came_is_not_deleted(world, alice):
    hold_place(actor=alice, kind="participants.participant", object_id=world.never_came.pk, reason="Court order")
    retention_expire(now=LATER)
    assert Participant.objects.get(pk=world.never_came.pk).code_index == world.never_came.code_index


def test_two_holds_on_one_record_both_have_to_be_released(world, alice):
    visit = world.voided_visit
    first = hold_place(actor=alice, kind="encounters.visit", object_id=visit.pk, reason="Subpoena A")
    hold_place(actor=alice, kind="encounters.visit", object_id=visit.pk, reason="Complaint B")
    retention_expire(now=LATER)
    hold_release(actor=alice, hold=first)
    visit.refresh_from_db()
    assert visit.staff_id is not None


def test_placing_and_releasing_a_hold_are_audited_without_the_reason(world, alice):
    hold = hold_place(actor=alice, kind="support.note", object_id=world.contact.pk, reason="Subpoena 2026-114")
    hold_release(actor=alice, hold=hold)
    events = AuditEvent.objects.filter(object_type="retention.legalhold", object_id=str(hold.pk)).order_by("sequence")
    assert [event.detail["event"] for event in events] == ["legal hold placed", "legal hold released"]
    assert all("Subpoena" not in str(event.detail) for event in events)
    assert events[0].actor_id == alice.pk


def test_a_hold_on_a_record_already_gone_is_refused(world, alice):
    retention_expire(now=LATER)
    for kind, object_id in [("encounters.visit", world.voided_visit.pk),  # de-identified
                            ("participants.participant", world.never_came.pk),  # deleted
                            ("participants.participant", world.p1.pk),  # de-identified
                            ("support.note", world.contact.pk), ("support.note", f"progress:{world.progress.pk}"),
                            ("drugchecking.sample", world.sample.pk), ("overdose.report", world.overdose.pk),
                            ("accounts.login", f"log:{world.login.pk}")]:
        assert record_gone(kind, str(object_id)), kind
        with pytest.raises(ValidationError) as refused:
            hold_place(actor=alice, kind=kind, object_id=object_id, reason="Too late")
        assert "already expired or never existed" in str(refused.value)


@pytest.mark.parametrize("object_id", ["999999", "abc", "-3", "", "   ", "1" * 201, "99999999999999999999"])
def test_a_hold_on_a_record_that_never_existed_or_a_bad_id_is_refused(world, alice, object_id):
    with pytest.raises(ValidationError):
        hold_place(actor=alice, kind="encounters.visit", object_id=object_id, reason="Subpoena")


def test_a_hold_needs_a_known_kind_and_a_reason(world, alice):
    with pytest.raises(ValidationError) as unknown:
        hold_place(actor=alice, kind="visits", object_id=world.voided_visit.pk, reason="Subpoena")
    assert "Unknown kind" in str(unknown.value)
    with pytest.raises(ValidationError) as no_reason:
        hold_place(actor=alice, kind="encounters.visit", object_id=world.voided_visit.pk, reason="  ")
    assert "reason" in no_reason.value.message_dict


def test_a_hold_cannot_be_released_twice(world, alice):
    hold = hold_place(actor=alice, kind="overdose.report", object_id=world.overdose.pk, reason="Subpoena")
    hold_release(actor=alice, hold=hold)
    with pytest.raises(ValidationError):
        hold_release(actor=alice, hold=hold)


def test_only_an_admin_places_or_releases_holds(world, alice, dana, bob, carol):
    for person in (dana, bob, carol):
        with pytest.raises(PermissionDenied):
            hold_place(actor=person, kind="overdose.report", object_id=world.overdose.pk, reason="Subpoena")
    hold = hold_place(actor=alice, kind="overdose.report", object_id=world.overdose.pk, reason="Subpoena")
    with pytest.raises(PermissionDenied):
        hold_release(actor=dana, hold=hold)


def test_a_held_backup_is_kept(alice, tmp_path, settings):
    from haven.core.tests.test_retention_backups import fake_backup

    settings.HAVEN_BACKUP_DIR = str(tmp_path)
    old = fake_backup(tmp_path / "haven-backup-20250101T000000Z", days_ago=400)
    hold = hold_place(actor=alice, kind="core.backup", object_id=old.name, reason="Court order")
    retention_expire(only_kinds=["core.backup"])
    assert old.is_dir()
    hold_release(actor=alice, hold=hold)
    assert not old.exists()


def test_a_held_visit_keeps_whose_visit_it_was(world, alice):
    visit = world.voided_visit
    hold = hold_place(actor=alice, kind="encounters.visit", object_id=visit.pk, reason="Subpoena 2026-114")
    retention_expire(now=LATER)
    assert Participant.objects.get(pk=world.p1.pk).code_index == world.p1.code_index
    assert Participant.objects.get(pk=world.p2.pk).code_index.startswith("expired-")
    assert not record_gone("participants.participant", str(world.p1.pk))
    hold_release(actor=alice, hold=hold)
    retention_expire(now=LATER)  # the participant goes at the next run
    assert Participant.objects.get(pk=world.p1.pk).code_index.startswith("expired-")
