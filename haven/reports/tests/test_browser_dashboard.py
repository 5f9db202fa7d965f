"""Dana opens the evidence dashboard in a real browser: charts draw, nothing leaves Haven."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.demo.data import demo_load
from haven.testing.personas import PASSWORD


@pytest.mark.browser
def test_dana_opens_the_dashboard_with_the_demo_data(page, live_server, client_as):
    demo_load()
    from haven.accounts.models import User

    dana = User.objects.get(username="dana")
    TOTPDevice.objects.create(user=dana, name="phone", confirmed=True)  # coordinators sign in with two factors
    client = client_as(dana)
    cookie = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])

    page.goto(live_server.url + reverse("reports-dashboard"))

    assert page.get_by_role("heading", name="Evidence dashboard").is_visible()
    assert page.locator("svg[role=img]").count() == 5
    assert page.get_by_text("EXACT COUNTS, INTERNAL").is_visible()
    assert page.console_errors == []
    assert page.foreign_requests == []
    assert PASSWORD  # the personas' shared password is never typed: the session is signed in directly
