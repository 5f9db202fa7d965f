"""An admin sees who is locked out of signing in and why, and unlocks them; audited."""

from django.test import Client

from haven.accounts.tests.test_login import sign_in
from haven.core.models import AuditEvent


def lock_out(username):
    client = Client()
    for _attempt in range(5):
        sign_in(client, username, "not the password")
    return client


def test_the_admin_sees_who_is_locked_out_and_why(alice, bob, client_as):
    lock_out("bob")

    page = client_as(alice).get("/staff/").content.decode()

    assert "Locked out" in page and "<strong>bob</strong>" in page
    assert "5 failed sign-ins" in page
    assert "Unlock bob" in page


def test_the_admin_unlocks_an_account_and_it_can_sign_in_again(alice, bob, client_as):
    locked = lock_out("bob")
    assert sign_in(locked, "bob").status_code == 429

    response = client_as(alice).post("/staff/unlock/", {"username": "bob"}, follow=True)

    assert "bob can sign in again." in response.content.decode()
    assert sign_in(locked, "bob").status_code == 302
    event = AuditEvent.objects.filter(action="security", object_id=str(bob.pk)).latest("pk")
    assert event.detail["event"] == "lockout lifted" and event.actor_id == alice.pk


def test_a_coordinator_cannot_unlock_accounts(dana, bob, client_as):
    lock_out("bob")

    assert client_as(dana).post("/staff/unlock/", {"username": "bob"}).status_code == 403
