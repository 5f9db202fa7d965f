"""Signing in with a password, the lockout after repeated failures, expired sessions and signing out."""

import pytest
from django.contrib.sessions.models import Session

from haven.core.models import AuditEvent
from haven.testing.personas import PASSWORD

LOGIN = "/login/"


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def test_it_shows_the_sign_in_form(anonymous_client, db):
    response = anonymous_client.get(LOGIN)
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'autocomplete="current-password"' in response.content


def test_staff_member_signs_in_and_lands_on_home(anonymous_client, bob):
    response = sign_in(anonymous_client, "bob")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert anonymous_client.get("/").status_code == 200


def test_a_successful_sign_in_is_audited(anonymous_client, bob):
    sign_in(anonymous_client, "bob")
    event = AuditEvent.objects.get(action="login")
    assert event.actor_id == bob.pk
    assert event.object_id == str(bob.pk)


def test_it_goes_on_to_a_page_on_this_site(anonymous_client, bob):
    response = sign_in(anonymous_client, "bob", next="/account/")
    assert response["Location"] == "/account/"


def test_it_ignores_a_next_address_on_another_site(anonymous_client, bob):
    response = sign_in(anonymous_client, "bob", next="https://evil.example/steal")
    assert response["Location"] == "/"


def test_wrong_password_shows_a_message_that_reveals_nothing(anonymous_client, bob):
    wrong_password = sign_in(anonymous_client, "bob", "not the password")
    unknown_person = sign_in(anonymous_client, "nobody-here", "not the password")
    assert wrong_password.status_code == 200 == unknown_person.status_code
    message = b"That username and password did not match an active account"
    assert message in wrong_password.content
    assert message in unknown_person.content
    assert "_auth_user_id" not in anonymous_client.session


def test_a_failed_sign_in_is_audited_without_what_was_typed(anonymous_client, bob):
    sign_in(anonymous_client, "bob", "not the password")
    event = AuditEvent.objects.get(action="login_failed")
    assert event.actor_id is None
    assert event.detail == {"reason": "wrong username or password"}
    assert "bob" not in str(event.detail) and "not the password" not in str(event.detail)


def test_deactivated_person_cannot_sign_in(anonymous_client, bob):
    bob.is_active = False
    bob.save()
    response = sign_in(anonymous_client, "bob")
    assert response.status_code == 200
    assert b"did not match an active account" in response.content


def test_it_locks_out_after_five_failures(anonymous_client, bob):
    for _attempt in range(4):
        assert sign_in(anonymous_client, "bob", "not the password").status_code == 200
    fifth = sign_in(anonymous_client, "bob", "not the password")
    assert fifth.status_code == 429
    assert "accounts/locked_out.html" in [template.name for template in fifth.templates]
    assert b"Signing in is paused" in fifth.content
    # Even the right password is refused until the lockout ends.
    assert sign_in(anonymous_client, "bob").status_code == 429
    assert "_auth_user_id" not in anonymous_client.session


def test_a_lockout_does_not_lock_out_colleagues(anonymous_client, bob, carol):
    for _attempt in range(5):
        sign_in(anonymous_client, "bob", "not the password")
    assert sign_in(anonymous_client, "carol").status_code == 302


def test_admin_must_enter_a_second_factor(anonymous_client, alice):
    response = sign_in(anonymous_client, "alice", next="/staff/")
    assert response.status_code == 302
    assert response["Location"] == "/account/two-factor/?next=%2Fstaff%2F"
    # With the password alone, every page still asks for the code.
    home = anonymous_client.get("/")
    assert home.status_code == 302
    assert home["Location"].startswith("/account/two-factor/")


def test_signed_in_person_visiting_sign_in_goes_home(client_as, bob):
    response = client_as(bob).get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_expired_session_sends_the_person_back_to_sign_in_with_a_note(anonymous_client, bob):
    sign_in(anonymous_client, "bob")
    Session.objects.all().delete()  # what the idle timeout does
    response = anonymous_client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/account/"
    login_page = anonymous_client.get(response["Location"])
    assert b"Your session ended" in login_page.content
    # Signing in again returns to where the person was.
    assert sign_in(anonymous_client, "bob", next="/account/")["Location"] == "/account/"


def test_first_visit_does_not_say_a_session_ended(anonymous_client, db):
    response = anonymous_client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/login/?next=/"
    assert b"Your session ended" not in response.content


def test_sign_out_asks_before_signing_out(client_as, bob):
    client = client_as(bob)
    response = client.get("/logout/")
    assert response.status_code == 200
    assert b'method="post"' in response.content
    assert "_auth_user_id" in client.session


def test_signing_out_ends_the_session_and_is_audited(client_as, bob):
    client = client_as(bob)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="logout", actor_id=bob.pk).exists()
    after = client.get("/login/")
    assert b"Your session ended" not in after.content


@pytest.mark.parametrize("url", ["/login/", "/account/two-factor/", "/account/two-factor/setup/"])
def test_sign_in_pages_are_never_cached(anonymous_client, alice, url):
    sign_in(anonymous_client, "alice")
    response = anonymous_client.get(url)
    assert "no-store" in response.get("Cache-Control", "")
