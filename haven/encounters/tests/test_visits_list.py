"""The visits list: search by display id, filters, pagination that keeps them, and a CSV export."""

import csv
import datetime
import io
import uuid

from django.utils import timezone

from haven.core.models import AuditEvent
from haven.encounters import actions, queries


def visit(person, site, *, participant=None, days_ago=0, mode=None, **fields):
    return actions.encounter_record(
        actor=person, client_id=uuid.uuid4(), site=site, service_mode=mode or ("fixed" if site.kind == "fixed"
                                                                                 else "mobile"),
        participant=participant, occurred_at=timezone.now() - datetime.timedelta(days=days_ago), **fields)[0]


def shown(response):
    return [encounter.pk for encounter in response.context["page"].object_list]


def test_a_display_id_finds_that_participants_visits(bob, participant, places, client_as):
    theirs = visit(bob, places["fixed"], participant=participant)
    visit(bob, places["fixed"])

    response = client_as(bob).get("/encounters/", {"q": participant.display_id.lower()})

    assert shown(response) == [theirs.pk]


def test_filters_by_site_dates_staff_and_mode(bob, dana, places, client_as):
    old = visit(dana, places["van"], days_ago=20)
    recent_van = visit(dana, places["van"], days_ago=2)
    outreach = visit(dana, places["van"], days_ago=1, mode="outreach")
    bobs = visit(bob, places["fixed"], days_ago=1)
    client = client_as(dana)
    since = (timezone.localdate() - datetime.timedelta(days=5)).isoformat()

    assert shown(client.get("/encounters/", {"site": places["van"].pk, "start": since})) == [outreach.pk,
                                                                                              recent_van.pk]
    assert shown(client.get("/encounters/", {"staff": bob.pk})) == [bobs.pk]
    assert shown(client.get("/encounters/", {"mode": "outreach"})) == [outreach.pk]
    end = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    assert shown(client.get("/encounters/", {"end": end})) == [old.pk]


def test_staff_cannot_filter_their_way_to_another_sites_visits(bob, dana, places, client_as):
    visit(dana, places["van"])

    response = client_as(bob).get("/encounters/", {"site": places["van"].pk})

    assert shown(response) == []


def test_pages_keep_the_filters(bob, places, client_as):
    for _ in range(queries.PAGE_SIZE + 1):
        visit(bob, places["fixed"])

    content = client_as(bob).get("/encounters/", {"mode": "fixed"}).content.decode()

    assert "?page=2&amp;mode=fixed" in content


def test_a_coordinator_exports_the_filtered_visits_as_csv_and_it_is_audited(bob, dana, participant, places,
                                                                            catalog, client_as):
    visit(bob, places["fixed"], participant=participant, supplies=[(catalog["syringe"], 10)])
    visit(dana, places["van"])

    response = client_as(dana).get("/encounters/export.csv", {"site": places["fixed"].pk})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][:3] == ["visit", "occurred_at", "participant"]
    assert len(rows) == 2 and rows[1][2] == participant.display_id and rows[1][6] == "10"
    assert AuditEvent.objects.filter(action="export", actor_id=dana.pk).exists()


def test_staff_cannot_export_visits(bob, client_as):
    assert client_as(bob).get("/encounters/export.csv").status_code == 403
