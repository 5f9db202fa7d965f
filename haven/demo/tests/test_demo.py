"""`haven demo` data: a person in every role, places of every kind, and loading twice changes nothing."""

import pytest
from django.contrib.auth.password_validation import validate_password

from haven.accounts.models import User
from haven.accounts.roles import Role
from haven.core.models import AuditEvent
from haven.demo.data import LOGINS, demo_load, logins_table
from haven.places.models import Area, Site


def snapshot():
    return (
        sorted(Area.objects.values_list("name", "kind")),
        sorted(Site.objects.values_list("name", "kind", "area__name")),
        sorted(User.objects.values_list("username", "role", "password")),
        sorted(User.sites.through.objects.values_list("user__username", "site__name")),
        AuditEvent.objects.count(),
    )


@pytest.mark.django_db
def test_loading_the_demo_twice_gives_the_same_rows():
    demo_load()
    first = snapshot()
    demo_load()
    assert snapshot() == first


@pytest.mark.django_db
def test_every_role_has_a_demo_account_that_can_sign_in():
    logins = demo_load()
    assert {login.role for login in logins} == set(Role.values)
    for login in logins:
        user = User.objects.get(username=login.username)
        assert user.role == login.role
        assert user.is_active and user.check_password(login.password)


@pytest.mark.django_db
def test_staff_and_peers_work_at_sites_and_every_kind_of_site_exists():
    demo_load()
    assert set(Site.objects.values_list("kind", flat=True)) == set(Site.Kind.values)
    assert 3 <= Area.objects.count() <= 4
    assert User.objects.get(username="bob").sites.exists()
    assert User.objects.get(username="carol").sites.exists()


@pytest.mark.django_db
def test_demo_rows_are_written_through_the_actions_and_audited():
    demo_load()
    audited = set(AuditEvent.objects.values_list("object_type", flat=True))
    assert {"accounts.user", "places.site", "places.area"} <= audited


def test_demo_passwords_pass_the_password_rules():
    for login in LOGINS:
        validate_password(login.password, user=User(username=login.username))


def test_the_logins_table_lists_every_account():
    table = logins_table(LOGINS)
    assert table.splitlines()[0].split() == ["Username", "Password", "Role"]
    for login in LOGINS:
        assert f"{login.username}  " in table and login.password in table


@pytest.mark.django_db
def test_the_demo_has_stock_participants_and_visits_including_anonymous_ones():
    from haven.encounters.models import Encounter
    from haven.inventory.models import StockEntry
    from haven.participants.models import Participant

    demo_load()
    counts = (Participant.objects.count(), Encounter.objects.count(), StockEntry.objects.count())
    assert Participant.objects.count() >= 10
    assert Encounter.objects.filter(participant__isnull=True).exists()
    assert Encounter.objects.filter(participant__isnull=False).exists()
    assert StockEntry.objects.filter(kind="drawn").exists()
    demo_load()
    assert (Participant.objects.count(), Encounter.objects.count(), StockEntry.objects.count()) == counts
