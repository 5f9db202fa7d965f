"""The language: the browser's Accept-Language until a choice is made; the switch on every page keeps
the choice in a cookie for everyone, and in the account of a signed-in person, who gets it back at
sign-in on any device."""

import re

import pytest
from django.conf import settings
from django.test import Client

from haven.core.models import AuditEvent
from haven.testing.personas import PASSWORD

SWITCH = "/i18n/setlang/"


def page_language(response) -> str:
    return re.search(rb'<html lang="([a-z-]+)"', response.content).group(1).decode()


@pytest.mark.parametrize(("accept", "expected"), [("es-MX,es;q=0.9,en;q=0.5", "es"), ("fr-CA,fr;q=0.8", "fr"),
                                                  ("de-DE,de;q=0.9", "en"), ("", "en")])
def test_without_a_choice_the_browsers_accept_language_decides(db, accept, expected):
    response = Client(headers={"accept-language": accept}).get("/alerts/")
    assert response.status_code == 200
    assert page_language(response) == expected


def test_the_switch_is_on_every_public_page(anonymous_client, db):
    for url in ("/alerts/", "/checking/result/", "/overdose/report/", "/learn/substances/", "/login/"):
        content = anonymous_client.get(url).content
        assert b'action="/i18n/setlang/"' in content, url
        assert b'<option value="fr" lang="fr"' in content, url


def test_a_member_of_the_public_chooses_spanish_and_it_is_remembered_for_a_year(db):
    browser = Client(headers={"accept-language": "en"})
    response = browser.post(SWITCH, {"language": "es", "next": "/alerts/"})
    assert response.status_code == 302 and response["Location"] == "/alerts/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "es"
    assert int(cookie["max-age"]) == 365 * 24 * 60 * 60  # not a cookie that ends with the browser
    assert page_language(browser.get("/alerts/")) == "es"


def test_a_choice_wins_over_accept_language(db):
    browser = Client(headers={"accept-language": "es"})
    browser.post(SWITCH, {"language": "fr", "next": "/alerts/"})
    assert page_language(browser.get("/alerts/")) == "fr"


def test_a_language_not_offered_changes_nothing(anonymous_client, db):
    response = anonymous_client.post(SWITCH, {"language": "xx", "next": "/alerts/"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_staff_bobs_choice_is_kept_in_his_account_and_audited_without_the_value(client_as, bob):
    response = client_as(bob).post(SWITCH, {"language": "fr", "next": "/"})
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.language == "fr"
    event = AuditEvent.objects.get(action="update", object_id=str(bob.pk))
    assert event.detail == {"fields": ["language"]}


def test_bob_gets_his_language_back_when_he_signs_in_on_another_device(bob):
    bob.language = "es"
    bob.save(update_fields=["language"])
    other_device = Client(headers={"accept-language": "en-US,en;q=0.9"})
    response = other_device.post("/login/", {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert page_language(other_device.get("/")) == "es"


def test_without_a_saved_language_sign_in_leaves_the_browsers_choice(bob):
    other_device = Client(headers={"accept-language": "fr"})
    response = other_device.post("/login/", {"username": "bob", "password": PASSWORD})
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert page_language(other_device.get("/")) == "fr"


def test_an_anonymous_switch_saves_no_account(anonymous_client, bob):
    anonymous_client.post(SWITCH, {"language": "fr", "next": "/alerts/"})
    bob.refresh_from_db()
    assert bob.language == ""
