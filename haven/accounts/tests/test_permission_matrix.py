"""Every URL is in the permission matrix, and every persona gets exactly what the matrix says.

The matrix (haven/accounts/permissions.py) is the one place access is decided; this test walks
Django's URL resolver, so a new view that is not in the matrix fails here (and is refused by the
middleware until it is added).
"""

from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from haven.accounts import permissions
from haven.accounts.models import ApiToken
from haven.accounts.tokens import new_token_parts

DOC = Path(__file__).resolve().parents[3] / "docs" / "PERMISSIONS.md"


def url_names(patterns=None, namespace=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def url_converters(patterns=None, namespace=""):
    """URL name -> {argument: converter} for every named URL."""
    found = {}
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found.update(url_converters(entry.url_patterns, inner))
        elif isinstance(entry, URLPattern) and entry.name:
            found[f"{namespace}{entry.name}"] = dict(getattr(entry.pattern, "converters", {}))
    return found


# Ids that exist nowhere: the matrix is enforced before the view runs, so a 404 behind it still
# tells an allowed request from a refused one.
MISSING = {"IntConverter": 999999, "StringConverter": "ZZZZZZ", "SlugConverter": "zzzzzz",
           "UUIDConverter": "00000000-0000-0000-0000-000000000000", "PathConverter": "zzzzzz"}


def url_for(view_name, known_kwargs):
    if view_name in known_kwargs:
        return reverse(view_name, kwargs=known_kwargs[view_name])
    converters = url_converters().get(view_name, {})
    kwargs = {name: MISSING[type(converter).__name__] for name, converter in converters.items()}
    return reverse(view_name, kwargs=kwargs or None)


def unnamed_patterns(patterns=None):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from unnamed_patterns(entry.url_patterns)
        elif isinstance(entry, URLPattern) and not entry.name:
            yield str(entry.pattern)


def test_every_url_has_a_name():
    assert list(unnamed_patterns()) == []


def test_every_url_is_in_the_matrix_and_the_matrix_has_no_stale_entries():
    names = set(url_names())
    assert sorted(names - set(permissions.ACCESS)) == [], "add these URLs to permissions.ACCESS"
    assert sorted(set(permissions.ACCESS) - names) == [], "these matrix entries name no URL"


def test_every_rule_names_a_known_permission():
    for view_name, rule in permissions.ACCESS.items():
        rules = rule.values() if isinstance(rule, dict) else [rule]
        for item in rules:
            assert item in permissions.PERMISSIONS or item in {permissions.PUBLIC, permissions.SIGNED_IN}, view_name


def test_the_documented_matrix_is_the_enforced_one():
    assert permissions.matrix_markdown() in DOC.read_text(), "run: python -m haven.accounts.permissions > table"


@pytest.fixture
def url_kwargs(places, bob):
    lookup, token = new_token_parts()
    bobs_token = ApiToken.objects.create(user=bob, name="scanner", lookup=lookup, digest=ApiToken.digest_of(token))
    return {
        "site-edit": {"site_id": places["fixed"].pk},
        "area-edit": {"area_id": places["north"].pk},
        "staff-edit": {"user_id": bob.pk},
        "staff-reset-two-factor": {"user_id": bob.pk},
        "api-token-revoke": {"token_id": bobs_token.pk},
    }


def expected_access(person, rule):
    """'allowed', or how a refusal looks to this person."""
    if rule == permissions.PUBLIC:
        return "allowed"
    if person is None:
        return "sign-in"
    if rule == permissions.SIGNED_IN or person.has_role_permission(rule):
        return "allowed"
    return "refused"


def observed_access(response, api):
    if response.status_code == 401 or (
        response.status_code == 302 and response["Location"].startswith(reverse("login"))
    ):
        return "sign-in"
    if response.status_code == 403:
        return "refused"
    return "allowed"


@pytest.mark.parametrize("persona", ["alice", "dana", "bob", "carol", "anonymous"])
def test_each_persona_gets_what_the_matrix_says_on_every_url(persona, everyone, url_kwargs, client_as, anonymous_client):
    person = everyone.get(persona)
    client = client_as(person) if person else anonymous_client
    mismatches = []
    for view_name in sorted(set(url_names())):
        url = url_for(view_name, url_kwargs)
        api = url.startswith("/api/")
        for method in ("get", "post"):
            if view_name == "logout" and method == "post":
                continue  # it would sign this client out for the URLs after it; test_login covers it
            rule = permissions.rule_for(view_name, method)
            if rule is None:
                continue
            response = getattr(client, method)(url)
            expected = expected_access(person, rule)
            if expected == "sign-in" and not api and method == "post" and response.status_code == 403:
                # Django's CSRF check answers an anonymous POST before the view: also a refusal.
                continue
            got = observed_access(response, api)
            if got != expected:
                mismatches.append(f"{method.upper()} {url} ({view_name}): expected {expected}, got {got} "
                                  f"[{response.status_code}]")
    assert mismatches == []


@pytest.mark.parametrize("persona", ["alice", "dana", "bob", "carol"])
def test_api_tokens_get_what_the_matrix_says_on_every_endpoint(persona, everyone, url_kwargs):
    from django.test import Client

    person = everyone[persona]
    lookup, token = new_token_parts()
    ApiToken.objects.create(user=person, name="test", lookup=lookup, digest=ApiToken.digest_of(token))
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    for view_name in sorted(name for name in set(url_names()) if name.startswith("api:")):
        url = url_for(view_name, url_kwargs)
        rule = permissions.rule_for(view_name, "get")
        response = client.get(url)
        assert observed_access(response, True) == expected_access(person, rule), (persona, view_name)


def test_a_url_missing_from_the_matrix_is_refused(alice, client_as, monkeypatch):
    monkeypatch.delitem(permissions.ACCESS, "sites")
    assert client_as(alice).get(reverse("sites")).status_code == 403
