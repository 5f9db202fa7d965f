"""Correcting a visit: the recorder for 24 hours, a coordinator at any time; every change audited
with before, after and a reason; stock and reports follow the corrected visit."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.utils import timezone

from haven.core.models import AuditEvent
from haven.encounters import actions
from haven.encounters.models import Encounter
from haven.encounters.tests.support import lines_of
from haven.inventory.models import StockEntry
from haven.reports.periods import month
from haven.reports.queries import compute


def on_hand(site, item):
    return StockEntry.objects.filter(site=site, item=item).aggregate(total=Sum("quantity"))["total"] or 0


def give(person, places, catalog, quantity=200, **fields):
    return actions.encounter_record(actor=person, client_id=uuid.uuid4(), site=places["fixed"],
                                    service_mode="fixed", supplies=[(catalog["syringe"], quantity)], **fields)[0]


def correct(person, encounter, places, catalog, quantity=20, reason="20 syringes, not 200", **fields):
    arguments = {"site": places["fixed"], "service_mode": "fixed", "supplies": [(catalog["syringe"], quantity)],
                 "occurred_at": encounter.occurred_at, **fields}
    return actions.encounter_correct(actor=person, encounter=encounter, reason=reason, client_id=uuid.uuid4(),
                                     **arguments)


def age(encounter, hours):
    Encounter.objects.filter(pk=encounter.pk).update(created_at=timezone.now() - datetime.timedelta(hours=hours))
    encounter.refresh_from_db()


def test_the_recorder_corrects_their_visit_and_the_old_one_stops_counting(bob, places, catalog):
    visit = give(bob, places, catalog)

    corrected = correct(bob, visit, places, catalog)

    visit.refresh_from_db()
    assert visit.voided_at is not None and visit.void_reason == "20 syringes, not 200"
    assert corrected.replaces == visit and corrected.staff == bob and corrected.created_at == visit.created_at
    assert lines_of(corrected) == {(catalog["syringe"].name, None): 20}


def test_a_correction_is_audited_with_before_after_and_the_visit_it_replaced(bob, places, catalog):
    visit = give(bob, places, catalog, secondary_people=1)

    corrected = correct(bob, visit, places, catalog, secondary_people=0)

    event = AuditEvent.objects.get(action="update", object_id=str(corrected.pk))
    assert event.detail["replaces"] == visit.pk
    assert event.detail["fields"] == ["supplies", "secondary_people"]
    assert event.detail["before"] == {"supplies": [[catalog["syringe"].pk, 0, 200]], "secondary_people": 1}
    assert event.detail["after"] == {"supplies": [[catalog["syringe"].pk, 0, 20]], "secondary_people": 0}
    assert AuditEvent.objects.filter(action="void", object_id=str(visit.pk)).exists()


def test_stock_follows_the_correction(bob, places, catalog):
    before = on_hand(places["fixed"], catalog["syringe"])
    visit = give(bob, places, catalog)

    correct(bob, visit, places, catalog, quantity=20)

    assert on_hand(places["fixed"], catalog["syringe"]) == before - 20


def test_reports_follow_the_correction(bob, places, catalog):
    visit = give(bob, places, catalog)
    today = timezone.localdate()
    this_month = month(today.year, today.month)
    assert compute(this_month).value("syringes_distributed") == 200

    correct(bob, visit, places, catalog, quantity=20)

    assert compute(this_month).value("syringes_distributed") == 20
    assert compute(this_month).value("encounters") == 1


def test_the_recorder_cannot_correct_after_24_hours_but_a_coordinator_can(bob, dana, places, catalog):
    visit = give(bob, places, catalog)
    age(visit, 25)

    with pytest.raises(PermissionDenied):
        correct(bob, visit, places, catalog)
    corrected = correct(dana, visit, places, catalog)

    assert corrected.staff == bob  # still recorded by Bob; the audit log says Dana corrected it
    assert AuditEvent.objects.get(action="update", object_id=str(corrected.pk)).actor_label == "dana"


def test_staff_cannot_correct_someone_elses_visit(bob, carol, places, catalog):
    visit = give(bob, places, catalog)

    with pytest.raises(PermissionDenied):
        correct(carol, visit, places, catalog)


def test_a_correction_needs_a_reason_and_a_change(bob, places, catalog):
    visit = give(bob, places, catalog)

    with pytest.raises(ValidationError):
        correct(bob, visit, places, catalog, reason="  ")
    with pytest.raises(ValidationError, match="Nothing was changed"):
        correct(bob, visit, places, catalog, quantity=200)
    visit.refresh_from_db()
    assert visit.voided_at is None
    assert Encounter.objects.count() == 1


def test_a_corrected_visit_cannot_be_corrected_again_only_its_newest_version(bob, places, catalog):
    visit = give(bob, places, catalog)
    corrected = correct(bob, visit, places, catalog, quantity=20)

    with pytest.raises(ValidationError):
        correct(bob, visit, places, catalog, quantity=30)
    again = correct(bob, corrected, places, catalog, quantity=30, reason="30 after all")
    assert again.replaces == corrected


def test_the_correction_page_shows_the_visit_and_saves_the_change(bob, places, catalog, client_as):
    visit = give(bob, places, catalog)
    client = client_as(bob)

    page = client.get(f"/encounters/{visit.pk}/correct/").content.decode()
    assert f'name="item-{catalog["syringe"].pk}"' in page and 'value="200"' in page

    response = client.post(f"/encounters/{visit.pk}/correct/", {
        "client_id": str(uuid.uuid4()), "participant": "", "site": places["fixed"].pk, "service_mode": "fixed",
        "occurred_at": timezone.localtime(visit.occurred_at).strftime("%Y-%m-%dT%H:%M"),
        f"item-{catalog['syringe'].pk}": "20", "reason": "20, not 200"})

    corrected = Encounter.objects.get(replaces=visit)
    assert response.status_code == 302 and response["Location"] == f"/encounters/{corrected.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert "20, not 200" in detail and "supplies and kits" in detail


def test_the_correction_page_refuses_someone_elses_visit_with_a_message(bob, carol, places, catalog, client_as):
    visit = give(bob, places, catalog)
    carol.sites.add(places["fixed"])

    response = client_as(carol).get(f"/encounters/{visit.pk}/correct/", follow=True)

    assert "Ask a coordinator" in response.content.decode()
