"""Every write to encounters: validated before anything is saved, transactional and audited.

`encounter_record` is the one way a visit enters Haven: the entry page, the JSON API, the offline
queue (through the API) and the CSV importer all call it.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.accounts.models import User
from haven.core.audit import audit_record
from haven.encounters.models import Encounter, EncounterSupply, ReversalReport, Service, ServiceMode
from haven.encounters.queries import last_encounter, repeat_of, repeatable_encounter
from haven.inventory.actions import stock_draw_for_encounter, stock_return_for_void

# Limits that catch a slip of the thumb (an extra zero, a count typed into the wrong field) rather
# than any real visit. They are deliberately generous: a program can hand out a case of syringes
# (1,000) in one secondary exchange, and a disposal drop can bring back tens of thousands.
MAX_UNITS_PER_LINE = 1_000
MAX_KITS_PER_LINE = MAX_UNITS_PER_LINE
MAX_SYRINGES_RETURNED = 100_000
MAX_SHARPS_CONTAINERS_RETURNED = 1_000
MAX_SECONDARY_PEOPLE = 500
# A reversal rarely needs more than a few doses; more than this is almost certainly a typo.
MAX_DOSES_PER_REVERSAL = 20
MAX_REVERSALS_PER_VISIT = 10

# Phones' clocks drift; a visit a few minutes "in the future" is a clock, not a mistake.
FUTURE_TOLERANCE = datetime.timedelta(minutes=5)
# Entered now (on the page, the API or an offline queue) means the visit happened within a year;
# older visits come from a legacy log through the importer.
MAX_AGE = datetime.timedelta(days=365)
SOURCES_WITHOUT_AGE_LIMIT = frozenset({"import"})

# How long the person who recorded a visit may undo it themselves (a wrong tap at a busy table).
UNDO_WINDOW = datetime.timedelta(minutes=10)
# How long they may correct it themselves (the end of a shift, the next morning); coordinators and
# admins may correct a visit at any time.
CORRECTION_WINDOW = datetime.timedelta(hours=24)
MAX_REASON_LENGTH = 200

SOURCES = frozenset(value for value, _label in Encounter._meta.get_field("source").choices)


class _Errors:
    """Collects every problem at once, so a person fixes the form in one go."""

    def __init__(self):
        self.by_field: dict[str, list[str]] = defaultdict(list)

    def add(self, field: str, message: str) -> None:
        self.by_field[field].append(message)

    def count(self, field: str, value, *, limit: int, what: str) -> int:
        """A whole number from 0 to `limit`, or 0 with an error recorded."""
        if value is None or value == "":
            return 0
        if isinstance(value, bool) or not isinstance(value, int):
            try:
                value = int(str(value).strip())
            except (TypeError, ValueError):
                self.add(field, _("Enter %(what)s as a whole number.") % {"what": what})
                return 0
        if value < 0:
            self.add(field, _("%(what)s cannot be negative.") % {"what": capfirst(what)})
            return 0
        if value > limit:
            self.add(field, _("%(what)s cannot be more than %(limit)s. Check for an extra digit.")
                     % {"what": capfirst(what), "limit": f"{limit:,}"})
            return 0
        return value

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError({field: messages for field, messages in self.by_field.items()})


def capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def may_record_at(user, site) -> bool:
    # The membership row itself, without building a related manager: this runs on every visit.
    memberships = User.sites.through.objects
    return bool(user.sees_all_sites or memberships.filter(user_id=user.pk, site_id=site.pk).exists())


def _client_uuid(errors: _Errors, client_id):
    if isinstance(client_id, uuid.UUID):
        return client_id
    try:
        return uuid.UUID(str(client_id))
    except (TypeError, ValueError, AttributeError):
        errors.add("client_id", _("The form is missing its id. Reload the page and enter the visit again."))
        return None


def _when(errors: _Errors, occurred_at, *, source: str, now):
    if occurred_at in (None, ""):
        return now
    if isinstance(occurred_at, str):
        try:
            occurred_at = datetime.datetime.fromisoformat(occurred_at)
        except ValueError:
            errors.add("occurred_at", _("Enter the date and time of the visit."))
            return now
    if isinstance(occurred_at, datetime.date) and not isinstance(occurred_at, datetime.datetime):
        occurred_at = datetime.datetime.combine(occurred_at, datetime.time(12, 0))
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    if occurred_at > now + FUTURE_TOLERANCE:
        errors.add("occurred_at", _("The visit cannot be in the future. Check the date and time."))
    elif source not in SOURCES_WITHOUT_AGE_LIMIT and occurred_at < now - MAX_AGE:
        errors.add("occurred_at", _("The visit is more than a year ago. Older visits are entered by importing "
                                    "a log."))
    return occurred_at


def _supply_lines(errors: _Errors, supplies, kits) -> dict[tuple[int, int | None], tuple]:
    """(item id, kit id or None) -> [item, kit, quantity]: kits expanded and merged per item and kit."""
    lines: dict[tuple[int, int | None], list] = {}
    for item, quantity in supplies:
        field = f"item-{item.pk}"
        quantity = errors.count(field, quantity, limit=MAX_UNITS_PER_LINE, what=_("the number given"))
        if not quantity:
            continue
        if not item.active:
            errors.add(field, _("“%(name)s” is no longer offered. Remove it or ask a coordinator to reactivate "
                                "it.") % {"name": item.name})
            continue
        line = lines.setdefault((item.pk, None), [item, None, 0])
        line[2] += quantity
    for kit, count in kits:
        field = f"kit-{kit.pk}"
        count = errors.count(field, count, limit=MAX_KITS_PER_LINE, what=_("the number of kits"))
        if not count:
            continue
        if not kit.active:
            errors.add(field, _("The kit “%(name)s” is no longer offered.") % {"name": kit.name})
            continue
        for kit_item in kit.items.all():
            line = lines.setdefault((kit_item.item_id, kit.pk), [kit_item.item, kit, 0])
            line[2] += count * kit_item.quantity
    for (item_id, kit_id), (item, _kit, quantity) in lines.items():
        if quantity > MAX_UNITS_PER_LINE:
            field = f"kit-{kit_id}" if kit_id else f"item-{item_id}"
            errors.add(field, _("That makes %(quantity)s × “%(name)s”, more than %(limit)s in one visit. Check "
                                "the counts.") % {"quantity": f"{quantity:,}", "name": item.name,
                                                  "limit": f"{MAX_UNITS_PER_LINE:,}"})
    return lines


def _reversals(errors: _Errors, reversals, *, today) -> list[ReversalReport]:
    reports = []
    if len(reversals) > MAX_REVERSALS_PER_VISIT:
        errors.add("reversal", _("A visit can report at most %(limit)s reversals.") % {"limit": MAX_REVERSALS_PER_VISIT})
        return reports
    outcomes = set(ReversalReport.Outcome.values)
    answers = set(ReversalReport.YesNoUnknown.values)
    for reversal in reversals:
        occurred_on = reversal.get("occurred_on") or None
        if isinstance(occurred_on, str):
            try:
                occurred_on = datetime.date.fromisoformat(occurred_on)
            except ValueError:
                errors.add("reversal-occurred_on", _("Enter the date of the reversal."))
                occurred_on = None
        if isinstance(occurred_on, datetime.datetime):
            occurred_on = occurred_on.date()
        if occurred_on and occurred_on > today:
            errors.add("reversal-occurred_on", _("The reversal cannot be in the future."))
        doses = reversal.get("naloxone_doses_used")
        doses = 1 if doses in (None, "") else errors.count(
            "reversal-naloxone_doses_used", doses, limit=MAX_DOSES_PER_REVERSAL, what=_("the naloxone doses used"))
        outcome = reversal.get("outcome") or ReversalReport.Outcome.UNKNOWN
        if outcome not in outcomes:
            errors.add("reversal-outcome", _("Choose an outcome from the list."))
        came = reversal.get("emergency_services_called") or ReversalReport.YesNoUnknown.UNKNOWN
        if came not in answers:
            errors.add("reversal-emergency_services_called", _("Choose yes, no or unknown."))
        area = reversal.get("area")
        if area is not None and not area.active:
            errors.add("reversal-area", _("This area is inactive. Choose an active area."))
        reports.append(ReversalReport(occurred_on=occurred_on, naloxone_doses_used=doses, outcome=outcome,
                                      emergency_services_called=came, area=area))
    return reports


def _existing(client_id) -> Encounter | None:
    if not client_id:
        return None
    # client_id is unique: no ORDER BY needed.
    return next(iter(Encounter.objects.filter(client_id=client_id).order_by()[:1]), None)


@transaction.atomic
def encounter_record(*, actor, client_id, site, service_mode, participant=None, occurred_at=None,
                     supplies: Sequence = (), kits: Sequence = (), services: Iterable[Service] = (),
                     syringes_returned=0, returns_estimated=False, sharps_containers_returned=0,
                     secondary_people=0, reversals: Sequence[dict] = (), source="web",
                     request=None, corrects: Encounter | None = None) -> tuple[Encounter, bool]:
    """Record one visit; return it and whether it was new.

    The same `client_id` twice (a double tap, a retry, an offline queue syncing again) returns the
    first encounter and writes nothing. `corrects` is for `encounter_correct` only: the new visit
    is the corrected version of that one (same recorder and recording time, no age limit).
    """
    errors = _Errors()
    client_uuid = _client_uuid(errors, client_id)
    existing = _existing(client_uuid)
    if existing is not None:
        return existing, False

    if not actor.has_role_permission("encounters.record"):
        raise PermissionDenied("encounters.record")
    now = timezone.now()
    if source not in SOURCES:
        errors.add("source", _("Unknown source of the visit."))
    if site is None:
        errors.add("site", _("Choose the site of the visit."))
    elif not site.active:
        errors.add("site", _("This site is inactive. Choose an active site."))
    elif not may_record_at(actor, site):
        errors.add("site", _("You can record visits only at your own sites."))
    if service_mode not in ServiceMode.values:
        errors.add("service_mode", _("Choose how the visit happened (fixed site, mobile, outreach, mail or peer "
                                     "delivery)."))
    when = _when(errors, occurred_at, source="import" if corrects is not None else source, now=now)
    lines = _supply_lines(errors, supplies, kits)
    services = list(services)
    for service in services:
        if not service.active:
            errors.add("services", _("“%(name)s” is no longer offered.") % {"name": service.name})
    syringes_returned = errors.count("syringes_returned", syringes_returned, limit=MAX_SYRINGES_RETURNED,
                                     what=_("the syringes returned"))
    sharps_containers_returned = errors.count("sharps_containers_returned", sharps_containers_returned,
                                              limit=MAX_SHARPS_CONTAINERS_RETURNED,
                                              what=_("the sharps containers returned"))
    secondary_people = errors.count("secondary_people", secondary_people, limit=MAX_SECONDARY_PEOPLE,
                                    what=_("the number of other people"))
    reports = _reversals(errors, list(reversals), today=timezone.localdate(now))
    errors.raise_if_any()

    # A duplicate merged into another record still finds the person: the visit goes on the
    # participant it was merged into, so counts per person stay right.
    if participant is not None:
        participant = participant.canonical()

    encounter = Encounter(
        client_id=client_uuid, participant=participant, occurred_at=when, site=site, service_mode=service_mode,
        staff=actor if corrects is None else corrects.staff, secondary_people=secondary_people,
        syringes_returned=syringes_returned, returns_estimated=bool(returns_estimated),
        sharps_containers_returned=sharps_containers_returned, source=source,
        created_at=now if corrects is None else corrects.created_at, replaces=corrects,
    )
    try:
        # A savepoint: if another request saved this client_id a moment ago, this transaction
        # stays usable and returns the winner.
        with transaction.atomic():
            encounter.save(force_insert=True)
    except IntegrityError:
        winner = _existing(client_uuid)
        if winner is None:
            raise
        return winner, False

    EncounterSupply.objects.bulk_create(
        EncounterSupply(encounter=encounter, item=item, kit=kit, quantity=quantity)
        for item, kit, quantity in lines.values()
    )
    if services:
        encounter.services.set(services)
    for report in reports:
        report.encounter = encounter
    ReversalReport.objects.bulk_create(reports)

    # Imported visits are history: their supplies left the shelves long ago, and drawing them
    # from today's stock would only make shortfalls.
    if lines and source != "import":
        stock_draw_for_encounter(encounter=encounter, actor=actor,
             supplies=[(item, quantity) for item, _kit, quantity in lines.values()])

    audit_record(actor=actor, action="create", obj=encounter, request=request, detail={
        "source": source,
        "participant": participant is not None,
        "supply_lines": len(lines),
        "kits": len({kit_id for _item_id, kit_id in lines if kit_id}),
        "services": len(services),
        "reversals": len(reports),
    })
    return encounter, True


@transaction.atomic
def encounter_repeat(*, actor, client_id, participant, site, service_mode, occurred_at=None, source="web",
                     previous_id=None, services: Iterable[Service] = (), secondary_people=0, syringes_returned=0,
                     returns_estimated=False, sharps_containers_returned=0, reversals: Sequence[dict] = (),
                     request=None) -> tuple[Encounter, bool]:
    """“Same as last time”: a new visit that gives the supplies and kits of the participant's last
    visit at the actor's sites (or of `previous_id`, the visit the form showed).

    Services, the number of other people, returns and reversals come from this visit, never from
    the earlier one.
    """
    existing = _existing(_client_uuid(_Errors(), client_id))
    if existing is not None:
        return existing, False
    previous = None
    if participant is not None:
        previous = (repeatable_encounter(participant, previous_id, user=actor) if previous_id not in (None, "")
                    else last_encounter(participant, user=actor))
    if previous is None:
        raise ValidationError({"repeat": [_("There is no earlier visit to repeat. Enter this visit below.")]})
    return encounter_record(actor=actor, client_id=client_id, site=site, service_mode=service_mode,
                            participant=participant, occurred_at=occurred_at, source=source, request=request,
                            services=services, secondary_people=secondary_people,
                            syringes_returned=syringes_returned, returns_estimated=returns_estimated,
                            sharps_containers_returned=sharps_containers_returned, reversals=reversals,
                            **repeat_of(previous))


def may_correct(user, encounter: Encounter, *, now=None) -> bool:
    """The recorder for 24 hours, coordinators and admins at any time; never a voided visit."""
    if encounter.voided_at is not None:
        return False
    if user.has_role_permission("encounters.void"):
        return True
    now = now or timezone.now()
    return (encounter.staff_id == user.pk and user.has_role_permission("encounters.record")
            and now - encounter.created_at <= CORRECTION_WINDOW)


def correction_snapshot(encounter: Encounter) -> dict:
    """What a correction may change, as ids and counts only (the audit log holds no personal values)."""
    return {
        "participant": encounter.participant_id,
        "site": encounter.site_id,
        "service_mode": encounter.service_mode,
        "occurred_at": encounter.occurred_at.isoformat(timespec="minutes"),
        "supplies": sorted([line.item_id, line.kit_id or 0, line.quantity] for line in encounter.supplies.all()),
        "services": sorted(service.pk for service in encounter.services.all()),
        "syringes_returned": encounter.syringes_returned,
        "returns_estimated": encounter.returns_estimated,
        "sharps_containers_returned": encounter.sharps_containers_returned,
        "secondary_people": encounter.secondary_people,
    }


@transaction.atomic
def encounter_correct(*, actor, encounter: Encounter, reason: str, client_id, site, service_mode, participant=None,
                      occurred_at=None, supplies: Sequence = (), kits: Sequence = (),
                      services: Iterable[Service] = (), syringes_returned=0, returns_estimated=False,
                      sharps_containers_returned=0, secondary_people=0, request=None) -> Encounter:
    """Correct a visit: a new version with the corrected values replaces it, and the old one is
    voided with the reason (its stock goes back, the new one's is drawn, reports count the new one).

    Audited as an `update` (`"event": "correction"`) on the new version, with the fields changed, before and after (ids and
    counts), and the visit it replaced, whose `void_reason` holds the reason. Reversal reports are
    carried over unchanged. The same `client_id` twice returns the first correction.
    """
    existing = _existing(_client_uuid(_Errors(), client_id))
    if existing is not None and existing.replaces_id == encounter.pk:
        return existing
    old = _with_lines_for_update(encounter)
    if not may_correct(actor, old):
        if old.voided_at is not None:
            raise ValidationError({"reason": [_("This visit was already corrected or voided. Open its newest "
                                                "version.")]})
        raise PermissionDenied("encounters.correct")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": [_("Say why the visit is corrected, for the record.")]})
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError({"reason": [_("Keep the reason under 200 characters.")]})
    before = correction_snapshot(old)
    reversals = [{"occurred_on": report.occurred_on, "naloxone_doses_used": report.naloxone_doses_used,
                  "outcome": report.outcome, "emergency_services_called": report.emergency_services_called,
                  "area": report.area} for report in old.reversals.all()]
    new, _created = encounter_record(
        actor=actor, client_id=client_id, site=site, service_mode=service_mode, participant=participant,
        occurred_at=occurred_at, supplies=supplies, kits=kits, services=services,
        syringes_returned=syringes_returned, returns_estimated=returns_estimated,
        sharps_containers_returned=sharps_containers_returned, secondary_people=secondary_people,
        reversals=reversals, source=old.source, request=request, corrects=old)
    new = Encounter.objects.prefetch_related("supplies", "services").get(pk=new.pk)
    after = correction_snapshot(new)
    changed = [field for field in before if before[field] != after[field]]
    if not changed:
        # Rolls back the new version: a correction that changes nothing is not one.
        raise ValidationError(_("Nothing was changed. Change what was wrong, or go back."))

    old.voided_at = timezone.now()
    old.void_reason = reason
    old.save(update_fields=["voided_at", "void_reason"])
    if old.source != "import" and old.supplies.exists():
        stock_return_for_void(encounter=old, actor=actor)
    audit_record(actor=actor, action="void", obj=old, request=request,
                 detail={"fields": ["voided_at", "void_reason"], "replaced_by": new.pk})
    audit_record(actor=actor, action="update", obj=new, request=request, detail={
        "event": "correction", "replaces": old.pk, "fields": changed,
        "before": {field: before[field] for field in changed}, "after": {field: after[field] for field in changed},
    })
    # Reports follow by themselves: until the worker's rollup has seen this change they count the visits.
    return new


def _with_lines_for_update(encounter: Encounter) -> Encounter:
    locked = Encounter.objects.select_for_update().get(pk=encounter.pk)
    return Encounter.objects.prefetch_related("supplies", "services", "reversals").get(pk=locked.pk)


def may_undo(user, encounter: Encounter, *, now=None) -> bool:
    """The recorder may take back their own visit for a few minutes, without a manager."""
    now = now or timezone.now()
    return (encounter.voided_at is None and encounter.staff_id == user.pk
            and now - encounter.created_at <= UNDO_WINDOW)


@transaction.atomic
def encounter_void(*, actor, encounter: Encounter, reason: str, request=None) -> Encounter:
    """Mark a visit as entered by mistake. It stays (the ledger and the audit log refer to it) but
    is no longer counted, and its supplies go back into stock."""
    encounter = Encounter.objects.select_for_update().get(pk=encounter.pk)
    reason = (reason or "").strip()
    if not (actor.has_role_permission("encounters.void") or may_undo(actor, encounter)):
        raise PermissionDenied("encounters.void")
    errors = _Errors()
    if encounter.voided_at is not None:
        errors.add("reason", _("This visit was already voided."))
    if not reason:
        errors.add("reason", _("Say why the visit is voided, for the record."))
    elif len(reason) > Encounter._meta.get_field("void_reason").max_length:
        errors.add("reason", _("Keep the reason under 200 characters."))
    errors.raise_if_any()

    encounter.voided_at = timezone.now()
    encounter.void_reason = reason
    encounter.save(update_fields=["voided_at", "void_reason"])
    if encounter.supplies.exists():
        stock_return_for_void(encounter=encounter, actor=actor)
    audit_record(actor=actor, action="void", obj=encounter, request=request,
                 detail={"fields": ["voided_at", "void_reason"]})
    return encounter
