"""The encounters part of the JSON API (mounted under /api/ by haven/api.py).

POST /api/encounters records a visit with the client's own id (idempotency key): the offline
queue and machine clients may retry freely. GET /api/encounters lists visits at the caller's sites.
"""

import datetime
import uuid
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from haven.core.api import ID_MAX, OFFSET_MAX, SIGNED_IN, TEXT_MAX, Date, DateTime, Id, errors
from haven.encounters import actions, queries
from haven.encounters.actions import (
    MAX_DOSES_PER_REVERSAL,
    MAX_KITS_PER_LINE,
    MAX_REVERSALS_PER_VISIT,
    MAX_SECONDARY_PEOPLE,
    MAX_SHARPS_CONTAINERS_RETURNED,
    MAX_SYRINGES_RETURNED,
    MAX_UNITS_PER_LINE,
)
from haven.encounters.models import Service
from haven.inventory.models import Item, Kit, KitItem
from haven.places.models import Area, Site

router = Router(tags=["encounters"])


# Bounds as the action's own (it says why in a sentence; the schema says it to machines).
MAX_LINES = 100


class SupplyIn(Schema):
    item_id: Id
    quantity: int = Field(ge=0, le=MAX_UNITS_PER_LINE)


class KitIn(Schema):
    kit_id: Id
    count: int = Field(ge=0, le=MAX_KITS_PER_LINE)


class ReversalIn(Schema):
    occurred_on: Date | None = None
    naloxone_doses_used: int | None = Field(None, ge=0, le=MAX_DOSES_PER_REVERSAL)
    outcome: str = Field("", max_length=TEXT_MAX)
    emergency_services_called: str = Field("", max_length=TEXT_MAX)
    area_id: Id | None = None


class EncounterIn(Schema):
    client_id: uuid.UUID
    participant: str | None = Field(None, max_length=TEXT_MAX,
                                    description="The participant's display id; null for an anonymous visit")
    site_id: Id
    service_mode: str | None = Field(None, max_length=TEXT_MAX, description="Default: the usual mode at the site")
    occurred_at: DateTime | None = None
    supplies: list[SupplyIn] = Field([], max_length=MAX_LINES)
    kits: list[KitIn] = Field([], max_length=MAX_LINES)
    services: list[Id] = Field([], max_length=MAX_LINES)
    syringes_returned: int = Field(0, ge=0, le=MAX_SYRINGES_RETURNED)
    returns_estimated: bool = False
    sharps_containers_returned: int = Field(0, ge=0, le=MAX_SHARPS_CONTAINERS_RETURNED)
    secondary_people: int = Field(0, ge=0, le=MAX_SECONDARY_PEOPLE)
    reversals: list[ReversalIn] = Field([], max_length=MAX_REVERSALS_PER_VISIT)
    source: Literal["api", "offline"] = "api"
    repeat: bool = Field(False, description="Same as last time: give the supplies and kits of the participant's "
                                            "last visit at your sites (or of `repeat_of`); supplies and kits in "
                                            "this request are ignored, services, returns and other people are "
                                            "taken from it")
    repeat_of: Id | None = Field(None, description="With `repeat`: the id of the visit to repeat (the one shown)")


class RecordedOut(Schema):
    id: int
    client_id: uuid.UUID
    created: bool


class SupplyOut(Schema):
    item_id: int
    quantity: int
    kit_id: int | None


class ReversalOut(Schema):
    occurred_on: datetime.date | None
    naloxone_doses_used: int
    outcome: str
    emergency_services_called: str
    area_id: int | None


class EncounterOut(Schema):
    id: int
    client_id: uuid.UUID
    participant: str | None
    site_id: int
    service_mode: str
    occurred_at: datetime.datetime
    staff: str | None
    source: str
    voided: bool
    supplies: list[SupplyOut]
    services: list[int]
    syringes_returned: int
    returns_estimated: bool
    sharps_containers_returned: int
    secondary_people: int
    syringes_given: int
    naloxone_doses_given: int
    reversals: list[ReversalOut]

    # Resolvers read the lines prefetched by queries.encounters_for: no query per visit.
    @staticmethod
    def resolve_participant(encounter):
        return encounter.participant.display_id if encounter.participant else None

    @staticmethod
    def resolve_staff(encounter):
        return encounter.staff.username if encounter.staff else None

    @staticmethod
    def resolve_voided(encounter):
        return encounter.voided_at is not None

    @staticmethod
    def resolve_supplies(encounter):
        return list(encounter.supplies.all())

    @staticmethod
    def resolve_services(encounter):
        return [service.pk for service in encounter.services.all()]

    @staticmethod
    def resolve_syringes_given(encounter):
        return queries.syringes_given(encounter)

    @staticmethod
    def resolve_naloxone_doses_given(encounter):
        return queries.naloxone_doses(encounter)

    @staticmethod
    def resolve_reversals(encounter):
        return list(encounter.reversals.all())


class ListFilters(Schema):
    since: DateTime | None = Field(None, description="Only visits that happened at or after this time")
    site: int | None = Field(None, ge=1, le=ID_MAX, description="Only visits at this site (one of yours)")


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000)
        offset: int = Field(0, ge=0, le=OFFSET_MAX)


def _unprocessable(errors: dict[str, list[str]]):
    return Status(422, {"detail": _("Nothing was saved. Fix the errors and send the visit again."), "errors": errors})


def _by_id(model, ids) -> dict:
    return model.objects.order_by().in_bulk(set(ids))  # no query for an empty list


def _kits_with_items(ids) -> dict:
    """Kits by id with their items and each item's catalog entry: two queries (none without kits)."""
    if not ids:
        return {}
    items = Prefetch("items", queryset=KitItem.objects.select_related("item").order_by())
    return Kit.objects.order_by().prefetch_related(items).in_bulk(set(ids))


def resolve_visit(payload: EncounterIn, errors: dict[str, list[str]]) -> dict:
    """Ids to objects; an unknown id is an error on its field, never a server error."""
    site = next(iter(Site.objects.filter(pk=payload.site_id).order_by()[:1]), None)
    if site is None:
        errors.setdefault("site", []).append(_("No site has this id."))
    participant = None
    if payload.participant:
        participant = queries.participant_by_display_id(payload.participant)
        if participant is None:
            errors.setdefault("participant", []).append(_("No participant has this id."))
    items = _by_id(Item, [line.item_id for line in payload.supplies])
    supplies = []
    for line in payload.supplies:
        if line.item_id not in items:
            errors.setdefault(f"item-{line.item_id}", []).append(_("No supply has this id."))
        else:
            supplies.append((items[line.item_id], line.quantity))
    kits_by_id = _kits_with_items([line.kit_id for line in payload.kits])
    kits = []
    for line in payload.kits:
        if line.kit_id not in kits_by_id:
            errors.setdefault(f"kit-{line.kit_id}", []).append(_("No kit has this id."))
        else:
            kits.append((kits_by_id[line.kit_id], line.count))
    services_by_id = _by_id(Service, payload.services)
    unknown_services = [pk for pk in payload.services if pk not in services_by_id]
    if unknown_services:
        errors.setdefault("services", []).append(_("No service has the id %(ids)s.")
                                                 % {"ids": ", ".join(map(str, unknown_services))})
    areas = _by_id(Area, [r.area_id for r in payload.reversals if r.area_id is not None])
    reversals = []
    for reversal in payload.reversals:
        if reversal.area_id is not None and reversal.area_id not in areas:
            errors.setdefault("reversal-area", []).append(_("No area has this id."))
        reversals.append({
            "occurred_on": reversal.occurred_on, "naloxone_doses_used": reversal.naloxone_doses_used,
            "outcome": reversal.outcome, "emergency_services_called": reversal.emergency_services_called,
            "area": areas.get(reversal.area_id),
        })
    service_mode = payload.service_mode
    if not service_mode and site is not None:
        service_mode = queries.MODE_FOR_SITE_KIND.get(site.kind)
    return {
        "client_id": payload.client_id, "participant": participant, "site": site, "service_mode": service_mode,
        "occurred_at": payload.occurred_at, "supplies": supplies, "kits": kits,
        "services": list(services_by_id.values()), "syringes_returned": payload.syringes_returned,
        "returns_estimated": payload.returns_estimated,
        "sharps_containers_returned": payload.sharps_containers_returned,
        "secondary_people": payload.secondary_people, "reversals": reversals, "source": payload.source,
    }


@router.get("", response={200: list[EncounterOut], **errors(*SIGNED_IN, 422)}, url_name="encounters-api",
            summary="Visits at your sites, newest first")
@paginate(Pagination)
def encounter_list(request, filters: Query[ListFilters]):
    site = None
    if filters.site is not None:
        site = queries.visible_sites(request.auth).filter(pk=filters.site).first()
        if site is None:
            return queries.encounters_for(request.auth).none()
    return queries.encounters_for(request.auth, site=site, since=filters.since)


def repeat_arguments(payload, arguments: dict) -> dict:
    """A repeat takes the supplies and kits of the earlier visit, everything else from this one."""
    kept = {name: value for name, value in arguments.items() if name not in ("supplies", "kits")}
    return {**kept, "previous_id": payload.repeat_of}


@router.post("", response={200: RecordedOut, 201: RecordedOut, **errors(*SIGNED_IN, 400, 422)},
             url_name="encounter-create-api", summary="Record a visit (idempotent by client_id)")
def encounter_create(request, payload: EncounterIn):
    errors: dict[str, list[str]] = {}
    arguments = resolve_visit(payload, errors)
    if errors:
        # A retry of a visit already saved is answered as saved, even if something it names has
        # gone since. When the ids resolve, the action makes the same check inside its transaction.
        existing = queries.encounter_by_client_id(payload.client_id)
        if existing is not None:
            return Status(200, {"id": existing.pk, "client_id": existing.client_id, "created": False})
        return _unprocessable(errors)
    try:
        if payload.repeat:
            encounter, created = actions.encounter_repeat(actor=request.auth, request=request, **repeat_arguments(payload, arguments))
        else:
            encounter, created = actions.encounter_record(actor=request.auth, request=request, **arguments)
    except ValidationError as error:
        return _unprocessable({field: [str(message) for message in messages]
                               for field, messages in error.message_dict.items()})
    except PermissionDenied:
        return Status(403, {"detail": _("You do not have permission to do this."), "errors": {}})
    return Status(201 if created else 200, {"id": encounter.pk, "client_id": encounter.client_id, "created": created})
