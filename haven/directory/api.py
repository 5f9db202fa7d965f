"""The directory part of the JSON API (mounted under /api/directory/ by haven/api.py).

Staff endpoints follow the permission matrix. The partner endpoints are public in the matrix because
a partner is not a staff account: each one checks the partner's own token (X-Partner-Token) and only
writes that partner's organization's entries.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from ninja import Field, Header, Query, Router, Schema, Status

from haven.core.api import SIGNED_IN, TEXT_MAX, errors
from haven.directory import actions, hsds, queries
from haven.directory.models import Service

router = Router(tags=["directory"])


class ServiceOut(Schema):
    id: str
    name: str
    organization: str
    status: str
    category: str
    low_barrier: list[str]
    beds_available: str
    slots_available: str
    availability_updated: str
    open_now: bool


class AvailabilityIn(Schema):
    service_id: str = Field(..., max_length=TEXT_MAX)
    beds: int | None = Field(None, ge=0, le=100_000)
    slots: int | None = Field(None, ge=0, le=100_000)


@router.get("/services", response={200: list[ServiceOut], **errors(*SIGNED_IN, 422)}, url_name="directory-services-api",
            summary="Directory services, filtered like the public page (needs: comma-separated low-barrier codes)")
def services(request, q: str = Query("", max_length=TEXT_MAX), category: str = Query("", max_length=TEXT_MAX),
             needs: str = Query("", max_length=TEXT_MAX), language: str = Query("", max_length=TEXT_MAX),
             open_now: bool = False):
    filters = queries.Filters(text=q[:100], category=category, language=language, open_now=open_now,
                              low_barrier=[code for code in needs.split(",") if code])
    return [{"id": str(card.service.pk), "name": card.service.name, "organization": card.service.organization.name,
             "status": card.service.status, "category": card.category, "low_barrier": card.low_barrier,
             "beds_available": card.beds, "slots_available": card.slots,
             "availability_updated": card.availability_updated, "open_now": card.open_now}
            for card in queries.service_cards(filters, statuses=Service.Status.values)]


@router.get("/package", response={200: dict, **errors(*SIGNED_IN)}, url_name="directory-package-api", summary="The whole directory as an HSDS 3.0 JSON package")
def package(request):
    return hsds.json_from_tables(queries.directory_tables())


def _partner_or_error(token):
    partner = actions.partner_for_token(token)
    if partner is None:
        return None, Status(401, {"detail": "The partner token is not valid or was revoked."})
    return partner, None


@router.post("/partner/package", auth=None, url_name="directory-partner-package-api",
             response={200: dict, 400: dict, **errors(401, 422)},
             summary="A partner replaces or adds its own entries with an HSDS JSON document (all or nothing)")
def partner_package(request, x_partner_token: str = Header(..., max_length=TEXT_MAX)):
    partner, error = _partner_or_error(x_partner_token)
    if error:
        return error
    import json

    try:
        tables, report = hsds.tables_from_json(json.loads(request.body or b"null"))
        actions.directory_import(actor=None, tables=tables, report=report, organization=partner.organization,
                                 request=request)
    except (ValueError, hsds.PackageError) as problem:
        return Status(400, {"ok": False, "detail": str(problem)})
    except ValidationError as problem:
        return Status(400, problem.params["report"].as_dict())
    return Status(200, report.as_dict())


@router.post("/partner/availability", auth=None, url_name="directory-partner-availability-api",
             response={200: dict, 400: dict, **errors(401, 404, 422)},
             summary="A partner updates beds or places free at one of its own services")
def partner_availability(request, payload: AvailabilityIn, x_partner_token: str = Header(..., max_length=TEXT_MAX)):
    partner, error = _partner_or_error(x_partner_token)
    if error:
        return error
    service = Service.objects.filter(pk=payload.service_id if hsds.UUID.match(payload.service_id) else None,
                                     organization=partner.organization).first()
    if service is None:
        return Status(404, {"detail": "No service of this partner has this id."})
    try:
        actions.availability_update(service=service, beds=payload.beds, slots=payload.slots, partner=partner,
                                    request=request)
    except ValidationError as problem:
        return Status(400, {"detail": problem.messages[0]})
    return Status(200, {"ok": True})
