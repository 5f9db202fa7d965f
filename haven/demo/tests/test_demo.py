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


@pytest.mark.django_db
def test_the_demo_stock_never_goes_negative_and_no_supply_is_given_without_stock():
    from django.db.models import Sum

    from haven.inventory.models import StockEntry

    demo_load()

    balances = StockEntry.objects.values("site", "item").annotate(total=Sum("quantity"))
    assert [row for row in balances if row["total"] < 0] == []
    assert not StockEntry.objects.filter(kind="drawn", lot__isnull=True).exists()  # no shortfall


@pytest.mark.django_db
def test_the_demo_drafts_each_finding_once():
    from collections import Counter

    from haven.alerts.models import Alert

    demo_load()

    titles = Counter(Alert.objects.filter(status="draft").values_list("title", flat=True))
    assert [title for title, count in titles.items() if count > 1] == []


@pytest.mark.django_db
def test_the_demo_prints_two_participant_codes_and_a_sample_code_that_work(tmp_path):
    import re

    from haven.demo.data import DEMO_CODES, codes_to_try
    from haven.drugchecking.actions import code_index_for
    from haven.drugchecking.models import Sample

    demo_load()

    text = codes_to_try(tmp_path)
    assert DEMO_CODES[0] in text and DEMO_CODES[1] in text
    sample_code = re.search(r"sample code ([A-Z0-9-]+)", text).group(1)
    assert Sample.objects.filter(code_index=code_index_for(sample_code), status="reviewed").exists()
    assert codes_to_try(tmp_path) == text  # the same code on the next start


@pytest.mark.django_db
def test_the_demo_has_booths_past_stays_and_two_people_in_booths_now(client):
    from haven.consumption.models import Booth, Stay
    from haven.testing.personas import sign_in

    demo_load()
    site = Site.objects.get(name="Northside drop-in centre")
    assert Booth.objects.filter(site=site, kind="injection").count() == 6
    assert Booth.objects.filter(site=site, kind="inhalation").count() == 2
    ended = Stay.objects.filter(checked_out_at__isnull=False)
    assert ended.count() >= 14 * 4 and all(stay.stay_seconds > 0 for stay in ended)
    now_in = Stay.objects.filter(checked_out_at__isnull=True)
    assert now_in.count() == 2 and {stay.participant is None for stay in now_in} == {True, False}
    counts = (Booth.objects.count(), Stay.objects.count())
    demo_load()
    assert (Booth.objects.count(), Stay.objects.count()) == counts

    # Bob sees them on the board.
    page = sign_in(client, User.objects.get(username="bob")).get(f"/consumption/sites/{site.pk}/")
    assert page.status_code == 200
    assert "Smoking room 2" in page.content.decode() and "Booth 6" in page.content.decode()
