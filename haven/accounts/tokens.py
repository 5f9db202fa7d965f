"""API tokens: create (the secret is shown once) and resolve a bearer header to its user."""

from __future__ import annotations

import secrets

from django.utils import timezone

from haven.accounts.models import ApiToken

_ALPHABET = "abcdefghijkmnopqrstuvwxyz23456789"


def new_token_parts() -> tuple[str, str]:
    lookup = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return lookup, f"{ApiToken.PREFIX}_{lookup}_{secrets.token_urlsafe(32)}"


def user_for_token(token: str):
    parts = token.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != ApiToken.PREFIX:
        return None
    # `lookup` is unique: no ORDER BY needed (this runs on every API request).
    record = next(iter(ApiToken.objects.select_related("user").filter(lookup=parts[1]).order_by()[:1]), None)
    if record is None or not record.matches(token.strip()) or not record.is_usable:
        return None
    # Update at most once a minute so that a busy client does not write on every request.
    now = timezone.now()
    if record.last_used_at is None or (now - record.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user


def user_for_bearer_header(header: str):
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    return user_for_token(token)



