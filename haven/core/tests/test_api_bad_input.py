"""Bad input to the API is a declared 4xx with the one error body, never a 500 (the cases schemathesis found)."""

import pytest
from django.test import Client

from haven.core.tests.test_api import token_for

TOO_BIG = 2**63


@pytest.fixture
def bob_api(bob):
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_for(bob)}")


@pytest.mark.parametrize("url", [
    f"/api/encounters?limit={TOO_BIG}",
    f"/api/encounters?offset={TOO_BIG}",
    f"/api/encounters?site={TOO_BIG}",
    f"/api/stock?site={TOO_BIG}",
    f"/api/checking/samples/{TOO_BIG}",
    f"/api/checking/samples?limit={TOO_BIG}",
    "/api/encounters?since=0.5",
    "/api/encounters?since=2026-01-01",
    "/api/education/substances?q=" + "x" * 201,
])
def test_an_absurd_parameter_is_a_422_that_names_it(bob_api, url):
    response = bob_api.get(url)

    assert response.status_code == 422
    body = response.json()
    assert isinstance(body["detail"], str)
    assert body["errors"] and all(isinstance(messages, list) for messages in body["errors"].values())


@pytest.mark.parametrize("field, value", [
    ("site_id", TOO_BIG),
    ("supplies", [{"item_id": TOO_BIG, "quantity": 1}]),
    ("supplies", [{"item_id": 1, "quantity": TOO_BIG}]),
    ("kits", [{"kit_id": TOO_BIG, "count": 1}]),
    ("services", [TOO_BIG]),
    ("reversals", [{"area_id": TOO_BIG}]),
    ("occurred_at", 1.5),
    ("supplies", [{"item_id": 1, "quantity": 1}] * 101),
])
def test_an_absurd_visit_is_a_422_and_saves_nothing(bob_api, places, field, value):
    from haven.encounters.models import Encounter

    body = {"client_id": "4a3d6a49-7d55-4f53-8a55-3f0f0f7f0b11", "site_id": places["fixed"].pk, field: value}
    response = bob_api.post("/api/encounters", body, content_type="application/json")

    assert response.status_code == 422
    assert response.json()["errors"]
    assert not Encounter.objects.exists()


def test_a_body_that_is_not_json_is_a_400_with_the_error_body(bob_api):
    response = bob_api.post("/api/encounters", b"\x00", content_type="application/json")

    assert response.status_code == 400
    assert isinstance(response.json()["detail"], str)


def test_an_empty_code_is_a_422_on_the_code(bob_api):
    response = bob_api.post("/api/participants/lookup", {"code": ""}, content_type="application/json")

    assert response.status_code == 422
    assert response.json()["errors"] == {"code": ["Must not be empty."]}


def test_every_operation_declares_the_statuses_access_control_answers(anonymous_client, db):
    schema = anonymous_client.get("/api/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            declared = set(operation["responses"])
            assert "401" in declared, f"{method.upper()} {path}"
            if operation.get("security"):
                assert "403" in declared, f"{method.upper()} {path}"
