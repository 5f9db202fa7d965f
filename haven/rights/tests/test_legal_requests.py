"""The legal requests log: admins only, every view audited; a request needs a deadline; what is
produced is exactly what was decided, and shows in the person's accounting of disclosures unless a
court ordered otherwise."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from haven.core.models import AuditEvent
from haven.encounters.models import Encounter
from haven.rights import actions
from haven.rights.models import LegalRequest
from haven.rights.tests.conftest import raw_column
from haven.support.disclosures import accounting

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def log(actor, **overrides):
    values = {"kind": "subpoena", "requester": "County Sheriff, Det. R. Hale",
              "requested": "All records of the two named people since 2020", "deadline": TODAY() + datetime.timedelta(days=14),
              "legal_basis": "Grand jury subpoena 26-GJ-114", "counsel": "Legal Aid Society"}
    values.update(overrides)
    return actions.legal_request_log(actor=actor, **values)


def visit(participant, site, days_ago):
    import uuid

    return Encounter.objects.create(client_id=uuid.uuid4(), participant=participant, site=site, service_mode="fixed",
                                    occurred_at=timezone.now() - datetime.timedelta(days=days_ago))


def test_a_request_without_a_deadline_is_refused_with_a_clear_message(alice):
    with pytest.raises(ValidationError) as refused:
        log(alice, deadline=None)
    assert "Every request needs a deadline" in refused.value.message_dict["deadline"][0]
    assert LegalRequest.objects.count() == 0


def test_the_form_asks_for_the_deadline(client_as, alice):
    response = client_as(alice).post(reverse("rights-legal-new"), {
        "kind": "informal", "received_on": TODAY().isoformat(), "requester": "Officer at the door",
        "requested": "The list of people who came in today"})
    assert response.status_code == 400
    assert "Ask the requester" in response.content.decode()
    assert LegalRequest.objects.count() == 0


def test_a_deadline_before_the_request_arrived_is_refused(alice):
    with pytest.raises(ValidationError):
        log(alice, deadline=TODAY() - datetime.timedelta(days=1))


def test_who_asked_and_for_what_are_encrypted(alice):
    log(alice)
    assert "Hale" not in " ".join(raw_column("rights_legalrequest", "requester"))
    assert "26-GJ-114" not in " ".join(raw_column("rights_legalrequest", "legal_basis"))
    assert "Hale" not in str(AuditEvent.objects.get(object_type="rights.legalrequest").detail)


@pytest.mark.parametrize("who", ["dana", "bob", "carol"])
def test_only_admins_open_the_log(client_as, everyone, who):
    assert client_as(everyone[who]).get(reverse("rights-legal")).status_code == 403
    with pytest.raises(PermissionDenied):
        log(everyone[who])


def test_every_view_of_the_log_is_audited(client_as, alice):
    entry = log(alice)
    client = client_as(alice)
    before = AuditEvent.objects.filter(action="view").count()
    client.get(reverse("rights-legal"))
    client.get(reverse("rights-legal-detail", args=[entry.pk]))
    client.get(reverse("rights-legal-produce", args=[entry.pk]))
    views = AuditEvent.objects.filter(action="view").order_by("sequence")[before:]
    assert [event.detail["view"] for event in views] == ["list", "detail", "produce"]
    assert all(event.actor_id == alice.pk for event in views)


def test_a_narrowed_production_holds_exactly_what_was_decided(alice, participant, second_participant, places):
    entry = log(alice, participants=[participant, second_participant])
    visit(participant, places["fixed"], days_ago=3)
    visit(participant, places["fixed"], days_ago=400)
    visit(second_participant, places["fixed"], days_ago=2)
    actions.legal_request_respond(actor=alice, legal_request=entry, response="narrowed",
                                  response_note="Counsel: visit dates of one person for the last year only")

    production = actions.production_make(actor=alice, legal_request=entry, participants=[participant],
                                         record_kinds=["visits"], since=TODAY() - datetime.timedelta(days=365))

    rows = list(csv.reader(io.StringIO(production.content)))
    assert rows[0] == ["participant", "record", "date", "detail"]
    assert [row[:2] for row in rows[1:]] == [[participant.display_id, "visit"]]
    assert second_participant.display_id not in production.content
    assert production.rows == 1
    assert AuditEvent.objects.filter(object_type="rights.production", action="export").count() == 1


def test_records_of_people_the_request_does_not_name_are_never_produced(alice, participant, second_participant):
    entry = log(alice, participants=[participant])
    with pytest.raises(ValidationError) as refused:
        actions.production_make(actor=alice, legal_request=entry, participants=[second_participant],
                                record_kinds=["enrolment"])
    assert "people the request names" in str(refused.value)


@pytest.mark.parametrize("response", ["refused", "withdrawn"])
def test_nothing_is_produced_for_a_refused_or_withdrawn_request(alice, participant, response):
    entry = log(alice, participants=[participant])
    actions.legal_request_respond(actor=alice, legal_request=entry, response=response)
    with pytest.raises(ValidationError):
        actions.production_make(actor=alice, legal_request=entry, participants=[participant],
                                record_kinds=["enrolment"])


def test_a_production_shows_in_the_persons_accounting_of_disclosures(alice, dana, participant, client_as):
    entry = log(alice, participants=[participant])
    actions.production_make(actor=alice, legal_request=entry, participants=[participant], record_kinds=["enrolment"])

    [item] = accounting(participant)
    assert (item.to, item.what, item.basis, item.by) == ("County Sheriff, Det. R. Hale", "Enrolment date", "Subpoena",
                                                         "alice")
    page = client_as(dana).get(reverse("support-person", args=[participant.display_id])).content.decode()
    assert "County Sheriff, Det. R. Hale" in page and "Enrolment date" in page


def test_a_gag_order_keeps_it_out_of_the_accounting_until_it_ends(alice, participant):
    entry = log(alice, participants=[participant], gag_order=True, gag_until=TODAY() + datetime.timedelta(days=90))
    actions.production_make(actor=alice, legal_request=entry, participants=[participant], record_kinds=["enrolment"])
    assert accounting(participant) == []

    LegalRequest.objects.filter(pk=entry.pk).update(gag_until=TODAY() - datetime.timedelta(days=1))
    assert len(accounting(participant)) == 1


def test_a_gag_end_date_without_a_gag_order_is_refused(alice):
    with pytest.raises(ValidationError):
        log(alice, gag_until=TODAY() + datetime.timedelta(days=3))


def test_the_log_links_to_the_file_and_opening_it_is_audited(client_as, alice, participant):
    entry = log(alice, participants=[participant])
    production = actions.production_make(actor=alice, legal_request=entry, participants=[participant],
                                          record_kinds=["enrolment"])
    client = client_as(alice)
    url = reverse("rights-legal-production", args=[entry.pk, production.pk])
    assert url in client.get(reverse("rights-legal-detail", args=[entry.pk])).content.decode()
    response = client.get(url)
    assert response.status_code == 200 and participant.display_id in response.content.decode()
    assert AuditEvent.objects.filter(object_type="rights.production", action="view").count() == 1
    assert client.get(reverse("rights-legal-production", args=[entry.pk, 999999])).status_code == 404


def test_the_produce_form_refuses_nothing_chosen(client_as, alice, participant):
    entry = log(alice, participants=[participant])
    response = client_as(alice).post(reverse("rights-legal-produce", args=[entry.pk]), {"participants": []})
    assert response.status_code == 400
    assert entry.productions.count() == 0


def test_the_accounting_links_to_the_request_for_admins_only(alice, dana, participant):
    entry = log(alice, participants=[participant])
    actions.production_make(actor=alice, legal_request=entry, participants=[participant], record_kinds=["enrolment"])
    link = reverse("rights-legal-detail", args=[entry.pk])
    assert accounting(participant, user=alice)[0].link == link
    assert accounting(participant, user=dana)[0].link == ""
    assert accounting(participant)[0].link == ""


def test_display_ids_nobody_has_are_named_and_nothing_is_logged(client_as, alice):
    response = client_as(alice).post(reverse("rights-legal-new"), {
        "kind": "subpoena", "received_on": TODAY().isoformat(), "requester": "Court", "requested": "Records",
        "deadline": (TODAY() + datetime.timedelta(days=5)).isoformat(), "display_ids": "ZZZZZZ, YYYYYY"})
    assert response.status_code == 400
    assert "ZZZZZZ, YYYYYY" in response.content.decode()
    assert LegalRequest.objects.count() == 0


def test_a_date_range_that_ends_before_it_starts_is_refused(alice, participant):
    entry = log(alice, participants=[participant])
    with pytest.raises(ValidationError):
        actions.production_make(actor=alice, legal_request=entry, participants=[participant], record_kinds=["visits"],
                                since=TODAY(), until=TODAY() - datetime.timedelta(days=1))
    assert entry.productions.count() == 0


def test_unknown_record_kinds_are_refused(alice, participant):
    entry = log(alice, participants=[participant])
    with pytest.raises(ValidationError):
        actions.production_make(actor=alice, legal_request=entry, participants=[participant],
                                record_kinds=["enrolment", "everything"])


def test_a_response_must_be_chosen(alice):
    entry = log(alice)
    with pytest.raises(ValidationError):
        actions.legal_request_respond(actor=alice, legal_request=entry, response="pending")
