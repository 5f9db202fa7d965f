"""The public site's one navigation: on every public page, in plain links, with the program's name."""

import pytest
from django.urls import NoReverseMatch, reverse

from haven.accounts.navigation import PUBLIC_NAVIGATION

PUBLIC_PAGES = ["/alerts/", "/alerts/subscribe/", "/checking/result/", "/checking/market/", "/overdose/report/",
                "/learn/", "/learn/interactions/", "/directory/", "/login/"]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_page_links_to_every_public_section(anonymous_client, db, url, settings):
    settings.HAVEN_PROGRAM_NAME = "Northside Harm Reduction"
    content = anonymous_client.get(url).content.decode()
    assert '<nav class="public-nav"' in content
    for _label, url_name in PUBLIC_NAVIGATION:
        try:
            target = reverse(url_name)
        except NoReverseMatch:  # an app this installation does not have
            assert f"{url_name}" not in content
            continue
        assert f'href="{target}"' in content, (url, url_name)
    assert "Northside Harm Reduction" in content
    assert "<script" not in content.split('<nav class="public-nav"')[1].split("</nav>")[0]


def test_the_current_page_and_its_section_are_marked(anonymous_client, db):
    content = anonymous_client.get("/learn/").content.decode()
    assert '<a href="/learn/" aria-current="page">' in content
    content = anonymous_client.get("/learn/substances/fentanyl/").content.decode()
    assert '<a href="/learn/" aria-current="true">' in content


def test_signed_in_staff_see_their_own_menu_instead(client_as, bob):
    content = client_as(bob).get("/alerts/").content.decode()
    assert '<nav class="public-nav"' not in content


def test_a_missing_page_is_left_out_rather_than_breaking_the_site(anonymous_client, db, monkeypatch):
    from haven.accounts import context_processors

    monkeypatch.setattr(context_processors, "PUBLIC_NAVIGATION",
                        [*PUBLIC_NAVIGATION, ("Your rights", "a-page-not-installed")])
    assert anonymous_client.get("/alerts/").status_code == 200
