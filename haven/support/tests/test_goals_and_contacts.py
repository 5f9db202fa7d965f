"""Goals the person sets and support contacts: encrypted words, no diagnosis, screened for other people's
personal details before saving."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from haven.support import actions
from haven.support.models import Goal, GoalProgress, SafetyPlan, SupportContact

SOMEONE_ELSES_PHONE = "Call her sister on 415 555 0199 if she is not around"


def _raw(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


def test_a_goal_is_kept_in_the_persons_words_and_encrypted(bob, participant):
    goal = actions.goal_create(actor=bob, participant=participant, text="Test everything before I use it")
    assert Goal.objects.get().text == "Test everything before I use it"
    assert "Test everything" not in _raw("support_goal", "text", goal.pk)


def test_a_goal_can_be_only_a_category(bob, participant):
    goal = actions.goal_create(actor=bob, participant=participant, category="housing", text="")
    assert goal.text is None and goal.get_category_display() == "Housing"


def test_progress_and_a_new_status_are_recorded(bob, goal):
    actions.goal_progress_add(actor=bob, goal=goal, note="Went with a friend twice", status="reached")
    goal.refresh_from_db()
    assert goal.status == "reached" and GoalProgress.objects.get().note == "Went with a friend twice"


def test_a_support_contact_is_recorded_with_type_duration_mode_and_who(bob, client_as, participant):
    response = client_as(bob).post(f"/support/{participant.display_id}/contacts/new/", {
        "kind": "navigation", "mode": "phone", "duration_minutes": "20", "note": "Booked the ID office together"})
    assert response.status_code == 302
    contact = SupportContact.objects.get()
    assert (contact.kind, contact.mode, contact.duration_minutes, contact.staff) == ("navigation", "phone", 20, bob)
    assert "ID office" not in _raw("support_supportcontact", "note", contact.pk)


def test_someone_elses_phone_number_is_flagged_before_saving(bob, client_as, participant):
    response = client_as(bob).post(f"/support/{participant.display_id}/contacts/new/", {
        "kind": "peer_support", "mode": "in_person", "duration_minutes": "15", "note": SOMEONE_ELSES_PHONE})
    assert response.status_code == 400
    text = response.content.decode()
    assert "looks like personal details" in text and "415 555 0199" in text
    assert "fine to keep as written" in text  # the worker may confirm, or edit
    assert not SupportContact.objects.exists()


def test_the_worker_can_confirm_a_flagged_note(bob, client_as, participant):
    response = client_as(bob).post(f"/support/{participant.display_id}/contacts/new/", {
        "kind": "peer_support", "mode": "in_person", "duration_minutes": "15", "note": SOMEONE_ELSES_PHONE,
        "confirm_details": "on"})
    assert response.status_code == 302
    assert SupportContact.objects.get().confirmed_flags == ["phone"]


def test_the_worker_can_edit_a_flagged_note_instead(bob, client_as, participant):
    client_as(bob).post(f"/support/{participant.display_id}/contacts/new/", {
        "kind": "peer_support", "mode": "in_person", "duration_minutes": "15",
        "note": "Call her sister if she is not around"})
    assert SupportContact.objects.get().confirmed_flags == []


@pytest.mark.parametrize("field", ["text", "note"])
def test_goal_words_are_screened_too(bob, participant, goal, field):
    with pytest.raises(ValidationError, match="personal details"):
        if field == "text":
            actions.goal_create(actor=bob, participant=participant, text="Email jo@example.org about housing")
        else:
            actions.goal_progress_add(actor=bob, goal=goal, note="Her friend's number is +1 212 555 0143")


def test_no_support_record_has_a_diagnosis_field():
    for model in (Goal, GoalProgress, SupportContact, SafetyPlan):
        names = {field.name for field in model._meta.get_fields()}
        assert not {name for name in names if "diagnos" in name or "icd" in name or "dsm" in name}


def test_nothing_requires_a_goal(bob, client_as, participant):
    # A referral and a support contact with no goal at all.
    assert client_as(bob).post(f"/support/{participant.display_id}/contacts/new/", {
        "kind": "crisis", "mode": "outreach", "duration_minutes": "30"}).status_code == 302
    assert not Goal.objects.exists()
