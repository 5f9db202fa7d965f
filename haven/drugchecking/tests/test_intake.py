"""Taking in a sample: no name, a code handed over once and stored only as a keyed hash."""

import re

from haven.drugchecking import actions, codes
from haven.drugchecking.models import Sample
from haven.participants.actions import participant_enroll


def intake_data(places, **overrides):
    data = {"expected": "mdma", "form": "pill", "colour": "pink", "pill_marks": "heart", "pill_weight_mg": "250",
            "site": places["van"].pk, "area": places["east"].pk if "east" in places else "", "already_used": "no",
            "effects": "", "consent_publish": "on", "participant_code": ""}
    data.update(overrides)
    return data


def test_peer_takes_in_a_sample_and_sees_its_code_once(carol, places, client_as):
    client = client_as(carol)

    response = client.post("/checking/new/", intake_data(places))

    sample = Sample.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/checking/{sample.pk}/handover/"
    page = client.get(response["Location"]).content.decode()
    code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}", page).group(0)
    assert sample.code_index == actions.code_index_for(code)
    assert "<svg" in page  # the QR code
    # The code is never stored: shown again, it would have to come from somewhere.
    again = client.get(f"/checking/{sample.pk}/handover/", follow=True).content.decode()
    assert code not in again
    assert code not in str(Sample.objects.values().get())


def test_sample_codes_are_unguessable_and_unambiguous():
    assert codes.BITS >= 40
    drawn = {codes.new_code() for _ in range(200)}
    assert len(drawn) == 200
    for code in drawn:
        assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}", code)
        assert not set(code) & set("01OILSB58")


def test_a_code_typed_loosely_is_the_same_code():
    assert codes.normalise(" k7qm 4xpd-r2 ") == "K7QM-4XPD-R2"


def test_a_code_with_look_alike_letters_is_refused_with_a_reason():
    for text, words in (("K7QM-4XPD", "10 letters"), ("K7QM-4XPD-R0", "never holds 0")):
        try:
            codes.normalise(text)
        except codes.BadSampleCode as error:
            assert words in str(error)
        else:
            raise AssertionError(text)


def test_a_participant_may_be_linked_by_their_code_which_is_not_stored(bob, places, client_as):
    participant = participant_enroll(actor=bob, code="MJ0385C", site=places["fixed"])
    client = client_as(bob)

    response = client.post("/checking/new/", intake_data(places, site=places["fixed"].pk, participant_code="mj 03 85 c"))

    assert response.status_code == 302
    sample = Sample.objects.get()
    assert sample.participant == participant
    assert "MJ0385C" not in str(Sample.objects.values().get()).upper()


def test_an_unknown_participant_code_is_a_clear_error_and_nothing_is_saved(bob, places, client_as):
    response = client_as(bob).post("/checking/new/", intake_data(places, site=places["fixed"].pk,
                                                                 participant_code="ZZ0199X"))

    assert response.status_code == 200
    assert "No participant has this code" in response.content.decode()
    assert not Sample.objects.exists()


def test_a_peer_cannot_take_in_a_sample_at_a_site_she_does_not_work_at(carol, places, client_as):
    response = client_as(carol).post("/checking/new/", intake_data(places, site=places["fixed"].pk))

    assert response.status_code == 200
    assert not Sample.objects.exists()


def test_names_in_the_effects_are_refused_and_nothing_is_saved(bob, places):
    try:
        actions.sample_intake(actor=bob, site=places["fixed"], expected="mdma", form="pill",
                              effects="Gave some to Jordan Smith, call 604 555 0199")
    except actions.ValidationError as error:
        assert "effects" in error.message_dict
    else:
        raise AssertionError("saved")
    assert not Sample.objects.exists()


def test_an_expected_substance_not_in_the_list_is_a_clear_error(bob, places):
    try:
        actions.sample_intake(actor=bob, site=places["fixed"], expected="moonrocks", form="powder")
    except actions.ValidationError as error:
        assert "not in the substance list" in error.message_dict["expected"][0]
    else:
        raise AssertionError("saved")


def test_the_effects_a_person_felt_are_encrypted_in_the_database(places, bob):
    from django.db import connection

    sample, _code = actions.sample_intake(actor=bob, site=places["fixed"], expected="mdma", form="pill",
                                          effects="Felt very hot and dizzy after half")

    with connection.cursor() as cursor:
        cursor.execute("SELECT effects FROM drugchecking_sample")
        assert "dizzy" not in str(cursor.fetchone()[0])
    assert Sample.objects.get(pk=sample.pk).effects == "Felt very hot and dizzy after half"
