"""Staff accounts: the admin's list, adding people, changing roles and sites, and a lost phone."""

import pytest
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.accounts import actions
from haven.accounts.models import User
from haven.accounts.roles import Role
from haven.core.models import AuditEvent

NEW_PASSWORD = "a long and unusual passphrase"


def new_person(places, **changes):
    data = {"username": "gina", "first_name": "Gina", "last_name": "", "email": "", "role": Role.STAFF,
            "sites": [places["van"].pk], "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    data.update(changes)
    return data


def edit(person, **changes):
    data = {"role": person.role, "sites": [site.pk for site in person.sites.all()], "is_active": "on"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_admin_sees_everyone_on_the_staff_list(client_as, everyone, django_assert_max_num_queries):
    client = client_as(everyone["alice"])
    with django_assert_max_num_queries(12):
        response = client.get("/staff/")
    assert response.status_code == 200
    for username in everyone:
        assert username.encode() in response.content


@pytest.mark.parametrize("persona", ["dana", "bob", "carol"])
def test_only_admins_can_manage_staff(client_as, everyone, persona):
    client = client_as(everyone[persona])
    assert client.get("/staff/").status_code == 403
    assert client.post("/staff/new/", {}).status_code == 403
    assert client.post(f"/staff/{everyone['bob'].pk}/", {"role": "admin"}).status_code == 403
    assert client.post(f"/staff/{everyone['alice'].pk}/reset-two-factor/").status_code == 403


def test_admin_adds_a_person(client_as, alice, places):
    response = client_as(alice).post("/staff/new/", new_person(places))
    assert response.status_code == 302
    gina = User.objects.get(username="gina")
    assert gina.role == Role.STAFF
    assert list(gina.sites.all()) == [places["van"]]
    assert gina.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="create")
    assert event.actor_id == alice.pk
    assert event.detail == {"role": "staff", "sites": [places["van"].pk]}
    assert NEW_PASSWORD not in str(event.detail)


def test_a_weak_first_password_is_refused(client_as, alice, places):
    response = client_as(alice).post("/staff/new/", new_person(places, password="password", password_again="password"))
    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    assert not User.objects.filter(username="gina").exists()


def test_two_different_passwords_are_refused(client_as, alice, places):
    response = client_as(alice).post("/staff/new/", new_person(places, password_again="something else entirely"))
    assert "password_again" in response.context["form"].errors


def test_a_username_that_differs_only_in_case_is_refused(client_as, alice, bob, places):
    response = client_as(alice).post("/staff/new/", new_person(places, username="Bob"))
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert User.objects.filter(username__iexact="bob").count() == 1


def test_an_account_can_be_made_from_the_command_line(places):
    person = actions.staff_create(actor=None, username="henry", password=NEW_PASSWORD, role=Role.COORDINATOR)
    assert person.requires_two_factor
    event = AuditEvent.objects.get(action="create")
    assert event.actor_id is None and event.object_id == str(person.pk)


def test_staff_create_explains_every_problem_at_once(places):
    with pytest.raises(ValidationError) as raised:
        actions.staff_create(actor=None, username="bad name!", password="short", role="chief", sites=[999999])
    assert set(raised.value.message_dict) == {"username", "password", "role", "sites"}


def test_admin_changes_someones_role_and_sites(client_as, alice, bob, places):
    response = client_as(alice).post(f"/staff/{bob.pk}/", edit(bob, role="coordinator", sites=[places["van"].pk]))
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.role == Role.COORDINATOR
    assert list(bob.sites.all()) == [places["van"]]
    event = AuditEvent.objects.get(action="update")
    assert event.detail == {"fields": ["role", "sites"], "role": {"from": "staff", "to": "coordinator"},
                            "sites": [places["van"].pk]}


def test_a_deactivated_person_is_signed_out_and_cannot_come_back(client_as, alice, bob):
    bobs_client = client_as(bob)
    response = client_as(alice).post(f"/staff/{bob.pk}/", edit(bob, is_active=None))
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.is_active is False
    assert bobs_client.get("/")["Location"].startswith("/login/")


def test_last_admin_cannot_demote_themself(client_as, alice):
    response = client_as(alice).post(f"/staff/{alice.pk}/", edit(alice, role="coordinator"))
    assert response.status_code == 200
    assert b"You are the only active admin" in response.content
    alice.refresh_from_db()
    assert alice.role == Role.ADMIN
    assert not AuditEvent.objects.filter(action="update").exists()


def test_last_admin_cannot_deactivate_themself(client_as, alice):
    response = client_as(alice).post(f"/staff/{alice.pk}/", edit(alice, is_active=None))
    assert b"You are the only active admin" in response.content
    alice.refresh_from_db()
    assert alice.is_active is True


def test_an_admin_can_step_down_when_another_admin_remains(client_as, alice, places):
    actions.staff_create(actor=alice, username="ines", password=NEW_PASSWORD, role=Role.ADMIN)
    response = client_as(alice).post(f"/staff/{alice.pk}/", edit(alice, role="coordinator"))
    assert response.status_code == 302
    assert response["Location"] == "/"
    alice.refresh_from_db()
    assert alice.role == Role.COORDINATOR


def test_the_last_admin_is_kept_from_the_command_line_too(alice):
    with pytest.raises(ValidationError, match="only active admin"):
        actions.staff_update(actor=None, user=alice, role=Role.ADMIN, sites=[], is_active=False)


def test_editing_an_unknown_person_is_not_found(client_as, alice):
    assert client_as(alice).get("/staff/999999/").status_code == 404


def test_admin_resets_a_lost_phone(client_as, alice, dana):
    client = client_as(alice)
    page = client.get(f"/staff/{dana.pk}/reset-two-factor/")
    assert page.status_code == 200
    assert TOTPDevice.objects.filter(user=dana).exists()
    response = client.post(f"/staff/{dana.pk}/reset-two-factor/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=dana).exists()
    event = AuditEvent.objects.get(action="security")
    assert event.actor_id == alice.pk and event.object_id == str(dana.pk)
    assert event.detail == {"event": "two-factor reset", "devices_removed": 1}


def test_after_a_reset_the_coordinator_must_set_up_a_new_device(client_as, alice, dana):
    danas_client = client_as(dana)
    assert danas_client.get("/").status_code == 200
    client_as(alice).post(f"/staff/{dana.pk}/reset-two-factor/")
    assert danas_client.get("/")["Location"].startswith("/account/two-factor/")
