"""The second factor: entering a code at sign-in, and setting up an authenticator app."""

from base64 import b32encode

from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.accounts.roles import Role
from haven.core.models import AuditEvent
from haven.testing import personas
from haven.testing.personas import PASSWORD, current_totp

VERIFY = "/account/two-factor/"
SETUP = "/account/two-factor/setup/"


def password_only(client, username):
    response = client.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def code_for(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_admin_must_enter_a_second_factor(anonymous_client, alice):
    client = password_only(anonymous_client, "alice")
    assert client.get("/staff/")["Location"] == "/account/two-factor/?next=%2Fstaff%2F"
    assert client.get(VERIFY).status_code == 200


def test_the_right_code_opens_the_page_the_person_asked_for(anonymous_client, alice):
    client = password_only(anonymous_client, "alice")
    response = client.post(VERIFY, {"token": current_totp(alice), "next": "/staff/"})
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    assert AuditEvent.objects.filter(action="login", actor_id=alice.pk, detail__step="two-factor").exists()


def test_a_code_with_a_space_in_the_middle_is_accepted(anonymous_client, dana):
    client = password_only(anonymous_client, "dana")
    code = current_totp(dana)
    response = client.post(VERIFY, {"token": f"{code[:3]} {code[3:]}"})
    assert response["Location"] == "/"


def test_wrong_code_is_refused_with_a_clear_message(anonymous_client, alice):
    client = password_only(anonymous_client, "alice")
    wrong = "000000" if current_totp(alice) != "000000" else "111111"
    response = client.post(VERIFY, {"token": wrong})
    assert response.status_code == 200
    assert b"That code did not match" in response.content
    assert client.get("/")["Location"].startswith(VERIFY)
    event = AuditEvent.objects.get(action="login_failed")
    assert event.actor_id == alice.pk
    assert event.detail == {"reason": "wrong two-factor code"}


def test_a_code_that_is_not_six_digits_is_explained(anonymous_client, alice):
    response = password_only(anonymous_client, "alice").post(VERIFY, {"token": "12ab"})
    assert b"The code is six digits" in response.content


def test_quick_retries_after_a_wrong_code_are_slowed_down(anonymous_client, alice):
    client = password_only(anonymous_client, "alice")
    client.post(VERIFY, {"token": "000000" if current_totp(alice) != "000000" else "111111"})
    response = client.post(VERIFY, {"token": current_totp(alice)})
    assert b"Wait a few seconds" in response.content
    assert client.get("/")["Location"].startswith(VERIFY)


def test_a_code_cannot_be_used_twice(anonymous_client, alice):
    code = current_totp(alice)
    first = password_only(anonymous_client, "alice").post(VERIFY, {"token": code})
    assert first["Location"] == "/"
    second = password_only(Client(), "alice").post(VERIFY, {"token": code})
    assert second.status_code == 200


def test_admin_without_a_device_is_sent_to_set_one_up(anonymous_client, places):
    personas.make_person("erin", Role.ADMIN)
    response = password_only(anonymous_client, "erin").get("/")
    assert response["Location"] == "/account/two-factor/?next=%2F"
    onward = anonymous_client.get(response["Location"])
    assert onward.status_code == 302
    assert onward["Location"] == "/account/two-factor/setup/?next=%2F"


def test_setup_shows_a_qr_code_and_the_key_and_keeps_them_on_reload(anonymous_client, places):
    erin = personas.make_person("erin", Role.ADMIN)
    client = password_only(anonymous_client, "erin")
    first = client.get(SETUP)
    assert first.status_code == 200
    assert b"<svg" in first.content and b'class="qr-code"' in first.content
    device = TOTPDevice.objects.get(user=erin)
    assert device.confirmed is False
    secret = b32encode(device.bin_key).decode()
    assert secret[:4].encode() in first.content
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=erin).count() == 1


def test_setup_page_has_no_inline_script_or_style(anonymous_client, places):
    personas.make_person("erin", Role.ADMIN)
    content = password_only(anonymous_client, "erin").get(SETUP).content
    assert b"<script>" not in content and b"style=" not in content


def test_a_right_first_code_turns_two_factor_on(anonymous_client, places):
    erin = personas.make_person("erin", Role.ADMIN)
    client = password_only(anonymous_client, "erin")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=erin)
    response = client.post(SETUP, {"token": code_for(device), "next": "/staff/"})
    assert response["Location"] == "/staff/"
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get("/staff/").status_code == 200
    event = AuditEvent.objects.get(action="security", actor_id=erin.pk)
    assert event.detail == {"event": "two-factor enabled"}


def test_a_wrong_first_code_leaves_two_factor_off(anonymous_client, places):
    erin = personas.make_person("erin", Role.ADMIN)
    client = password_only(anonymous_client, "erin")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=erin)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    response = client.post(SETUP, {"token": wrong})
    assert response.status_code == 200
    assert b"That code did not match" in response.content
    device.refresh_from_db()
    assert device.confirmed is False
    assert client.get("/")["Location"].startswith(VERIFY)


def test_a_password_alone_cannot_replace_an_existing_device(anonymous_client, alice):
    client = password_only(anonymous_client, "alice")
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=alice).count() == 1


def test_verified_admin_visiting_setup_is_told_it_is_already_on(client_as, alice):
    response = client_as(alice).get(SETUP, follow=True)
    assert response.redirect_chain[-1][0] == "/account/"
    assert b"already set up" in response.content


def test_staff_can_choose_to_set_up_two_factor(client_as, bob):
    client = client_as(bob)
    assert b"Not set up" in client.get("/account/").content
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=bob)
    response = client.post(SETUP, {"token": code_for(device), "next": "/account/"})
    assert response["Location"] == "/account/"
    assert b"Set up. You enter a code" in client.get("/account/").content


def test_staff_with_two_factor_is_asked_for_a_code_at_sign_in(anonymous_client, places):
    personas.make_person("frank", Role.STAFF, two_factor=True)
    response = anonymous_client.post("/login/", {"username": "frank", "password": PASSWORD})
    assert response["Location"] == VERIFY


def test_staff_without_two_factor_does_not_need_it(client_as, bob):
    assert client_as(bob).get("/").status_code == 200


def test_anonymous_visitor_cannot_open_two_factor_pages(anonymous_client, db):
    assert anonymous_client.get(VERIFY)["Location"].startswith("/login/")
    assert anonymous_client.get(SETUP)["Location"].startswith("/login/")
