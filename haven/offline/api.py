"""The offline part of the JSON API (mounted under /api/offline by haven/api.py).

- GET /api/offline/key: the session's key for the participant cache on this device. Session only
  (a token has no session: 400); never stored by the service worker or the browser's cache.
- GET /api/offline/participants: display ids and last visits of the participants seen at the
  person's sites lately, for the device to encrypt and keep. Audited.
- POST /api/offline/visits: a visit logged offline, by display id. Resolves what changed while the
  device was away and says what it did: recorded, recorded for the record a participant was merged
  into, recorded as anonymous (the participant's record is gone), already recorded (the same
  client_id), or not recorded (409: a probable duplicate of a visit logged online, or a site the
  person no longer works at).
"""

from __future__ import annotations

import datetime
import uuid
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from haven.core.api import SIGNED_IN, errors
from haven.encounters import actions as encounter_actions
from haven.encounters import queries as encounter_queries
from haven.encounters.api import EncounterIn, repeat_arguments, resolve_visit
from haven.offline import actions, queries
from haven.participants.codes import normalise

router = Router(tags=["offline"])

NO_STORE = "no-store"


class KeyOut(Schema):
    key_id: str
    key: str = Field(description="AES-256-GCM key, base64url without padding; keep it in memory only")
    days: int


class SupplyLineOut(Schema):
    name: str
    quantity: int
    kit: str


class LastVisitOut(Schema):
    id: int
    occurred_at: datetime.datetime
    when: str
    site_id: int
    site: str
    service_mode: str
    supplies: list[SupplyLineOut]


class CachedParticipantOut(Schema):
    display_id: str
    last_visit: LastVisitOut


class CacheOut(Schema):
    key_id: str
    generated_at: datetime.datetime
    days: int
    sites: list[int]
    participants: list[CachedParticipantOut]


class OfflineVisitIn(EncounterIn):
    source: Literal["api", "offline"] = "offline"
    allow_duplicate: bool = Field(False, description="Record it even if a visit for this participant at this "
                                                     "site was recorded close to this time")


class OfflineVisitOut(Schema):
    outcome: str = Field(description="recorded, merged, anonymous or already")
    detail: str
    id: int
    client_id: uuid.UUID
    participant: str | None


class ConflictOut(Schema):
    outcome: str = Field(description="duplicate or site")
    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict)
    existing_id: int | None = None


def _no_session():
    # Not a matter of role (the matrix allows the caller): a token has no session to hold the key.
    return Status(400, {"detail": _("This is for a browser signed in to Haven: an API token has no session to "
                                    "hold the key."), "errors": {}})


def _session_only(request):
    """The key belongs to a browser session; a token (a machine client) has none."""
    return request.user.is_authenticated and hasattr(request, "session") and request.session.session_key is not None


@router.get("/key", response={200: KeyOut, **errors(*SIGNED_IN, 400)}, url_name="offline-key",
            summary="The session's key for the participant cache on this device")
def offline_key(request, response: HttpResponse):
    response["Cache-Control"] = NO_STORE
    if not _session_only(request):
        return _no_session()
    stored = actions.offline_key_for(request)
    return {"key_id": stored["id"], "key": stored["key"], "days": queries.CACHE_DAYS}


@router.get("/participants", response={200: CacheOut, **errors(*SIGNED_IN, 400)}, url_name="offline-participants",
            summary="Participants seen at your sites lately, to find them offline")
def offline_participants(request, response: HttpResponse):
    response["Cache-Control"] = NO_STORE
    user = request.auth
    if not _session_only(request):
        return _no_session()
    if not user.has_role_permission("participants.view"):
        return Status(403, {"detail": _("You do not have permission to do this."), "errors": {}})
    stored = actions.offline_key_for(request)
    participants = queries.participant_cache(user)
    site_ids = queries.cache_site_ids(user)
    actions.participant_cache_audit(actor=user, request=request, participants=len(participants),
                                    site_ids=site_ids, days=queries.CACHE_DAYS)
    return {"key_id": stored["id"], "generated_at": timezone.now(), "days": queries.CACHE_DAYS,
            "sites": site_ids, "participants": participants}


def _conflict(outcome: str, detail: str, *, field: str, existing_id=None):
    return Status(409, {"outcome": outcome, "detail": detail, "errors": {field: [detail]}, "existing_id": existing_id})


def _recorded(outcome: str, detail: str, encounter, created_status=201):
    return Status(created_status, {
        "outcome": outcome, "detail": detail, "id": encounter.pk, "client_id": encounter.client_id,
        "participant": encounter.participant.display_id if encounter.participant_id else None,
    })


def _already(encounter):
    return _recorded("already", _("Already recorded; nothing changed."), encounter, 200)


def _unprocessable(field_errors: dict[str, list[str]]):
    return Status(422, {"detail": _("Nothing was saved. Fix the errors and send the visit again."),
                        "errors": field_errors})


@router.post("/visits", response={200: OfflineVisitOut, 201: OfflineVisitOut, 409: ConflictOut,
                                  **errors(*SIGNED_IN, 400, 422)},
             url_name="offline-visit", summary="Send a visit logged offline; says what was done with it")
def offline_visit(request, payload: OfflineVisitIn):
    user = request.auth
    existing = encounter_queries.encounter_by_client_id(payload.client_id)
    if existing is not None:
        return _already(existing)

    # The participant: by display id, as on the card. The record may have been merged into another
    # since the device saw it (the visit goes to that one) or be gone (erased: the visit still
    # counts, as anonymous, and links to nobody).
    outcome, record, participant = "recorded", None, None
    if payload.participant:
        record = queries.participant_record(payload.participant)
        if record is None:
            outcome = "anonymous"
        else:
            participant = record.canonical()
            if participant.pk != record.pk:
                outcome = "merged"
    field_errors: dict[str, list[str]] = {}
    arguments = resolve_visit(payload.model_copy(update={"participant": None}), field_errors)
    arguments["participant"] = participant
    site = arguments["site"]
    if field_errors:
        return _unprocessable(field_errors)

    if not encounter_actions.may_record_at(user, site):
        return _conflict("site", _("You no longer work at %(site)s, so this visit was not recorded. Ask a "
                                   "colleague who works there to enter it.") % {"site": site.name}, field="site")
    if not site.active:
        return _conflict("site", _("%(site)s is closed, so this visit was not recorded.") % {"site": site.name},
                         field="site")

    when = payload.occurred_at or timezone.now()
    if participant is not None and not payload.allow_duplicate:
        duplicate = queries.probable_duplicate(participant=participant, site=site, occurred_at=when,
                                               client_id=payload.client_id)
        if duplicate is not None:
            detail = _("%(id)s already has a visit at %(site)s at %(time)s, recorded by %(staff)s. This one was "
                       "not recorded: send it anyway if it was a second visit.") % {
                "id": participant.display_id, "site": site.name,
                "time": formats.time_format(timezone.localtime(duplicate.occurred_at), "TIME_FORMAT"),
                "staff": duplicate.staff.username if duplicate.staff else _("someone")}
            return _conflict("duplicate", detail, field="participant", existing_id=duplicate.pk)

    try:
        if payload.repeat:
            encounter, created = encounter_actions.encounter_repeat(
                actor=user, request=request, **repeat_arguments(payload, arguments))
        else:
            encounter, created = encounter_actions.encounter_record(actor=user, request=request, **arguments)
    except ValidationError as error:
        return _unprocessable({field: [str(message) for message in messages]
                               for field, messages in error.message_dict.items()})
    except PermissionDenied:
        return Status(403, {"detail": _("You do not have permission to do this."), "errors": {}})
    if not created:
        return _already(encounter)
    if outcome == "merged":
        detail = _("Recorded for %(id)s: %(old)s was merged into %(id)s.") % {
            "id": participant.display_id, "old": record.display_id}
    elif outcome == "anonymous":
        detail = _("Recorded as anonymous: no participant has the id %(id)s any more (the record was erased).") % {
            "id": normalise(payload.participant)}
    elif participant is not None:
        detail = _("Recorded for %(id)s.") % {"id": participant.display_id}
    else:
        detail = _("Recorded.")
    return _recorded(outcome, detail, encounter)
