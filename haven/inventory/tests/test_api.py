"""The stock API: on-hand rows for a person's own sites, and the catalog for the offline form."""

from haven.core.tests.test_api import api_client, token_for
from haven.inventory.tests.conftest import NALOXONE, SYRINGE


def test_staff_get_their_sites_stock_with_a_token(bob, places, supply, receive):
    receive(places["fixed"], supply(NALOXONE), 7, lot_number="NX-1", expires_in_days=100)
    receive(places["van"], supply(NALOXONE), 9, lot_number="NX-VAN")

    rows = api_client(token_for(bob)).get("/api/stock").json()

    assert [(row["site_name"], row["lot_number"], row["quantity"]) for row in rows] == [("North drop-in", "NX-1", 7)]
    assert rows[0]["expires_on"]


def test_a_coordinator_asks_for_one_site(dana, places, supply, receive):
    receive(places["fixed"], supply(SYRINGE), 7)
    receive(places["van"], supply(SYRINGE), 9)

    rows = api_client(token_for(dana)).get(f"/api/stock?site={places['van'].pk}").json()

    assert [(row["site_name"], row["quantity"]) for row in rows] == [("East van", 9)]


def test_a_peer_asking_for_another_sites_stock_is_told_no(carol, places, supply, receive):
    receive(places["fixed"], supply(SYRINGE), 7)

    response = api_client(token_for(carol)).get(f"/api/stock?site={places['fixed'].pk}")

    assert response.status_code == 404
    assert "sites you work at" in response.json()["detail"]


def test_the_catalog_lists_active_supplies_and_what_each_kit_holds(carol, places):
    catalog = api_client(token_for(carol)).get("/api/stock/catalog").json()

    items = {item["name"]: item for item in catalog["items"]}
    kits = {kit["name"]: kit for kit in catalog["kits"]}
    assert items[NALOXONE]["naloxone_doses_per_unit"] == 2
    naloxone_kit = kits["Naloxone kit"]["items"]
    assert naloxone_kit == [{"item_id": items[NALOXONE]["id"], "quantity": 1}]


def test_the_stock_api_needs_a_token(anonymous_client, db):
    assert anonymous_client.get("/api/stock").status_code == 401
    assert anonymous_client.get("/api/stock/catalog").status_code == 401
