"""The ledger page lists every movement at a person's sites, filtered and in pages."""

from haven.inventory.tests.conftest import NALOXONE, SYRINGE


def test_the_ledger_shows_only_the_persons_sites(carol, places, supply, receive, client_as):
    receive(places["van"], supply(NALOXONE), 7, lot_number="VAN-LOT")
    receive(places["fixed"], supply(NALOXONE), 9, lot_number="NORTH-LOT")

    content = client_as(carol).get("/stock/ledger/").content.decode()

    assert "VAN-LOT" in content and "NORTH-LOT" not in content


def test_the_ledger_filters_by_supply(dana, places, supply, receive, client_as):
    receive(places["fixed"], supply(NALOXONE), 7, lot_number="NX")
    receive(places["fixed"], supply(SYRINGE), 9, lot_number="SY")

    content = client_as(dana).get(f"/stock/ledger/?item={supply(SYRINGE).pk}").content.decode()

    assert "SY" in content and ">NX<" not in content


def test_the_ledger_comes_in_pages(dana, places, supply, receive, client_as):
    for _ in range(55):
        receive(places["fixed"], supply(SYRINGE), 1)
    client = client_as(dana)

    first = client.get("/stock/ledger/")
    second = client.get("/stock/ledger/?page=2")

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 5
    assert b"Page 1 of 2" in first.content


def test_a_peer_filtering_by_another_site_sees_nothing_of_it(carol, places, supply, receive, client_as):
    receive(places["fixed"], supply(NALOXONE), 9, lot_number="NORTH-LOT")

    content = client_as(carol).get(f"/stock/ledger/?site={places['fixed'].pk}").content.decode()

    assert "NORTH-LOT" not in content
