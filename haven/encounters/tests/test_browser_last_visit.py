"""In a real browser: the lookup card, the visit form and "Same as last time" agree on one visit.

Bob works at North drop-in. The participant's latest visit anywhere was at East van, a site he
does not work at; the latest at his sites was North drop-in. All three show and repeat that one.
"""

import datetime
import uuid

import pytest
from django.utils import timezone

from haven.encounters import actions
from haven.encounters.models import Encounter
from haven.encounters.tests.support import lines_of
from haven.encounters.tests.test_browser_entry_speed import signed_in

pytestmark = pytest.mark.browser


def test_the_card_the_form_and_same_as_last_time_are_the_same_visit(page, live_server, bob, dana, places, catalog,
                                                                       participant):
    mine, _ = actions.encounter_record(
        actor=bob, client_id=uuid.uuid4(), site=places["fixed"], service_mode="fixed", participant=participant,
        supplies=[(catalog["fentanyl_strip"], 7)], kits=[(catalog["naloxone_kit"], 1)],
        services=[catalog["hiv_test"]], secondary_people=2, occurred_at=timezone.now() - datetime.timedelta(days=5))
    actions.encounter_record(
        actor=dana, client_id=uuid.uuid4(), site=places["van"], service_mode="mobile", participant=participant,
        kits=[(catalog["injection_kit"], 3)])
    signed_in(page, live_server, bob)

    page.goto(f"{live_server.url}/participants/")
    page.locator("#id_code").press_sequentially("MA0385B", delay=20)
    card = page.locator("#lookup-result .match")
    card.wait_for()
    on_card = card.locator("[data-last-visit]")
    assert on_card.get_attribute("data-last-visit") == str(mine.pk)
    assert "North drop-in" in on_card.inner_text()
    card_text = card.locator(".participant-summary").inner_text()
    assert "7 × Fentanyl test strip" in card_text and "East van" not in card_text

    card.get_by_role("link", name="Log a visit").click()
    on_form = page.locator(".who [data-last-visit]")
    assert on_form.get_attribute("data-last-visit") == str(mine.pk)
    assert "North drop-in" in on_form.inner_text()
    assert "7 × Fentanyl test strip" in page.locator(".who .last-visit").inner_text()

    page.locator("button[name=repeat]").click()
    page.get_by_text("Visit saved.").wait_for()

    new = Encounter.objects.filter(staff=bob).exclude(pk=mine.pk).get()
    assert lines_of(new) == lines_of(mine)
    assert list(new.services.all()) == [] and new.secondary_people == 0
    assert page.console_errors == []
