"""In a real browser: Bob corrects his own visit from its page; the change is audited with a reason."""

import uuid

import pytest

from haven.core.models import AuditEvent
from haven.encounters import actions
from haven.encounters.models import Encounter
from haven.encounters.tests.support import lines_of
from haven.encounters.tests.test_browser_entry_speed import signed_in

pytestmark = pytest.mark.browser


def test_the_recorder_corrects_a_visit_and_sees_its_history(page, live_server, bob, places, catalog):
    visit, _ = actions.encounter_record(actor=bob, client_id=uuid.uuid4(), site=places["fixed"], service_mode="fixed",
                                        supplies=[(catalog["syringe"], 200)])
    signed_in(page, live_server, bob)
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto(f"{live_server.url}/encounters/{visit.pk}/")
    page.get_by_role("link", name="Correct this visit").click()
    page.locator(f"#id_item-{catalog['syringe'].pk}").fill("20")
    page.get_by_label("Why is this visit corrected?").fill("20 syringes, not 200")
    page.get_by_role("button", name="Save correction").click()
    page.get_by_text("Visit corrected.").wait_for()

    corrected = Encounter.objects.get(replaces=visit)
    assert lines_of(corrected) == {(catalog["syringe"].name, None): 20}
    history = page.locator("#history-heading + .history").inner_text()
    assert "20 syringes, not 200" in history and "supplies and kits" in history
    event = AuditEvent.objects.get(action="update", object_id=str(corrected.pk))
    assert event.detail["before"]["supplies"][0][2] == 200 and event.detail["after"]["supplies"][0][2] == 20
    assert page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")
    assert page.console_errors == []
