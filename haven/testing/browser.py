"""Steps that several browser tests take the same way a person would."""

import re


def sign_out(page) -> None:
    """Sign out with the header's button, opening the phone menu first where it is folded.

    Signing out ends the session on the server. Clearing the browser's cookies would not: a reply
    still on its way for the last page (offline.js fetches in the background) can set the old
    session cookie again, and the next person's sign-in would find someone already signed in."""
    button = page.locator("form.logout").get_by_role("button", name="Sign out")
    toggle = page.locator(".nav-toggle")
    if not button.is_visible() and toggle.is_visible():
        toggle.click()
    button.click()
    page.wait_for_url(re.compile(r"/login/"))
