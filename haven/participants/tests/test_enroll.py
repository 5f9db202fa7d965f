"""Enrolling a participant by their code: the page, the one-button enrolment, duplicates."""

import pytest
from django.core.exceptions import ValidationError

from haven.core.models import AuditEvent
from haven.participants.actions import DISPLAY_ID_ALPHABET, participant_enroll
from haven.participants.models import Participant
from haven.participants.tests.conftest import CODE


def test_staff_enrols_a_participant_by_typing_the_code(bob, places, client_as):
    response = client_as(bob).post("/participants/enrol/", {"code": "ab 03 85 c", "site": places["fixed"].pk})

    participant = Participant.objects.get()
    assert response.status_code == 302
    assert response.url == f"/participants/{participant.display_id}/"
    assert participant.enrolled_site == places["fixed"]
    assert participant.enrolled_by == bob


def test_a_participant_is_enrolled_from_the_answers_to_the_questions(carol, client_as, enrol):
    response = client_as(carol).post("/participants/enrol/", {
        "code": "", "answer_mother_first_name": "Ángela", "answer_birth_month": "3",
        "answer_birth_year": "1985", "answer_birth_city": "Cali", "site": "",
    })

    assert response.status_code == 302
    with pytest.raises(ValidationError):
        enrol("AN0385C", by=carol)


def test_the_enrol_button_on_the_lookup_enrols_at_the_persons_only_site(carol, places, client_as):
    response = client_as(carol).post("/participants/enrol/", {"code": CODE})

    assert response.status_code == 302
    assert Participant.objects.get().enrolled_site == places["van"]


def test_the_enrol_page_explains_the_recipe_as_questions(bob, client_as):
    page = client_as(bob).get("/participants/enrol/").content.decode()

    assert "mother&#x27;s first name" in page
    assert "Which month were you born in?" in page
    assert "like AB0385C" in page


def test_enrolment_is_audited_without_the_code(bob, enrol):
    participant = enrol(by=bob)

    event = AuditEvent.objects.get(object_type="participants.participant", object_id=str(participant.pk))
    assert event.action == "create"
    assert event.actor_label == "bob"
    assert CODE not in str(event.detail)


def test_a_display_id_is_random_short_and_unambiguous(bob, enrol):
    ids = {enrol(code, by=bob).display_id for code in ("AB0385C", "CD0490E", "FG0595H", "JK0600M")}

    assert len(ids) == 4
    for display_id in ids:
        assert len(display_id) == 6
        assert set(display_id) <= set(DISPLAY_ID_ALPHABET)
        assert not set(display_id) & set("0O1IL")


def test_a_display_id_collision_is_retried(bob, enrol, monkeypatch):
    first = enrol(by=bob)
    ids = iter([first.display_id, "Z9Z9Z9"])
    monkeypatch.setattr("haven.participants.actions.new_display_id", lambda: next(ids))

    assert enrol("CD0490E", by=bob).display_id == "Z9Z9Z9"


def test_the_same_code_cannot_be_enrolled_twice(bob, carol, enrol):
    first = enrol(by=bob)

    with pytest.raises(ValidationError) as error:
        participant_enroll(actor=carol, code="A b 0 3 8 5 c")

    detail = error.value.error_dict["code"][0]
    assert detail.code == "already_enrolled"
    assert detail.params["display_id"] == first.display_id
    assert Participant.objects.count() == 1


def test_the_enrol_page_points_to_the_existing_participant(bob, client_as, enrol):
    first = enrol(by=bob)

    response = client_as(bob).post("/participants/enrol/", {"code": CODE})

    assert response.status_code == 409
    assert f"/participants/{first.display_id}/" in response.content.decode()
    assert Participant.objects.count() == 1


@pytest.mark.parametrize("code, message", [
    ("AB1385C", "01 to 12"),
    ("AB0385", "too short"),
    ("", "Type the code, or answer the questions"),
])
def test_a_code_that_does_not_fit_the_recipe_is_refused_with_help(bob, client_as, code, message):
    response = client_as(bob).post("/participants/enrol/", {"code": code})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Participant.objects.exists()


def test_an_unanswered_question_is_marked(bob, client_as):
    response = client_as(bob).post("/participants/enrol/", {
        "code": "", "answer_mother_first_name": "Jo", "answer_birth_month": "3", "answer_birth_year": "85",
    })

    assert response.status_code == 400
    assert 'id="id_answer_birth_city_error"' in response.content.decode()


def test_anonymous_visitor_cannot_enrol(places, anonymous_client):
    response = anonymous_client.post("/participants/enrol/", {"code": CODE})

    assert response.status_code in (302, 403)
    assert not Participant.objects.exists()
