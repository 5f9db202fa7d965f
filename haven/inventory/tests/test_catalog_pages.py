"""Coordinators keep the catalog of supplies and kits; everyone can read it."""

from haven.core.models import AuditEvent
from haven.inventory.models import Item, Kit
from haven.inventory.tests.conftest import COOKER, NALOXONE, SYRINGE

NEW_ITEM = {
    "name": "Naloxone nasal spray 3 mg (2-dose kit)", "category": "naloxone", "unit": "kit",
    "syringes_per_unit": "0", "naloxone_doses_per_unit": "2", "strip_target": "", "tests_per_unit": "0",
    "low_stock_threshold": "10", "tracks_stock": "on", "active": "on", "sort_order": "100",
}


def test_everyone_can_read_the_catalog(carol, client_as, places):
    content = client_as(carol).get("/stock/catalog/").content.decode()

    assert "Safer injection kit" in content and "2 naloxone doses" in content
    assert "/stock/catalog/items/new/" not in content


def test_a_coordinator_adds_a_supply_and_it_is_audited(dana, client_as):
    response = client_as(dana).post("/stock/catalog/items/new/", NEW_ITEM)

    assert response.status_code == 302
    item = Item.objects.get(name=NEW_ITEM["name"])
    assert item.naloxone_doses_per_unit == 2 and item.low_stock_threshold == 10
    assert AuditEvent.objects.filter(action="create", object_type="inventory.item", object_id=str(item.pk)).exists()


def test_naloxone_without_doses_per_unit_is_refused(dana, client_as):
    response = client_as(dana).post("/stock/catalog/items/new/", {**NEW_ITEM, "naloxone_doses_per_unit": "0"})

    assert response.status_code == 200
    assert b"naloxone doses one unit holds" in response.content
    assert not Item.objects.filter(name=NEW_ITEM["name"]).exists()


def test_a_duplicate_name_is_refused(dana, client_as):
    response = client_as(dana).post("/stock/catalog/items/new/", {**NEW_ITEM, "name": NALOXONE.upper()})

    assert b"already exists" in response.content


def test_a_coordinator_edits_a_supplys_threshold(dana, supply, client_as):
    syringe = supply(SYRINGE)
    data = {**NEW_ITEM, "name": syringe.name, "category": "syringe", "unit": "each", "syringes_per_unit": "1",
            "naloxone_doses_per_unit": "0", "low_stock_threshold": "900"}

    response = client_as(dana).post(f"/stock/catalog/items/{syringe.pk}/", data)

    assert response.status_code == 302
    syringe.refresh_from_db()
    assert syringe.low_stock_threshold == 900
    event = AuditEvent.objects.get(action="update", object_id=str(syringe.pk))
    assert "low_stock_threshold" in event.detail["fields"]


def test_a_coordinator_makes_a_kit_from_counts_without_javascript(dana, supply, client_as):
    syringe, cooker = supply(SYRINGE), supply(COOKER)

    response = client_as(dana).post("/stock/catalog/kits/new/", {
        "name": "Small injection kit", "active": "on", "sort_order": "50",
        f"item_{syringe.pk}": "5", f"item_{cooker.pk}": "2"})

    assert response.status_code == 302
    kit = Kit.objects.get(name="Small injection kit")
    assert {line.item_id: line.quantity for line in kit.items.all()} == {syringe.pk: 5, cooker.pk: 2}


def test_an_empty_kit_is_refused(dana, client_as):
    response = client_as(dana).post("/stock/catalog/kits/new/", {"name": "Empty", "sort_order": "1"})

    assert b"at least one supply" in response.content
    assert not Kit.objects.filter(name="Empty").exists()


def test_a_coordinator_changes_what_a_kit_holds(dana, supply, client_as):
    kit = Kit.objects.get(name="Naloxone kit")
    naloxone, vial = supply(NALOXONE), supply("Naloxone injectable 0.4 mg/mL vial")

    response = client_as(dana).post(f"/stock/catalog/kits/{kit.pk}/", {
        "name": "Naloxone kit", "active": "on", "sort_order": "20", f"item_{naloxone.pk}": "0",
        f"item_{vial.pk}": "2"})

    assert response.status_code == 302
    assert {line.item_id: line.quantity for line in kit.items.all()} == {vial.pk: 2}


def test_staff_cannot_change_the_catalog(bob, supply, client_as):
    assert client_as(bob).get("/stock/catalog/items/new/").status_code == 403
    assert client_as(bob).post(f"/stock/catalog/items/{supply(SYRINGE).pk}/", NEW_ITEM).status_code == 403
    assert client_as(bob).get("/stock/catalog/kits/new/").status_code == 403
