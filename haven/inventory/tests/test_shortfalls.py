"""Coordinators look into supplies given without stock on record and resolve them."""

import pytest
from django.core.exceptions import ValidationError

from haven.core.models import AuditEvent
from haven.inventory import actions, queries
from haven.inventory.models import StockEntry
from haven.inventory.tests.conftest import NALOXONE


@pytest.fixture
def shortfall(places, supply, encounter_giving):
    actions.stock_draw_for_encounter(encounter=encounter_giving(places["fixed"], {supply(NALOXONE): 2}))
    return StockEntry.objects.get(shortfall=True)


def test_a_coordinator_sees_open_shortfalls(dana, shortfall, client_as):
    content = client_as(dana).get("/stock/shortfalls/").content.decode()

    assert NALOXONE in content and "North drop-in" in content


def test_resolving_a_shortfall_is_a_new_entry_that_offsets_it(dana, places, shortfall, client_as):
    response = client_as(dana).post("/stock/shortfalls/", {"entry": shortfall.pk})

    assert response.status_code == 302
    resolution = StockEntry.objects.get(resolves=shortfall)
    assert (resolution.kind, resolution.quantity, resolution.lot) == ("adjusted", 2, None)
    assert queries.open_shortfalls(sites=[places["fixed"]]).count() == 0
    assert StockEntry.objects.get(pk=shortfall.pk).shortfall_resolved_at is None  # never edited
    assert AuditEvent.objects.filter(action="shortfall_resolve", actor_label="dana").exists()


def test_a_shortfall_is_resolved_only_once(dana, shortfall):
    actions.shortfall_resolve(actor=dana, entry=shortfall)

    with pytest.raises(ValidationError):
        actions.shortfall_resolve(actor=dana, entry=shortfall)

    assert StockEntry.objects.filter(resolves=shortfall).count() == 1


def test_an_ordinary_entry_cannot_be_resolved(dana, places, supply, receive):
    entry = receive(places["fixed"], supply(NALOXONE), 1)

    with pytest.raises(ValidationError):
        actions.shortfall_resolve(actor=dana, entry=entry)


def test_staff_cannot_see_or_resolve_shortfalls(bob, shortfall, client_as):
    assert client_as(bob).get("/stock/shortfalls/").status_code == 403
    assert client_as(bob).post("/stock/shortfalls/", {"entry": shortfall.pk}).status_code == 403
    assert not StockEntry.objects.filter(resolves=shortfall).exists()


def test_resolving_an_unknown_entry_finds_nothing(dana, places, client_as):
    assert client_as(dana).post("/stock/shortfalls/", {"entry": "999999"}).status_code == 404
    assert client_as(dana).post("/stock/shortfalls/", {"entry": "x"}).status_code == 404
