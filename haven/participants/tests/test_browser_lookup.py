"""In a real browser: the lookup answers as the code is typed, without pressing Enter."""

import re

import pytest

from haven.participants.actions import participant_enroll
from haven.testing import personas

pytestmark = pytest.mark.browser


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(personas.PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    page.wait_for_url(f"{live_server.url}/")


def test_typing_a_code_shows_the_match_without_pressing_enter(page, live_server, bob):
    participant = participant_enroll(actor=bob, code="AB0385C")
    sign_in(page, live_server, "bob")

    page.goto(f"{live_server.url}/participants/")
    page.locator("#id_code").press_sequentially("ab 03 85 c", delay=30)

    match = page.locator("#lookup-result .match")
    match.wait_for()
    assert participant.display_id in match.inner_text()
    assert match.get_by_role("link", name="Log a visit").get_attribute("href") == (
        f"/encounters/new/?participant={participant.display_id}")
    assert page.url == f"{live_server.url}/participants/"  # no page load, no code in the address bar
    assert page.console_errors == []
    assert page.foreign_requests == []
