"""In a real Chromium: sign in, see the home page, sign out; with and without a second factor."""

import re

import pytest
from playwright.sync_api import expect

from haven.testing.personas import PASSWORD, current_totp

pytestmark = pytest.mark.browser


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()


def test_staff_member_signs_in_sees_home_and_signs_out(page, live_server, bob):
    sign_in(page, live_server, "bob")
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).is_visible()
    assert "bob" in page.content()
    page.get_by_role("button", name="Menu").click()  # on a phone, sign-out is in the menu
    page.get_by_role("button", name=re.compile("sign out", re.I)).click()
    page.wait_for_url(re.compile(r"/login/"))
    page.goto(f"{live_server.url}/")
    page.wait_for_url(re.compile(r"/login/"))
    assert page.console_errors == []
    assert page.foreign_requests == []


def test_admin_signs_in_with_a_second_factor(page, live_server, alice):
    sign_in(page, live_server, "alice")
    page.wait_for_url(re.compile(r"/account/two-factor/"))
    page.get_by_label(re.compile("code", re.I)).fill(current_totp(alice))
    page.get_by_role("button", name=re.compile("verify|continue|confirm", re.I)).click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator(".cards").get_by_role("link", name="Staff").is_visible()
    assert page.console_errors == []


def test_a_wrong_password_is_refused_with_a_clear_message(page, live_server, bob):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("bob")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    expect(page.get_by_role("alert").or_(page.locator(".errors")).first).to_be_visible()
    assert page.url.startswith(f"{live_server.url}/login/")


def test_the_home_page_works_on_a_small_phone_without_horizontal_scrolling(page, live_server, bob):
    page.set_viewport_size({"width": 360, "height": 640})
    sign_in(page, live_server, "bob")
    page.wait_for_url(f"{live_server.url}/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
