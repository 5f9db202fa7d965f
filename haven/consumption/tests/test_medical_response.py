"""An overdose response feeds the overdose reports and the naloxone stock, all or nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.utils import timezone

from haven.consumption import actions
from haven.consumption.models import MedicalResponse, Route
from haven.inventory import actions as inventory_actions
from haven.inventory.models import Item, StockEntry
from haven.overdose.models import OverdoseReport

pytestmark = pytest.mark.django_db

NALOXONE = "Naloxone nasal spray 4 mg (2-dose kit)"


@pytest.fixture
def naloxone():
    return Item.objects.get(name=NALOXONE)


@pytest.fixture
def stocked(dana, places, naloxone):
    today = timezone.localdate()
    inventory_actions.stock_receive(actor=dana, site=places["fixed"], item=naloxone, quantity=1, lot_number="EARLY",
                                    expires_on=today + datetime.timedelta(days=30))
    inventory_actions.stock_receive(actor=dana, site=places["fixed"], item=naloxone, quantity=5, lot_number="LATE",
                                    expires_on=today + datetime.timedelta(days=300))


def on_hand(site, item):
    return StockEntry.objects.filter(site=site, item=item).aggregate(total=Sum("quantity"))["total"] or 0


def respond(actor, site, **overrides):
    now = timezone.now()
    values = {"noticed_at": now - datetime.timedelta(minutes=4), "responded_at": now - datetime.timedelta(minutes=3),
              "signs": "not breathing, blue lips", "outcome": MedicalResponse.Outcome.RECOVERED_ON_SITE,
              "emergency_services_called": "no", "emergency_services_reason": "breathing again after 2 doses",
              "naloxone_doses_intranasal": 2, "naloxone_doses_intramuscular": 1, "oxygen": True,
              "breathing_support": MedicalResponse.BreathingSupport.BAG_VALVE_MASK}
    values.update(overrides)
    return actions.medical_response_record(actor=actor, site=site, **values)


def test_an_overdose_response_becomes_an_overdose_report_and_draws_naloxone(bob, places, booths, naloxone, stocked):
    stay = actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION)
    response = respond(bob, places["fixed"], stay=stay, naloxone_item=naloxone)
    report = OverdoseReport.objects.get()
    assert response.overdose_report == report
    assert (report.area, report.naloxone_doses, report.emergency_services_called, report.fatal) == (
        places["north"], 3, "no", "no")
    # Three doses from two-dose kits: two kits, the lot that expires first first.
    drawn = StockEntry.objects.filter(kind="drawn", item=naloxone).order_by("pk")
    assert [(entry.lot.lot_number, entry.quantity) for entry in drawn] == [("EARLY", -1), ("LATE", -1)]
    assert on_hand(places["fixed"], naloxone) == 4
    assert response.seconds_to_response == 60


def test_a_response_without_stock_on_record_is_still_saved_as_a_shortfall(bob, places, naloxone):
    respond(bob, places["fixed"], naloxone_item=naloxone, naloxone_doses_intramuscular=0)
    [entry] = StockEntry.objects.filter(kind="drawn")
    assert entry.shortfall and entry.quantity == -1


def test_when_the_stock_draw_fails_no_response_and_no_report_is_saved(bob, places, naloxone, stocked, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(actions, "stock_draw_for_care", broken)
    with pytest.raises(RuntimeError):
        respond(bob, places["fixed"], naloxone_item=naloxone)
    assert not MedicalResponse.objects.exists()
    assert not OverdoseReport.objects.exists()
    assert on_hand(places["fixed"], naloxone) == 6


def test_when_the_overdose_report_fails_no_naloxone_is_drawn(bob, places, naloxone, stocked, monkeypatch):
    def broken(**kwargs):
        raise ValidationError({"area": ["broken"]})

    monkeypatch.setattr(actions, "overdose_report_record", broken)
    with pytest.raises(ValidationError):
        respond(bob, places["fixed"], naloxone_item=naloxone)
    assert not MedicalResponse.objects.exists()
    assert on_hand(places["fixed"], naloxone) == 6


def test_a_medical_response_that_is_not_an_overdose_makes_no_overdose_report(bob, places):
    response = respond(bob, places["fixed"], overdose=False, naloxone_doses_intranasal=0,
                       naloxone_doses_intramuscular=0, signs="fainted, came round", oxygen=False)
    assert response.overdose_report is None
    assert not OverdoseReport.objects.exists()


def test_doses_without_the_naloxone_used_are_refused(bob, places):
    with pytest.raises(ValidationError) as error:
        respond(bob, places["fixed"])
    assert "naloxone_item" in error.value.message_dict


def test_not_calling_emergency_services_needs_a_reason(bob, places, naloxone):
    with pytest.raises(ValidationError) as error:
        respond(bob, places["fixed"], naloxone_item=naloxone, emergency_services_reason="")
    assert "emergency_services_reason" in error.value.message_dict
    assert not OverdoseReport.objects.exists()


def test_a_response_cannot_begin_before_the_signs_were_noticed(bob, places, naloxone):
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        respond(bob, places["fixed"], naloxone_item=naloxone, noticed_at=now, responded_at=now - datetime.timedelta(1))
    assert "responded_at" in error.value.message_dict


def test_a_death_is_reported_as_fatal(bob, places, naloxone, stocked):
    respond(bob, places["fixed"], naloxone_item=naloxone, outcome=MedicalResponse.Outcome.DIED,
            emergency_services_called="yes", emergency_services_reason="")
    assert OverdoseReport.objects.get().fatal == "yes"


def test_staff_cannot_record_a_response_at_another_site(bob, places, naloxone):
    with pytest.raises(PermissionDenied):
        respond(bob, places["van"], naloxone_item=naloxone)
