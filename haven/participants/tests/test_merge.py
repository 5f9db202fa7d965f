"""Merging two records of one person: visits move, both codes find the kept record, audited."""

import pytest
from django.core.exceptions import ValidationError

from haven.core.models import AuditEvent
from haven.encounters.models import Encounter
from haven.participants.actions import consent_give, participant_merge
from haven.participants.models import ContactConsent
from haven.participants.queries import participant_by_code


@pytest.fixture
def two_records(bob, enrol):
    return enrol("AB0385C", by=bob), enrol("AB0385D", by=bob)


def test_staff_merges_a_duplicate_after_confirming(bob, places, client_as, two_records, visit):
    keep, duplicate = two_records
    moved = visit(duplicate, places["fixed"], given={"syringes": 10})
    client = client_as(bob)

    check = client.post("/participants/merge/", {"keep": keep.display_id, "duplicate": duplicate.display_id.lower()})
    assert check.status_code == 200
    assert "Merge " + duplicate.display_id + " into " + keep.display_id in check.content.decode()
    assert Encounter.objects.get(pk=moved.pk).participant == duplicate  # nothing merged before confirming

    done = client.post("/participants/merge/", {"keep": keep.display_id, "duplicate": duplicate.display_id,
                                                "confirm": "yes"})

    assert done.status_code == 302
    assert done.url == f"/participants/{keep.display_id}/"
    assert Encounter.objects.get(pk=moved.pk).participant == keep
    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep and duplicate.merged_at is not None


def test_the_old_code_finds_the_kept_participant(bob, two_records):
    keep, duplicate = two_records

    participant_merge(actor=bob, keep=keep, duplicate=duplicate)

    assert participant_by_code("AB0385D") == keep
    assert participant_by_code("AB0385C") == keep


def test_the_merge_is_audited_on_both_records(bob, two_records, places, visit):
    keep, duplicate = two_records
    visit(duplicate, places["fixed"])

    participant_merge(actor=bob, keep=keep, duplicate=duplicate)

    events = AuditEvent.objects.filter(action="merge").order_by("sequence")
    assert [event.object_id for event in events] == [str(keep.pk), str(duplicate.pk)]
    assert events[0].detail["encounters_moved"] == 1
    assert events[0].detail["kept"] == keep.pk and events[0].detail["duplicate"] == duplicate.pk


def test_a_participant_cannot_be_merged_into_themselves(bob, two_records):
    keep, _ = two_records

    with pytest.raises(ValidationError, match="themselves"):
        participant_merge(actor=bob, keep=keep, duplicate=keep)


def test_nothing_can_be_merged_into_an_already_merged_record(bob, enrol, two_records):
    keep, duplicate = two_records
    third = enrol("CD0490E", by=bob)
    participant_merge(actor=bob, keep=keep, duplicate=duplicate)

    with pytest.raises(ValidationError, match="already merged"):
        participant_merge(actor=bob, keep=duplicate, duplicate=third)
    with pytest.raises(ValidationError, match="already merged"):
        participant_merge(actor=bob, keep=third, duplicate=duplicate)


def test_an_earlier_merge_follows_along(bob, enrol, two_records):
    keep, duplicate = two_records
    older = enrol("CD0490E", by=bob)
    participant_merge(actor=bob, keep=duplicate, duplicate=older)

    participant_merge(actor=bob, keep=keep, duplicate=duplicate)

    older.refresh_from_db()
    assert older.merged_into == keep
    assert participant_by_code("CD0490E") == keep


def test_a_nickname_moves_with_its_consent_when_the_kept_record_has_none(bob, two_records):
    keep, duplicate = two_records
    consent = consent_give(actor=bob, participant=duplicate, scope="nickname", value="Moonbeam")

    participant_merge(actor=bob, keep=keep, duplicate=duplicate)

    keep.refresh_from_db()
    duplicate.refresh_from_db()
    assert keep.nickname == "Moonbeam"
    assert duplicate.nickname is None
    assert ContactConsent.objects.get(pk=consent.pk).participant == keep


def test_when_both_have_a_contact_the_duplicates_is_erased(bob, two_records):
    keep, duplicate = two_records
    consent_give(actor=bob, participant=keep, scope="contact", value="+1 415 555 0100", contact_kind="phone")
    theirs = consent_give(actor=bob, participant=duplicate, scope="contact", value="a@example.org",
                          contact_kind="email")

    participant_merge(actor=bob, keep=keep, duplicate=duplicate)

    keep.refresh_from_db()
    duplicate.refresh_from_db()
    assert keep.contact == "+1 415 555 0100"
    assert duplicate.contact is None and duplicate.contact_kind == ""
    assert ContactConsent.objects.get(pk=theirs.pk).withdrawn_at is not None


def test_an_unknown_display_id_is_reported(bob, client_as, two_records):
    keep, _ = two_records

    response = client_as(bob).post("/participants/merge/", {"keep": keep.display_id, "duplicate": "ZZZZZZ"})

    assert response.status_code == 400
    assert "No participant has the display id ZZZZZZ" in response.content.decode()


def test_the_merge_link_from_a_participant_fills_in_the_record_to_keep(bob, client_as, two_records):
    keep, _ = two_records

    response = client_as(bob).get(f"/participants/merge/?keep={keep.display_id}")

    assert response.status_code == 200
    assert f'value="{keep.display_id}"' in response.content.decode()


def test_peer_cannot_merge(carol, client_as, two_records):
    keep, duplicate = two_records

    response = client_as(carol).post("/participants/merge/", {"keep": keep.display_id,
                                                               "duplicate": duplicate.display_id, "confirm": "yes"})

    assert response.status_code == 403
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
