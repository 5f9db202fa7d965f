"""The stock page: each person sees the stock of their own sites, with what needs attention."""

from haven.inventory import actions
from haven.inventory.tests.conftest import NALOXONE, SYRINGE


def test_a_peer_sees_only_their_own_sites_stock(carol, places, supply, receive, client_as):
    receive(places["van"], supply(NALOXONE), 7, lot_number="VAN-LOT")
    receive(places["fixed"], supply(NALOXONE), 9, lot_number="NORTH-LOT")

    content = client_as(carol).get("/stock/").content.decode()

    assert "VAN-LOT" in content and "East van" in content
    assert "NORTH-LOT" not in content and "North drop-in" not in content


def test_a_peer_cannot_open_another_sites_stock_by_its_address(carol, places, client_as):
    assert client_as(carol).get(f"/stock/?site={places['fixed'].pk}").status_code == 404
    assert client_as(carol).get("/stock/?site=nonsense").status_code == 404


def test_a_coordinator_sees_every_site_and_can_pick_one(dana, places, supply, receive, client_as):
    receive(places["van"], supply(NALOXONE), 7, lot_number="VAN-LOT")
    receive(places["fixed"], supply(NALOXONE), 9, lot_number="NORTH-LOT")
    client = client_as(dana)

    everything = client.get("/stock/").content.decode()
    one = client.get(f"/stock/?site={places['fixed'].pk}").content.decode()

    assert "VAN-LOT" in everything and "NORTH-LOT" in everything
    assert "NORTH-LOT" in one and "VAN-LOT" not in one


def test_the_page_shows_totals_and_lots(bob, places, supply, receive, client_as):
    syringe = supply(SYRINGE)
    receive(places["fixed"], syringe, 600, lot_number="S-1", expires_in_days=400)
    receive(places["fixed"], syringe, 50)

    response = client_as(bob).get("/stock/")

    stock = dict(response.context["stock"])[places["fixed"]]
    assert [(line.item_name, line.total) for line in stock] == [(syringe.name, 650)]
    assert b"S-1" in response.content and b"No lot" in response.content


def test_staff_see_a_receive_button_but_no_adjust_button(bob, client_as, places):
    content = client_as(bob).get("/stock/").content

    assert b'href="/stock/receive/' in content
    assert b'href="/stock/adjust/' not in content


def test_a_peer_sees_no_receive_button(carol, client_as, places):
    assert b'href="/stock/receive/' not in client_as(carol).get("/stock/").content


def test_expiring_naloxone_is_called_out_on_the_stock_page(bob, places, supply, receive, client_as):
    receive(places["fixed"], supply(NALOXONE), 5, lot_number="NX-SOON", expires_in_days=20)

    content = client_as(bob).get("/stock/").content.decode()

    assert "Naloxone:" in content and "NX-SOON" in content and "expires on" in content


def test_the_page_lists_stock_for_many_sites_in_a_fixed_number_of_queries(dana, places, supply, receive,
                                                                          client_as, django_assert_max_num_queries):
    from haven.places.models import Site

    for number in range(6):
        site = Site.objects.create(name=f"Site {number}", kind="fixed")
        for name in (SYRINGE, NALOXONE):
            receive(site, supply(name), 10, lot_number=f"{number}", expires_in_days=30)
    client = client_as(dana)

    with django_assert_max_num_queries(20):
        client.get("/stock/")


def test_shortfalls_show_as_given_without_stock_on_record(dana, places, supply, encounter_giving, client_as):
    actions.stock_draw_for_encounter(encounter=encounter_giving(places["fixed"], {supply(SYRINGE): 3}))

    content = client_as(dana).get("/stock/").content.decode()

    assert "Given without stock on record" in content
