"""API tokens: made on the account page, shown once, stored as a digest, refused once revoked or expired."""

import datetime
import hashlib

from django.db import connection
from django.utils import timezone

from haven.accounts import actions
from haven.accounts.models import ApiToken
from haven.core.models import AuditEvent


def create_token(client, name="reporting spreadsheet", expires_in_days=""):
    response = client.post("/account/tokens/new/", {"name": name, "expires_in_days": expires_in_days})
    assert response.status_code == 200
    return response, response.context["token"]


def api_me(client, token):
    return client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_token_is_shown_once_and_stored_only_as_a_digest(client_as, bob):
    client = client_as(bob)
    response, token = create_token(client)
    assert token.encode() in response.content
    assert b"only time it is shown" in response.content
    assert "no-store" in response["Cache-Control"]
    record = ApiToken.objects.get(user=bob)
    assert record.digest == hashlib.sha256(token.encode()).hexdigest()
    secret_part = token.split("_", 2)[2]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        assert secret_part not in str(cursor.fetchall())
    assert secret_part not in str(list(AuditEvent.objects.values_list("detail", flat=True)))
    assert token.encode() not in client.get("/account/").content


def test_a_new_token_works_with_the_api(client_as, anonymous_client, carol, places):
    _response, token = create_token(client_as(carol), expires_in_days="30")  # a peer's token always expires
    response = api_me(anonymous_client, token)
    assert response.status_code == 200
    assert response.json() == {"username": "carol", "role": "peer", "sites": [places["van"].pk]}
    assert ApiToken.objects.get(user=carol).last_used_at is not None


def test_revoked_token_is_refused_by_the_api(client_as, anonymous_client, bob):
    client = client_as(bob)
    _response, token = create_token(client)
    record = ApiToken.objects.get(user=bob)
    response = client.post(f"/account/tokens/{record.pk}/revoke/")
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.revoked_at is not None
    assert api_me(anonymous_client, token).status_code == 401


def test_expired_token_is_refused_by_the_api(client_as, anonymous_client, bob):
    _response, token = create_token(client_as(bob), expires_in_days=30)
    record = ApiToken.objects.get(user=bob)
    assert record.expires_at > timezone.now() + datetime.timedelta(days=29)
    ApiToken.objects.filter(pk=record.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert api_me(anonymous_client, token).status_code == 401
    assert b"Expired" in client_as(bob).get("/account/").content


def test_a_made_up_token_is_refused_by_the_api(anonymous_client, bob):
    _record, token = actions.api_token_create(actor=bob, name="script")
    forged = token[:-4] + "abcd"
    assert api_me(anonymous_client, forged).status_code == 401


def test_token_of_a_deactivated_person_is_refused(anonymous_client, bob):
    _record, token = actions.api_token_create(actor=bob, name="script")
    bob.is_active = False
    bob.save()
    assert api_me(anonymous_client, token).status_code == 401


def test_peer_cannot_see_another_persons_token(client_as, bob, carol):
    actions.api_token_create(actor=bob, name="bob's reporting script")
    page = client_as(carol).get("/account/")
    assert page.status_code == 200
    assert b"reporting script" not in page.content


def test_peer_cannot_revoke_another_persons_token(client_as, bob, carol):
    record, _token = actions.api_token_create(actor=bob, name="script")
    response = client_as(carol).post(f"/account/tokens/{record.pk}/revoke/")
    assert response.status_code == 404
    record.refresh_from_db()
    assert record.revoked_at is None


def test_revoking_needs_a_post(client_as, bob):
    record, _token = actions.api_token_create(actor=bob, name="script")
    assert client_as(bob).get(f"/account/tokens/{record.pk}/revoke/").status_code == 405


def test_a_token_needs_a_name_and_a_sensible_expiry(client_as, bob):
    client = client_as(bob)
    response = client.post("/account/tokens/new/", {"name": "", "expires_in_days": "0"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"name", "expires_in_days"}
    assert not ApiToken.objects.exists()


def test_creating_and_revoking_tokens_is_audited(client_as, bob):
    client = client_as(bob)
    create_token(client, expires_in_days=7)
    record = ApiToken.objects.get(user=bob)
    client.post(f"/account/tokens/{record.pk}/revoke/")
    events = AuditEvent.objects.filter(action="security", actor_id=bob.pk).order_by("sequence")
    assert [event.detail["event"] for event in events] == ["api token created", "api token revoked"]
    assert events[0].detail["expires_in_days"] == 7
    assert {event.object_id for event in events} == {str(record.pk)}


def test_anonymous_visitor_cannot_create_a_token(anonymous_client, db):
    response = anonymous_client.post("/account/tokens/new/", {"name": "x"})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()


def test_a_peers_token_must_expire(carol):
    import pytest
    from django.core.exceptions import ValidationError

    from haven.accounts import actions

    with pytest.raises(ValidationError, match="must expire"):
        actions.api_token_create(actor=carol, name="phone", expires_in_days=None)
    with pytest.raises(ValidationError):
        actions.api_token_create(actor=carol, name="phone", expires_in_days=actions.PEER_TOKEN_MAX_DAYS + 1)
    record, _token = actions.api_token_create(actor=carol, name="phone", expires_in_days=30)
    assert record.expires_at is not None


def test_the_token_page_asks_a_peer_for_an_expiry(carol, client_as):
    response = client_as(carol).post("/account/tokens/new/", {"name": "phone", "expires_in_days": ""})

    assert response.status_code == 200
    assert "always expires" in response.content.decode()
