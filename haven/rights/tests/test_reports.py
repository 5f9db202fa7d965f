"""Reports by staff, and by a participant with staff: structured, screened, encrypted, and a referral
to legal aid when the person wants help."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from haven.core.freetext import PersonalDetailsFound
from haven.core.models import AuditEvent
from haven.rights import actions
from haven.rights.models import RightsReport
from haven.rights.tests.conftest import raw_column
from haven.support.models import Referral

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def record(actor, **overrides):
    values = {"source": "with_participant", "occurred_on": TODAY(), "events": ["syringes_confiscated", "searched"]}
    values.update(overrides)
    return actions.rights_report_record(actor=actor, **values)


def test_peer_carol_records_a_confiscation_with_a_participant(carol, places):
    report = record(carol, area=places["east"], note="Stopped on the way back from the van, kit thrown away",
                    officer_details="Badge 4471")

    assert report.status == "counted" and report.source == "with_participant"
    assert report.events == ["searched", "syringes_confiscated"]  # in the vocabulary's order
    assert report.categories == ["police"]
    assert "kit thrown away" not in " ".join(str(v) for v in raw_column("rights_rightsreport", "note"))
    assert "4471" not in " ".join(str(v) for v in raw_column("rights_rightsreport", "officer_details"))
    event = AuditEvent.objects.get(object_type="rights.rightsreport")
    assert "4471" not in str(event.detail) and "kit" not in str(event.detail)
    assert event.detail["officer_details"] is True


def test_a_person_who_wants_help_gets_a_legal_aid_referral_on_their_support_page(bob, participant, legal_aid):
    report = record(bob, wants_help=True, participant=participant, legal_service=legal_aid)

    referral = Referral.objects.get(participant=participant)
    assert (referral.category, referral.service_id, referral.status) == ("legal", legal_aid.pk, "offered")
    assert report.referred and report.wants_help
    # The report itself keeps no link to the person.
    assert not any(field.name == "participant" for field in RightsReport._meta.get_fields())


def test_wanting_help_without_a_display_id_is_refused_with_a_reason(bob):
    with pytest.raises(ValidationError) as refused:
        record(bob, wants_help=True)
    assert "display id" in str(refused.value.message_dict["participant"])
    assert RightsReport.objects.count() == 0


@pytest.mark.parametrize("occurred_on, message", [
    (TODAY() + datetime.timedelta(days=1), "future"),
    (TODAY() - datetime.timedelta(days=4 * 366), "three years"),
    (None, "date"),
])
def test_a_date_in_the_future_or_long_ago_is_refused(bob, occurred_on, message):
    with pytest.raises(ValidationError) as refused:
        record(bob, occurred_on=occurred_on)
    assert message in str(refused.value.message_dict["occurred_on"])


@pytest.mark.parametrize("events", [[], ["made_up"], ["stopped", "made_up"]])
def test_what_happened_must_come_from_the_list(bob, events):
    with pytest.raises(ValidationError) as refused:
        record(bob, events=events)
    assert "events" in refused.value.message_dict


def test_a_note_that_names_someone_is_flagged_and_kept_only_when_staff_confirm(bob, places):
    note = "Officer said he knows Maria Lopez from the clinic, call 415 555 0199"
    with pytest.raises(PersonalDetailsFound) as flagged:
        record(bob, note=note)
    assert "[removed]" in flagged.value.redacted_text and "555" not in flagged.value.redacted_text
    assert RightsReport.objects.count() == 0

    report = record(bob, note=note, confirmed=True)
    assert report.confirmed_flags == ["name", "phone"]


def test_area_names_are_not_taken_for_a_persons_name(bob, places):
    report = record(bob, note="Searched twice near Northside this week", area=places["north"])
    assert report.note.startswith("Searched twice")


def test_an_anonymous_caller_cannot_record_as_staff(places):
    with pytest.raises(PermissionDenied):
        record(None)


def test_the_form_page_flags_then_saves(client_as, bob, places):
    client = client_as(bob)
    data = {"source": "staff", "occurred_on": TODAY().isoformat(), "area": places["north"].pk,
            "events": ["pharmacy_naloxone"], "note": "The pharmacist, Tom Baker, said no naloxone without ID"}
    response = client.post(reverse("rights-report-new"), data)
    assert response.status_code == 400
    assert "I checked: these details are fine" in response.content.decode()
    assert RightsReport.objects.count() == 0

    response = client.post(reverse("rights-report-new"), {**data, "note": "The pharmacist said no naloxone without ID"})
    assert response.status_code == 302
    assert RightsReport.objects.get().events == ["pharmacy_naloxone"]


def test_the_form_refuses_a_display_id_nobody_has(client_as, bob):
    response = client_as(bob).post(reverse("rights-report-new"), {
        "source": "with_participant", "occurred_on": TODAY().isoformat(), "events": ["stopped"],
        "wants_help": "on", "display_id": "ZZZZZZ"})
    assert response.status_code == 400
    assert "No participant has this display id" in response.content.decode()


def test_officer_details_show_to_coordinators_only(client_as, alice, dana, bob, places):
    record(bob, officer_details="Badge 4471")

    assert "Badge 4471" in client_as(dana).get(reverse("rights-reports")).content.decode()
    page = client_as(alice).get(reverse("rights-reports")).content.decode()
    assert "Badge 4471" not in page and "only coordinators see them" in page


@pytest.mark.parametrize("who, status", [("alice", 200), ("dana", 200), ("bob", 403), ("carol", 403)])
def test_reading_reports_is_for_coordinators_and_admins(client_as, everyone, who, status):
    assert client_as(everyone[who]).get(reverse("rights-reports")).status_code == status


def test_everyone_can_record(client_as, everyone):
    for person in everyone.values():
        assert client_as(person).get(reverse("rights-report-new")).status_code == 200
