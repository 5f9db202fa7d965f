"""Low stock, expiring naloxone and shortfalls appear on the home page, for the right people."""

from haven.inventory import actions, queries
from haven.inventory.tests.conftest import COOKER, NALOXONE, SYRINGE


def home(client):
    return client.get("/").content.decode()


def test_staff_are_warned_of_naloxone_expiring_at_their_site(bob, places, supply, receive, client_as):
    receive(places["fixed"], supply(NALOXONE), 30, lot_number="NX-SOON", expires_in_days=14)

    content = home(client_as(bob))

    assert "stock-warnings-heading" in content
    assert "Naloxone:" in content and "NX-SOON" in content


def test_a_peer_is_not_warned_about_another_sites_stock(carol, places, supply, receive, client_as):
    receive(places["fixed"], supply(NALOXONE), 3, lot_number="NX-NORTH", expires_in_days=14)

    content = home(client_as(carol))

    assert "NX-NORTH" not in content and "stock-warnings-heading" not in content


def test_low_stock_is_shown_to_the_sites_staff(bob, carol, places, supply, receive, client_as):
    receive(places["fixed"], supply(SYRINGE), 120)  # the seeded threshold is 500

    assert "Low stock: 120" in home(client_as(bob))
    assert "Low stock" not in home(client_as(carol))


def test_supplies_a_site_never_stocked_do_not_warn(bob, places, client_as):
    assert "Low stock" not in home(client_as(bob))


def test_supplies_without_a_threshold_never_warn_of_low_stock(bob, places, supply, receive):
    receive(places["fixed"], supply(COOKER), 1)

    assert queries.low_stock(sites=[places["fixed"]]) == []


def test_coordinators_see_shortfalls_and_staff_do_not(dana, bob, places, supply, encounter_giving, client_as):
    actions.stock_draw_for_encounter(encounter=encounter_giving(places["fixed"], {supply(NALOXONE): 1}))

    assert "given without stock on record" in home(client_as(dana))
    assert "given without stock on record" not in home(client_as(bob))


def test_naloxone_warnings_come_before_others(dana, places, supply, receive):
    receive(places["fixed"], supply(SYRINGE), 1, lot_number="S-SOON", expires_in_days=5)
    receive(places["fixed"], supply(NALOXONE), 100, lot_number="NX-LATER", expires_in_days=50)

    warnings = queries.home_warnings(dana)

    assert "NX-LATER" in warnings[0]["message"] and warnings[0]["level"] == "error"


def test_a_long_list_of_warnings_is_cut_short_with_a_link_to_the_stock_page(dana, places, supply, receive):
    for number in range(12):
        receive(places["fixed"], supply(SYRINGE), 1, lot_number=f"S-{number}", expires_in_days=5 + number)

    warnings = queries.home_warnings(dana)

    assert len(warnings) == queries.HOME_WARNINGS_SHOWN
    assert warnings[-1]["url"] == "/stock/" and "more stock warnings" in warnings[-1]["message"]


def test_the_home_page_still_has_no_inline_script_or_style_with_warnings(alice, places, supply, receive,
                                                                         client_as):
    receive(places["fixed"], supply(NALOXONE), 1, lot_number="NX", expires_in_days=3)

    content = client_as(alice).get("/").content

    assert b"Naloxone:" in content
    assert b"<script>" not in content and b"style=" not in content
