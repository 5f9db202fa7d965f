"""Bad input gets a clear error on its field, and nothing is written: no visit, no line, no stock
entry, no audit entry."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.encounters import actions
from haven.encounters.tests.support import row_counts
from haven.places.models import Site


@pytest.fixture
def attempt(bob, places, catalog):
    """attempt(**overrides) records a visit that should be refused; returns {field: messages}."""

    def run(actor=bob, **overrides):
        fields = {"actor": actor, "client_id": uuid.uuid4(), "site": places["fixed"], "service_mode": "fixed",
                  "supplies": [(catalog["syringe"], 10)], **overrides}
        before = row_counts()
        with pytest.raises(ValidationError) as error:
            actions.encounter_record(**fields)
        assert row_counts() == before, "a refused visit wrote something"
        return error.value.message_dict

    return run


def test_a_negative_count_is_refused(attempt, catalog):
    errors = attempt(supplies=[(catalog["syringe"], -10)])

    assert errors[f"item-{catalog['syringe'].pk}"] == ["The number given cannot be negative."]


def test_an_absurd_count_of_one_supply_is_refused(attempt, catalog):
    errors = attempt(supplies=[(catalog["syringe"], actions.MAX_UNITS_PER_LINE + 1)])

    assert "cannot be more than 1,000" in errors[f"item-{catalog['syringe'].pk}"][0]


def test_kits_that_add_up_to_an_absurd_count_are_refused(attempt, catalog):
    # 200 safer injection kits are 2,000 syringes.
    errors = attempt(supplies=[], kits=[(catalog["injection_kit"], 200)])

    assert "more than 1,000 in one visit" in errors[f"kit-{catalog['injection_kit'].pk}"][0]


def test_a_negative_number_of_kits_is_refused(attempt, catalog):
    errors = attempt(kits=[(catalog["injection_kit"], -1)])

    assert f"kit-{catalog['injection_kit'].pk}" in errors


@pytest.mark.parametrize(("field", "value"), [
    ("syringes_returned", actions.MAX_SYRINGES_RETURNED + 1),
    ("syringes_returned", -1),
    ("secondary_people", actions.MAX_SECONDARY_PEOPLE + 1),
    ("secondary_people", -2),
    ("sharps_containers_returned", actions.MAX_SHARPS_CONTAINERS_RETURNED + 1),
    ("syringes_returned", "lots"),
])
def test_absurd_or_negative_totals_are_refused(attempt, field, value):
    errors = attempt(**{field: value})

    assert list(errors) == [field]


def test_a_visit_in_the_future_is_refused(attempt):
    errors = attempt(occurred_at=timezone.now() + datetime.timedelta(hours=1))

    assert errors["occurred_at"] == ["The visit cannot be in the future. Check the date and time."]


def test_a_phone_clock_a_minute_fast_is_not_the_future(bob, places):
    encounter, created = actions.encounter_record(
        actor=bob, client_id=uuid.uuid4(), site=places["fixed"], service_mode="fixed",
        occurred_at=timezone.now() + datetime.timedelta(minutes=1))

    assert created


def test_a_visit_more_than_a_year_ago_is_refused_on_the_page(attempt):
    errors = attempt(occurred_at=timezone.now() - datetime.timedelta(days=400))

    assert "more than a year ago" in errors["occurred_at"][0]


def test_an_import_may_bring_older_visits(dana, places):
    encounter, created = actions.encounter_record(
        actor=dana, client_id=uuid.uuid4(), site=places["fixed"], service_mode="fixed", source="import",
        occurred_at=timezone.now() - datetime.timedelta(days=3 * 365))

    assert created and encounter.source == "import"


def test_an_inactive_supply_is_refused(attempt, catalog):
    catalog["condom"].active = False
    catalog["condom"].save()

    errors = attempt(supplies=[(catalog["condom"], 5)])

    assert "no longer offered" in errors[f"item-{catalog['condom'].pk}"][0]


def test_an_inactive_kit_is_refused(attempt, catalog):
    catalog["naloxone_kit"].active = False
    catalog["naloxone_kit"].save()

    errors = attempt(kits=[(catalog["naloxone_kit"], 1)])

    assert f"kit-{catalog['naloxone_kit'].pk}" in errors


def test_an_inactive_service_is_refused(attempt, catalog):
    catalog["housing"].active = False
    catalog["housing"].save()

    errors = attempt(services=[catalog["housing"]])

    assert "no longer offered" in errors["services"][0]


def test_an_inactive_site_is_refused(attempt, places):
    Site.objects.filter(pk=places["fixed"].pk).update(active=False)
    places["fixed"].refresh_from_db()

    errors = attempt(site=places["fixed"])

    assert "inactive" in errors["site"][0]


def test_a_staff_member_cannot_record_at_a_site_that_is_not_theirs(attempt, places):
    errors = attempt(site=places["van"])

    assert errors["site"] == ["You can record visits only at your own sites."]


def test_a_peer_cannot_record_at_another_site(attempt, carol, places):
    errors = attempt(actor=carol, site=places["fixed"])

    assert errors["site"] == ["You can record visits only at your own sites."]


def test_an_unknown_service_mode_is_refused(attempt):
    assert "service_mode" in attempt(service_mode="teleport")


def test_a_missing_client_id_is_refused(attempt):
    assert "client_id" in attempt(client_id="not-a-uuid")


def test_a_reversal_with_absurd_doses_or_unknown_outcome_is_refused(attempt):
    errors = attempt(reversals=[{"naloxone_doses_used": 500, "outcome": "maybe",
                                 "occurred_on": timezone.localdate() + datetime.timedelta(days=2)}])

    assert {"reversal-naloxone_doses_used", "reversal-outcome", "reversal-occurred_on"} <= set(errors)


def test_every_problem_is_reported_at_once(attempt, catalog):
    errors = attempt(supplies=[(catalog["syringe"], -1)], secondary_people=9999, service_mode="?")

    assert {f"item-{catalog['syringe'].pk}", "secondary_people", "service_mode"} <= set(errors)


def test_the_form_shows_the_error_on_its_field_and_saves_nothing(bob, places, catalog, client_as):
    before = row_counts()
    response = client_as(bob).post("/encounters/new/", {
        "client_id": str(uuid.uuid4()), "site": places["fixed"].pk, "service_mode": "fixed",
        f"item-{catalog['syringe'].pk}": "-3", "secondary_people": "100000",
    })

    content = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved yet" in content
    assert "The number given cannot be negative." in content
    assert "cannot be more than 500" in content
    assert 'aria-invalid="true"' in content
    assert row_counts() == before


def test_the_form_refuses_a_supply_that_is_not_in_the_catalog(bob, places, client_as):
    before = row_counts()
    response = client_as(bob).post("/encounters/new/", {
        "client_id": str(uuid.uuid4()), "site": places["fixed"].pk, "service_mode": "fixed", "item-999999": "4",
    })

    assert "no longer offered" in response.content.decode()
    assert row_counts() == before


def test_the_form_refuses_an_unknown_participant_id(bob, places, client_as):
    before = row_counts()
    response = client_as(bob).post("/encounters/new/", {
        "client_id": str(uuid.uuid4()), "participant": "ZZZZZZ", "site": places["fixed"].pk,
        "service_mode": "fixed",
    })

    assert "No participant has this id." in response.content.decode()
    assert row_counts() == before
