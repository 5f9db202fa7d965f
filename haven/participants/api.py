"""The participants part of the JSON API (mounted under /api/ by haven/api.py).

Access is decided by AccessMiddleware (api:participant-lookup-api, api:participant-enroll-api);
`request.auth` is the person the token or session belongs to.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema, Status

from haven.core.api import ID_MAX, SIGNED_IN, TEXT_MAX, errors
from haven.participants import actions, codes, queries
from haven.participants.recipe import code_error_message, current_recipe
from haven.places.queries import sites_for

router = Router(tags=["participants"])


class SupplyOut(Schema):
    name: str
    quantity: int


class LastVisitOut(Schema):
    occurred_at: datetime
    site: str
    service_mode: str
    supplies: list[SupplyOut]


class LookupOut(Schema):
    found: bool
    display_id: str | None = None
    visit_count: int | None = None
    last_visit: LastVisitOut | None = None


class EnrollIn(Schema):
    code: str = Field(min_length=1, max_length=TEXT_MAX)
    site_id: int | None = Field(None, ge=1, le=ID_MAX)


class EnrolledOut(Schema):
    display_id: str
    enrolled_at: datetime


class AlreadyEnrolledOut(Schema):
    detail: str
    display_id: str


def _last_visit(summary) -> dict | None:
    visit = summary.last_visit
    if visit is None:
        return None
    return {"occurred_at": visit.occurred_at, "site": visit.site_name, "service_mode": visit.service_mode,
            "supplies": [{"name": line.name, "quantity": line.quantity} for line in visit.supplies]}


LOOKUP_PAUSED_MESSAGE = gettext_lazy(
    "Too many codes that found nobody from this account: lookups by code are paused for a few minutes. "
    "Lookups by display id and logging visits still work.")


class LookupIn(Schema):
    code: str = Field(min_length=1, max_length=TEXT_MAX)


# A POST, so that the code travels in the body and never in a URL that a proxy would log.
@router.post("/lookup", response={200: LookupOut, **errors(*SIGNED_IN, 400, 422, 429)}, url_name="participant-lookup-api",
             summary="Find a participant by code (however it is typed)")
def lookup(request, payload: LookupIn):
    """`last_visit` is the latest visit at the caller's sites (every site for managers)."""
    recipe = current_recipe()
    try:
        normalised = codes.validate_code(recipe, payload.code[:100])
    except codes.CodeError as error:
        return Status(422, {"detail": code_error_message(error, recipe)})
    if queries.lookup_misses_exceeded(request.auth):
        return Status(429, {"detail": str(LOOKUP_PAUSED_MESSAGE)})
    participant = queries.participant_by_code(normalised)
    if participant is None:
        actions.participant_lookup_miss(actor=request.auth, request=request)
        return Status(200, {"found": False})
    actions.participant_view_audit(actor=request.auth, participant=participant, request=request, via="api")
    summary = queries.participant_summary(participant, user=request.auth)
    return Status(200, {"found": True, "display_id": participant.display_id, "visit_count": summary.visit_count,
                        "last_visit": _last_visit(summary)})


@router.post("", response={201: EnrolledOut, 409: AlreadyEnrolledOut, **errors(*SIGNED_IN, 400, 422)},
             url_name="participant-enroll-api", summary="Enrol a participant by code")
def enroll(request, payload: EnrollIn):
    site = None
    if payload.site_id is not None:
        site = sites_for(request.auth).filter(pk=payload.site_id, active=True).first()
        if site is None:
            return Status(422, {"detail": _("site_id is not one of your active sites.")})
    try:
        participant = actions.participant_enroll(actor=request.auth, code=payload.code, site=site, request=request)
    except ValidationError as error:
        for item in getattr(error, "error_dict", {}).get("code", []):
            if item.code == "already_enrolled":
                return Status(409, {"detail": item.message % item.params, "display_id": item.params["display_id"]})
        return Status(422, {"detail": " ".join(error.messages)})
    return Status(201, {"display_id": participant.display_id, "enrolled_at": participant.enrolled_at})
