"""The service worker script is served from Haven's origin, to anyone, with the headers it needs."""

import json

import pytest


@pytest.mark.parametrize("who", ["anonymous", "bob"])
def test_the_service_worker_is_served_to_anyone_from_haven_itself(who, bob, client_as, anonymous_client):
    client = client_as(bob) if who == "bob" else anonymous_client

    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert "Content-Security-Policy" in response


def test_the_shell_list_is_filled_in_and_holds_only_the_form_and_static_files(anonymous_client, db):
    body = anonymous_client.get("/sw.js").content.decode()

    assert "__HAVEN_SHELL__" not in body
    shell = json.loads(body.split("const SHELL = ", 1)[1].split(";\n", 1)[0])
    assert shell["pages"] == ["/encounters/new/", "/offline/"]
    assert all(url.startswith("/static/") for url in shell["assets"])
    assert "/static/haven/offline.js" in shell["assets"]


def test_the_status_panel_and_script_are_on_signed_in_pages_only(bob, client_as, anonymous_client):
    signed_in = client_as(bob).get("/").content.decode()
    assert 'id="offline-status"' in signed_in
    assert "haven/offline.js" in signed_in

    assert "haven/offline.js" not in anonymous_client.get("/login/").content.decode()
