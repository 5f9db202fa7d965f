import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from haven.consumption import actions, queries
from haven.consumption.models import Board, Route, Stay
from haven.consumption.tests.conftest import CODE
from haven.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_staff_check_a_participant_in_by_their_code(bob, booths, participant):
    stay = actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION,
                                 participant_code=CODE.lower(), substances="down, about a point")
    assert stay.participant == participant
    assert stay.who == participant.display_id
    assert AuditEvent.objects.filter(object_type="consumption.stay", object_id=str(stay.pk), action="create").exists()


def test_what_the_person_uses_is_stored_encrypted(bob, booths):
    from django.db import connection

    stay = actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.SMOKING, substances="side from Joe")
    with connection.cursor() as cursor:
        cursor.execute("SELECT substances FROM consumption_stay WHERE id = %s", [stay.pk])
        stored = cursor.fetchone()[0]
    assert "Joe" not in stored
    assert Stay.objects.get(pk=stay.pk).substances == "side from Joe"


def test_people_without_a_code_are_numbered_anonymously_for_the_day(bob, booths):
    first = actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION)
    second = actions.stay_check_in(actor=bob, booth=booths["two"], route=Route.SMOKING)
    assert (first.participant, first.who, second.who) == (None, "anonymous #1", "anonymous #2")


def test_an_unknown_code_is_refused_with_a_way_forward(bob, booths):
    with pytest.raises(ValidationError) as error:
        actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION, participant_code="ZZ9999Z")
    assert "check in anonymously" in str(error.value.message_dict["participant_code"])
    assert not Stay.objects.exists()


def test_two_people_cannot_be_checked_into_one_booth(bob, booths):
    actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION)
    with pytest.raises(ValidationError) as error:
        actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.SMOKING)
    assert "Booth 1 is in use (anonymous #1)" in error.value.message_dict["booth"][0]
    assert Stay.objects.count() == 1


def test_the_database_also_refuses_a_second_open_stay_in_a_booth(bob, booths):
    from django.db import IntegrityError, transaction

    now = timezone.now()
    Stay.objects.create(site=booths["one"].site, booth=booths["one"], route="oral", checked_in_at=now,
                        last_check_at=now, anonymous_number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stay.objects.create(site=booths["one"].site, booth=booths["one"], route="oral", checked_in_at=now,
                            last_check_at=now, anonymous_number=2)


def test_a_route_outside_the_four_is_refused(bob, booths):
    with pytest.raises(ValidationError) as error:
        actions.stay_check_in(actor=bob, booth=booths["one"], route="rectal-typo")
    assert "route" in error.value.message_dict


def test_staff_cannot_check_in_at_a_site_they_do_not_work_at(bob, booths):
    with pytest.raises(PermissionDenied):
        actions.stay_check_in(actor=bob, booth=booths["van"], route=Route.INJECTION)


def test_check_out_keeps_the_length_of_the_stay_and_the_note(bob, booths):
    start = timezone.now() - datetime.timedelta(minutes=25)
    stay = actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION, now=start)
    done = actions.stay_check_out(actor=bob, stay_id=stay.pk, aftercare_note="had water, felt fine",
                                  now=start + datetime.timedelta(minutes=23, seconds=30))
    assert done.stay_seconds == 23 * 60 + 30
    assert Stay.objects.get(pk=stay.pk).aftercare_note == "had water, felt fine"
    # The booth is free again.
    actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.SMOKING)


def test_a_check_out_without_a_check_in_gets_a_clear_message(bob, booths):
    with pytest.raises(ValidationError, match="no such check-in"):
        actions.stay_check_out(actor=bob, stay_id=999_999)


def test_checking_out_twice_says_when_the_person_left(bob, booths):
    stay = actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION)
    actions.stay_check_out(actor=bob, stay_id=stay.pk)
    with pytest.raises(ValidationError, match="already checked out"):
        actions.stay_check_out(actor=bob, stay_id=stay.pk)


def test_a_participant_already_in_a_booth_is_not_checked_in_again(bob, booths, participant):
    actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION, participant_code=CODE)
    with pytest.raises(ValidationError) as error:
        actions.stay_check_in(actor=bob, booth=booths["two"], route=Route.INJECTION, participant_code=CODE)
    assert "participant_code" in error.value.message_dict


def test_an_unknown_drug_checking_code_is_refused_and_nothing_is_saved(bob, booths):
    with pytest.raises(ValidationError) as error:
        actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION, drug_checking_sample="QQ1234Q")
    assert "drug_checking_sample" in error.value.message_dict
    assert not Stay.objects.exists()


def test_every_change_moves_the_board_version(bob, booths):
    site = booths["one"].site
    stay = actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION)
    actions.stay_acknowledge_check(actor=bob, stay_id=stay.pk)
    actions.stay_check_out(actor=bob, stay_id=stay.pk)
    assert Board.objects.get(site=site).version == 3


def test_the_board_shows_who_is_in_each_booth(bob, booths, participant):
    actions.stay_check_in(actor=bob, booth=booths["two"], route=Route.INJECTION, participant_code=CODE)
    rows = {row.booth.name: row for row in queries.board_rows(booths["one"].site)}
    assert rows["Booth 1"].state == "free"
    assert rows["Booth 2"].stay.who == participant.display_id
    assert rows["Booth 2"].state == "ok"
    assert "Van booth" not in rows
