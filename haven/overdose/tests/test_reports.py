"""Overdose reports from staff and from reversals reported at visits."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from haven.core.models import AuditEvent
from haven.encounters.models import Encounter, ReversalReport
from haven.overdose import recording, reversals
from haven.overdose.models import OverdoseReport

pytestmark = pytest.mark.django_db


def a_visit_with_a_reversal(site, staff, **reversal):
    encounter = Encounter.objects.create(client_id=uuid.uuid4(), site=site, service_mode="fixed", staff=staff)
    return ReversalReport.objects.create(encounter=encounter, **reversal)


def an_hour_ago():
    return timezone.localtime() - datetime.timedelta(hours=1)


def form_data(places, **overrides):
    data = {
        "occurred_at": an_hour_ago().strftime("%Y-%m-%dT%H:%M"), "area": places["north"].pk, "kind": "overdose",
        "fatal": "no", "naloxone_doses": "2", "emergency_services_called": "yes",
        "substances": "Fentanyl, xylazine", "drug_checking_sample": "", "notes": "",
    }
    data.update(overrides)
    return data


def test_a_reversal_reported_at_a_visit_becomes_one_report_once(places, bob):
    reversal = a_visit_with_a_reversal(places["fixed"], bob, occurred_on=timezone.localdate(), naloxone_doses_used=2,
                                       outcome="survived", emergency_services_called="no")

    assert reversals.overdose_reports_from_reversals() == 1
    assert reversals.overdose_reports_from_reversals() == 0

    report = OverdoseReport.objects.get()
    assert report.reversal == reversal
    assert report.source == OverdoseReport.Source.ENCOUNTER
    assert report.area == places["north"]  # the visit's site's area, as the reversal gave none
    assert (report.fatal, report.naloxone_doses, report.emergency_services_called) == ("no", 2, "no")
    assert report.occurred_at.minute == 0


def test_a_reversal_keeps_its_own_area_and_outcome(places, bob):
    a_visit_with_a_reversal(places["fixed"], bob, area=places["east"], outcome="died")

    reversals.overdose_reports_from_reversals()

    report = OverdoseReport.objects.get()
    assert (report.area, report.fatal) == (places["east"], "yes")


def test_a_reversal_at_a_voided_visit_is_not_counted(places, bob):
    reversal = a_visit_with_a_reversal(places["fixed"], bob)
    Encounter.objects.filter(pk=reversal.encounter_id).update(voided_at=timezone.now())

    assert reversals.overdose_reports_from_reversals() == 0


def test_staff_record_a_witnessed_overdose(places, bob, client_as):
    response = client_as(bob).post(reverse("overdose-report-new"), form_data(places))

    report = OverdoseReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("overdose-report-detail", args=[report.pk])
    assert report.substances == ["fentanyl", "xylazine"]
    assert report.created_by == bob
    assert report.source == OverdoseReport.Source.STAFF
    event = AuditEvent.objects.filter(object_type="overdose.overdosereport").get()
    assert "Fentanyl" not in str(event.detail) and "fentanyl" not in str(event.detail)


def test_a_phone_number_in_the_notes_is_flagged_and_nothing_is_saved_until_it_is_redacted(places, bob, client_as):
    client = client_as(bob)
    notes = "Found near the park, friend said call 555-123-4567 for more."

    response = client.post(reverse("overdose-report-new"), form_data(places, notes=notes))

    assert response.status_code == 200
    assert OverdoseReport.objects.count() == 0
    page = response.content.decode()
    assert "a phone number" in page
    assert "Nothing was saved" in page
    # The form comes back with the number taken out, ready to check and save again.
    redacted = response.context["form"]["notes"].value()
    assert "555-123-4567" not in redacted and "[removed]" in redacted

    response = client.post(reverse("overdose-report-new"), form_data(places, notes=redacted))

    assert response.status_code == 302
    assert OverdoseReport.objects.get().notes == redacted


def test_names_and_email_addresses_in_the_notes_are_flagged(places, bob):
    for notes in ["Maria Lopez was there", "write to helper@example.org"]:
        with pytest.raises(recording.PersonalDetailsFound):
            recording.overdose_report_record(actor=bob, occurred_at=an_hour_ago(), area=places["north"], notes=notes)
    assert OverdoseReport.objects.count() == 0


def test_places_substances_and_dates_are_not_mistaken_for_names_or_numbers(places, bob):
    notes = "Near Northside Park on Friday Night. Blue Pressed pills, Narcan given twice. Since 2026-11-20."

    report = recording.overdose_report_record(actor=bob, occurred_at=an_hour_ago(), area=places["north"], notes=notes)

    assert report.notes == notes


def test_a_report_in_the_future_or_with_negative_doses_is_refused(places, bob):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        recording.overdose_report_record(actor=bob, occurred_at=timezone.now() + datetime.timedelta(days=2),
                                       naloxone_doses=-1)
    assert set(error.value.message_dict) == {"occurred_at", "naloxone_doses"}


def test_a_peer_may_report_an_overdose_too(places, carol, client_as):
    response = client_as(carol).post(reverse("overdose-report-new"), form_data(places, area=places["east"].pk))

    assert response.status_code == 302
    assert OverdoseReport.objects.get().created_by == carol


def test_the_public_cannot_use_the_staff_form(places, bob):
    with pytest.raises(PermissionDenied):
        recording.overdose_report_record(actor=None, occurred_at=an_hour_ago())


def test_the_list_filters_by_area_and_date(places, bob, client_as):
    now = timezone.now()
    OverdoseReport.objects.create(occurred_at=now, area=places["north"], source="staff")
    OverdoseReport.objects.create(occurred_at=now, area=places["east"], source="staff")
    OverdoseReport.objects.create(occurred_at=now - datetime.timedelta(days=40), area=places["north"], source="staff")
    client = client_as(bob)

    everything = client.get(reverse("overdose-reports")).context["page"].object_list
    northside = client.get(reverse("overdose-reports"), {"area": places["north"].pk}).context["page"].object_list
    recent = client.get(reverse("overdose-reports"), {
        "area": places["north"].pk, "since": (timezone.localdate() - datetime.timedelta(days=7)).isoformat()},
    ).context["page"].object_list

    assert (len(everything), len(northside), len(recent)) == (3, 2, 1)


def test_staff_see_a_report_and_its_details(places, bob, client_as):
    report = OverdoseReport.objects.create(occurred_at=timezone.now(), area=places["north"], source="public",
                                           substances=["fentanyl"], notes="Blue pills")

    page = client_as(bob).get(reverse("overdose-report-detail", args=[report.pk])).content.decode()

    assert "Northside" in page and "fentanyl" in page and "Blue pills" in page


def test_anonymous_visitors_cannot_see_reports(places, anonymous_client):
    response = anonymous_client.get(reverse("overdose-reports"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
