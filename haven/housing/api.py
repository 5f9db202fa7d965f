"""The housing part of the JSON API (mounted under /api/housing/ by haven/api.py).

Staff endpoints follow the permission matrix. The partner endpoints are public in the matrix because a
partner is not a staff account: each checks the partner's own directory token (X-Partner-Token) and only
reads or updates the beds of places that partner's organization runs. No address is ever in the API.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Header, Query, Router, Schema, Status

from haven.core.api import SIGNED_IN, TEXT_MAX, Id, errors
from haven.housing import actions, queries, vocabulary
from haven.housing.models import Bed, Property

router = Router(tags=["housing"])


class BedOut(Schema):
    bed_id: int
    bed: str
    place: str
    kind: str
    low_barrier: list[str]
    gender_policy: str
    phone: str


class PartnerBedOut(Schema):
    bed_id: int
    bed: str
    place: str
    status: str
    updated_at: datetime.datetime


class HoldIn(Schema):
    hours: int = Field(..., ge=1, le=actions.MAX_HOLD_HOURS)


class HoldOut(Schema):
    hold_id: int
    expires_at: datetime.datetime


class AvailabilityIn(Schema):
    bed_id: Id
    status: str = Field(..., max_length=20)


def _bed_out(entry):
    return {"bed_id": entry.bed.pk, "bed": entry.bed.label, "place": entry.property.name, "kind": entry.property.kind,
            "low_barrier": entry.property.low_barrier, "gender_policy": entry.property.gender_policy,
            "phone": entry.property.phone}


@router.get("/available", response={200: list[BedOut], **errors(*SIGNED_IN, 422)}, url_name="housing-available-api",
            summary="Beds free now (no hold), filtered by comma-separated low-barrier codes; never an address")
def available(request, needs: str = Query("", max_length=TEXT_MAX), kind: str = Query("", max_length=TEXT_MAX)):
    codes = [code for code in needs.split(",") if code]
    unknown = [code for code in codes if code not in vocabulary.LOW_BARRIER_CODES]
    if unknown or (kind and kind not in Property.Kind.values):
        return Status(422, {"detail": "Unknown low-barrier code or kind.", "errors": {}})
    return [_bed_out(entry) for entry in queries.available_now(request.auth, needs=codes, kind=kind)]


@router.post("/beds/{bed_id}/hold", response={201: HoldOut, 409: dict, **errors(*SIGNED_IN, 404, 422)},
             url_name="housing-hold-api", summary="Hold a free bed for some hours; 409 when someone else holds it")
def hold(request, bed_id: Id, payload: HoldIn):
    bed = Bed.objects.filter(pk=bed_id, property__in=queries.visible_properties(request.auth)).first()
    if bed is None:
        return Status(404, {"detail": "No bed you can see has this id.", "errors": {}})
    try:
        held = actions.bed_hold(actor=request.auth, bed=bed, hours=payload.hours, request=request)
    except actions.BedTaken as taken:
        return Status(409, {"detail": taken.messages[0]})
    return Status(201, {"hold_id": held.pk, "expires_at": held.expires_at})


def _partner(token):
    from haven.directory.actions import partner_for_token

    return partner_for_token(token)


@router.get("/partner/beds", auth=None, response={200: list[PartnerBedOut], **errors(401, 422)},
            url_name="housing-partner-beds-api", summary="A partner's view: the beds of the places it runs")
def partner_beds(request, x_partner_token: str = Header(..., max_length=TEXT_MAX)):
    partner = _partner(x_partner_token)
    if partner is None:
        return Status(401, {"detail": "The partner token is not valid or was revoked.", "errors": {}})
    return [{"bed_id": bed.pk, "bed": bed.label, "place": bed.property.name, "status": bed.status,
             "updated_at": bed.updated_at} for bed in queries.partner_beds(partner.organization)]


@router.post("/partner/availability", auth=None, url_name="housing-partner-availability-api",
             response={200: dict, 400: dict, **errors(401, 403, 404, 422)},
             summary="A partner says whether a bed of a place it runs is available, occupied or closed")
def partner_availability(request, payload: AvailabilityIn, x_partner_token: str = Header(..., max_length=TEXT_MAX)):
    partner = _partner(x_partner_token)
    if partner is None:
        return Status(401, {"detail": "The partner token is not valid or was revoked.", "errors": {}})
    bed = Bed.objects.select_related("property").filter(pk=payload.bed_id).first()
    if bed is None:
        return Status(404, {"detail": "No bed has this id.", "errors": {}})
    try:
        actions.bed_status_set(bed=bed, status=payload.status, partner=partner, request=request)
    except PermissionDenied:
        return Status(403, {"detail": "This bed is not in a place your organization runs.", "errors": {}})
    except ValidationError as problem:
        return Status(400, {"detail": problem.messages[0]})
    return Status(200, {"ok": True})
