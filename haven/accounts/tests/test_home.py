"""The staff home page: a greeting, the person's role and sites, and what their role can do."""

import pytest

from haven.accounts.navigation import NAVIGATION


@pytest.mark.parametrize(
    ("persona", "role_name", "sites_text"),
    [
        ("alice", b"Admin", b"All sites"),
        ("dana", b"Coordinator", b"All sites"),
        ("bob", b"Staff", b"North drop-in"),
        ("carol", b"Peer (volunteer)", b"East van"),
    ],
)
def test_each_role_is_greeted_with_its_role_and_sites(client_as, everyone, persona, role_name, sites_text):
    response = client_as(everyone[persona]).get("/")
    assert response.status_code == 200
    assert f"Hello, {persona}".encode() in response.content
    assert role_name in response.content
    assert sites_text in response.content


def test_admin_home_links_to_everything_an_admin_can_do(client_as, alice):
    content = client_as(alice).get("/").content
    for url in (b'href="/staff/"', b'href="/audit/"', b'href="/places/sites/"', b'href="/account/"'):
        assert url in content


def test_peer_home_shows_only_what_a_peer_can_do(client_as, carol):
    cards = client_as(carol).get("/").context["cards"]
    urls = {card["url"] for card in cards}
    assert "/staff/" not in urls and "/audit/" not in urls
    assert "/account/" in urls
    expected = {name for _label, name, permission in NAVIGATION if carol.has_role_permission(permission)}
    assert len(cards) == len(expected - {"home"})


def test_home_greets_people_by_first_name(client_as, bob):
    bob.first_name = "Robert"
    bob.save()
    assert b"Hello, Robert" in client_as(bob).get("/").content


def test_home_suggests_two_factor_to_staff_without_it(client_as, bob, alice):
    assert b"Protect your account" in client_as(bob).get("/").content
    assert b"Protect your account" not in client_as(alice).get("/").content


def test_staff_without_sites_is_told_who_can_add_them(client_as, bob):
    bob.sites.clear()
    assert b"Ask an admin to add you" in client_as(bob).get("/").content


def test_anonymous_visitor_is_sent_to_sign_in(anonymous_client, db):
    response = anonymous_client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_home_has_no_inline_script_or_style(client_as, alice):
    content = client_as(alice).get("/").content
    assert b"<script>" not in content and b"style=" not in content
