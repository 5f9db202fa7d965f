"""Staff and peers record and see visits at their own sites only."""

import uuid

from django.test import Client

from haven.accounts.models import ApiToken
from haven.accounts.tokens import new_token_parts
from haven.encounters import actions
from haven.encounters.tests.support import row_counts


def visit(actor, site):
    return actions.encounter_record(actor=actor, client_id=uuid.uuid4(), site=site, service_mode="fixed")[0]


def token_client(user):
    lookup, token = new_token_parts()
    ApiToken.objects.create(user=user, name="test", lookup=lookup, digest=ApiToken.digest_of(token))
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_peer_cannot_record_at_another_site_through_the_form(carol, places, client_as):
    before = row_counts()
    response = client_as(carol).post("/encounters/new/", {
        "client_id": str(uuid.uuid4()), "site": places["fixed"].pk, "service_mode": "fixed"})

    assert response.status_code == 200
    assert "You can record visits only at your own sites." in response.content.decode()
    assert row_counts() == before


def test_peer_cannot_record_at_another_site_through_the_api(carol, places):
    before = row_counts()
    response = token_client(carol).post("/api/encounters", {
        "client_id": str(uuid.uuid4()), "site_id": places["fixed"].pk, "service_mode": "fixed"},
        content_type="application/json")

    assert response.status_code == 422
    assert response.json()["errors"]["site"] == ["You can record visits only at your own sites."]
    assert row_counts() == before


def test_the_entry_page_offers_only_the_persons_own_sites(carol, client_as):
    content = client_as(carol).get("/encounters/new/").content.decode()

    assert "East van" in content
    assert "North drop-in" not in content


def test_staff_see_only_their_own_sites_visits(bob, carol, dana, places, client_as):
    ours = visit(bob, places["fixed"])
    theirs = visit(carol, places["van"])

    content = client_as(bob).get("/encounters/").content.decode()

    assert f"/encounters/{ours.pk}/" in content
    assert f"/encounters/{theirs.pk}/" not in content
    assert client_as(bob).get(f"/encounters/{theirs.pk}/").status_code == 404


def test_a_coordinator_sees_every_site(bob, carol, dana, places, client_as):
    ours, theirs = visit(bob, places["fixed"]), visit(carol, places["van"])

    content = client_as(dana).get("/encounters/").content.decode()

    assert f"/encounters/{ours.pk}/" in content and f"/encounters/{theirs.pk}/" in content


def test_the_api_lists_only_the_callers_sites(bob, carol, places):
    ours = visit(bob, places["fixed"])
    visit(carol, places["van"])

    listed = token_client(bob).get("/api/encounters").json()
    other_site = token_client(bob).get(f"/api/encounters?site={places['van'].pk}").json()

    assert [row["id"] for row in listed["items"]] == [ours.pk]
    assert other_site["items"] == []
