"""Safety plans the person owns: structured, printable, and a copy they take away by code."""

import pytest
from django.core.cache import cache

from haven.support import actions, ratelimit


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


@pytest.fixture
def plan(bob, participant, bob_works_with_them):
    return actions.safety_plan_save(actor=bob, participant=participant, kind="suicide", values={
        "warning_signs": "Not sleeping", "reasons_for_living": "My kids", "coping_steps": "Walk by the river"})


def test_a_plan_shows_its_parts_in_order_when_printed(bob, client_as, participant, plan):
    text = client_as(bob).get(f"/support/{participant.display_id}/plans/suicide/print/").content.decode()
    assert text.index("Not sleeping") < text.index("Walk by the river") < text.index("My kids")


def test_an_overdose_plan_asks_about_using_alone_naloxone_and_check_ins(bob, client_as, participant,
                                                                        bob_works_with_them):
    text = client_as(bob).get(f"/support/{participant.display_id}/plans/overdose/").content.decode()
    for label in ("How I avoid using alone", "Where my naloxone is", "Who checks in on me"):
        assert label in text


def test_the_person_opens_their_plan_with_the_code_they_took_away(bob, anonymous_client, plan):
    code = actions.safety_plan_copy_code(actor=bob, plan=plan)
    response = anonymous_client.post("/support/my-plan/", {"code": code.lower()})
    assert response.status_code == 200 and "My kids" in response.content.decode()


def test_a_new_code_replaces_the_old_one(bob, anonymous_client, plan):
    old = actions.safety_plan_copy_code(actor=bob, plan=plan)
    actions.safety_plan_copy_code(actor=bob, plan=plan)
    response = anonymous_client.post("/support/my-plan/", {"code": old})
    assert response.status_code == 400 and "My kids" not in response.content.decode()


def test_guessing_codes_is_slowed_down(anonymous_client, plan, bob):
    code = actions.safety_plan_copy_code(actor=bob, plan=plan)
    for _ in range(ratelimit.LOOKUPS_PER_WINDOW):
        anonymous_client.post("/support/my-plan/", {"code": "AAAAA-BBBBB"})
    response = anonymous_client.post("/support/my-plan/", {"code": code})
    assert response.status_code == 400 and "Too many tries" in response.content.decode()


def test_a_plan_needs_at_least_one_part(bob, participant):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="at least one part"):
        actions.safety_plan_save(actor=bob, participant=participant, kind="overdose", values={})
