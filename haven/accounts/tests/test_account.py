"""A person's own account page and changing their password."""

from haven.core.models import AuditEvent
from haven.testing.personas import PASSWORD

NEW_PASSWORD = "a long and unusual passphrase"


def test_account_page_shows_role_sites_and_two_factor_status(client_as, bob, alice):
    content = client_as(bob).get("/account/").content
    assert b"Staff" in content and b"North drop-in" in content and b"Not set up" in content
    assert b"Set up. You enter a code" in client_as(alice).get("/account/").content


def test_password_change_keeps_the_person_signed_in(client_as, bob):
    client = client_as(bob)
    response = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                                   "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    bob.refresh_from_db()
    assert bob.check_password(NEW_PASSWORD)
    assert client.get("/account/").status_code == 200
    event = AuditEvent.objects.get(action="security")
    assert event.detail == {"event": "password changed"}


def test_password_change_needs_the_current_password(client_as, bob):
    response = client_as(bob).post("/account/password/", {"old_password": "a guess", "new_password1": NEW_PASSWORD,
                                                           "new_password2": NEW_PASSWORD})
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="security").exists()


def test_password_change_refuses_a_weak_password(client_as, bob):
    response = client_as(bob).post("/account/password/", {"old_password": PASSWORD, "new_password1": "12345678",
                                                           "new_password2": "12345678"})
    assert response.status_code == 200
    assert response.context["form"].errors
