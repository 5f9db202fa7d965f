"""Writes for offline participant visits: the session's cache key, and the audit of every copy of
the participant cache that leaves the server. The visits themselves are recorded by
haven.encounters.actions, as any other visit."""

from __future__ import annotations

import base64
import secrets

from haven.core.audit import audit_record
from haven.core.models import AuditEvent

# The key that encrypts the participant cache on the device lives in the server session only: a
# new session (signing in again) has a new key, signing out or the session expiring loses it, and
# the cache left on a device can no longer be read.
SESSION_KEY = "offline_cache_key"


def offline_key_for(request) -> dict:
    """The session's AES-256 key and its id, made on first use."""
    stored = request.session.get(SESSION_KEY)
    if not stored:
        stored = {"id": secrets.token_hex(8),
                  "key": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")}
        request.session[SESSION_KEY] = stored
    return stored


def offline_key_on_sign_in(sender, request=None, user=None, **kwargs) -> None:
    """Every sign-in gets a new key, made while the sign-in request is the only one: requests that
    run side by side later (a page, its service worker's fetches) each save the session they read,
    and one made before the key existed would drop a key made lazily by another."""
    if request is None or not hasattr(request, "session"):
        return
    request.session.pop(SESSION_KEY, None)
    offline_key_for(request)


def participant_cache_audit(*, actor, request=None, participants: int, site_ids: list[int], days: int) -> None:
    """Record that display ids and last visits were copied to a device: how many, which sites."""
    audit_record(actor=actor, action=AuditEvent.Action.EXPORT, object_type="offline.participant_cache",
                 request=request, detail={"participants": participants, "sites": site_ids, "days": days})
