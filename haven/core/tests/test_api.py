"""The JSON API: token auth, the OpenAPI schema, and site scoping."""

import pytest
from django.test import Client

from haven.accounts.models import ApiToken
from haven.accounts.tokens import new_token_parts


def token_for(user, **fields):
    lookup, token = new_token_parts()
    ApiToken.objects.create(user=user, name="test client", lookup=lookup, digest=ApiToken.digest_of(token), **fields)
    return token


def api_client(token):
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_openapi_schema_is_public_and_declares_token_auth(anonymous_client, db):
    response = anonymous_client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Haven API"
    assert "/api/me" in schema["paths"]
    assert any(scheme.get("scheme") == "bearer" for scheme in schema["components"]["securitySchemes"].values())


def test_the_api_docs_page_loads_nothing_from_elsewhere(anonymous_client, db):
    page = anonymous_client.get("/api/docs").content.decode()
    assert "cdn." not in page and "https://" not in page.replace("https://swagger", "")


def test_a_token_identifies_its_owner(bob):
    response = api_client(token_for(bob)).get("/api/me")
    assert response.status_code == 200
    assert response.json()["username"] == "bob"
    assert response.json()["role"] == "staff"


def test_a_request_without_a_token_is_told_to_authenticate(anonymous_client, db):
    response = anonymous_client.get("/api/me")
    assert response.status_code == 401


@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer hvn_zzzzzzzzzz_wrong", "Basic Ym9iOnB3", "Bearer"])
def test_a_malformed_or_unknown_token_is_refused(header, bob):
    response = Client(HTTP_AUTHORIZATION=header).get("/api/me")
    assert response.status_code == 401


def test_a_revoked_token_is_refused(bob):
    from django.utils import timezone

    assert api_client(token_for(bob, revoked_at=timezone.now())).get("/api/me").status_code == 401


def test_an_expired_token_is_refused(bob):
    from datetime import timedelta

    from django.utils import timezone

    token = token_for(bob, expires_at=timezone.now() - timedelta(minutes=1))
    assert api_client(token).get("/api/me").status_code == 401


def test_a_deactivated_persons_token_is_refused(bob):
    token = token_for(bob)
    bob.is_active = False
    bob.save()
    assert api_client(token).get("/api/me").status_code == 401


def test_tokens_are_stored_only_as_digests(bob):
    token = token_for(bob)
    stored = ApiToken.objects.get(user=bob)
    assert token not in (stored.digest, stored.lookup, stored.name)
    assert stored.digest == ApiToken.digest_of(token)


def test_staff_see_only_their_own_sites_and_coordinators_see_all(bob, dana, places):
    bob_sites = api_client(token_for(bob)).get("/api/sites").json()
    dana_sites = api_client(token_for(dana)).get("/api/sites").json()
    assert [site["name"] for site in bob_sites] == ["North drop-in"]
    assert sorted(site["name"] for site in dana_sites) == ["East van", "North drop-in"]


def test_areas_are_listed(carol, places):
    names = [area["name"] for area in api_client(token_for(carol)).get("/api/areas").json()]
    assert names == ["Eastside", "Northside"]
