"""The monthly activity rollup: what reports read instead of millions of supply lines.

`rollup_refresh()` brings `ActivityRollup` up to date and is called before every report, so
reports stay exact: the first call builds it from every visit; later calls add the visits
recorded since (by id) and take away the visits voided since (from the audit log, whose order
is the commit order: `audit_record` serialises writers). Ids below the mark that were not yet
committed when it was read are kept in `pending_ids` and picked up when they appear.

Every report period is whole months in the program's time zone, so months are the grain. Counts
of distinct people are never rolled up (a sum of distinct counts is not a distinct count).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Case, Count, F, IntegerField, Max, Min, Q, Sum, Value, When, Window
from django.db.models.fields import DateField
from django.db.models.functions import RowNumber
from django.utils import timezone

from haven.core.audit import _POSTGRES_LOCK_ID  # the audit log's writer lock: see rollup_refresh
from haven.core.models import AuditEvent
from haven.encounters.models import Encounter, EncounterSupply, ReversalReport
from haven.reports.models import ActivityRollup, FirstVisit, ParticipantVisit, RollupState

VISIT, SUPPLY, SERVICE = "visit", "supply", "service"
# How many ids below the mark to check for visits not yet committed, and for how long.
PENDING_WINDOW = 1_000
PENDING_FOR = datetime.timedelta(hours=1)
AMOUNTS = ("amount", "anonymous", "returned", "reversals")


def _first_of_month(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date().replace(day=1)


def _months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, current = [], first
    while current <= last:
        months.append(current)
        current = (current.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return months


def _month_of(field_name: str, months: list[datetime.date]):
    """The local month of a visit as plain SQL comparisons over the month boundaries."""
    zone = timezone.get_current_timezone()
    following = [*months[1:], (months[-1].replace(day=28) + datetime.timedelta(days=4)).replace(day=1)]
    whens = [When(**{f"{field_name}__lt": datetime.datetime.combine(end, datetime.time(), tzinfo=zone)},
                  then=Value(month)) for month, end in zip(months, following, strict=True)]
    return Case(*whens, default=Value(months[-1]), output_field=DateField())


def _flag(condition: Q):
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def aggregate(visits: Q) -> dict[tuple, dict[str, int]]:
    """Rollup rows for the visits matching `visits` (a Q on Encounter): key -> amounts."""
    span = Encounter.objects.filter(visits).aggregate(first=Min("occurred_at"), last=Max("occurred_at"))
    if span["first"] is None:
        return {}
    months = _months_between(_first_of_month(span["first"]), _first_of_month(span["last"]))
    rows: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(AMOUNTS, 0))
    on_visits = Encounter.objects.filter(visits).annotate(m=_month_of("occurred_at", months))
    for row in on_visits.values("m", "site_id", "service_mode").annotate(
            n=Count("id"), anonymous=Count("id", filter=Q(participant__isnull=True)),
            returned=Sum("syringes_returned")).order_by():
        key = (row["m"], row["site_id"], row["service_mode"], VISIT, 0, False, False)
        rows[key].update(amount=row["n"], anonymous=row["anonymous"], returned=row["returned"] or 0)
    prefixed = Q(encounter__in=Encounter.objects.filter(visits).values("pk"))
    reversals = ReversalReport.objects.filter(prefixed).annotate(m=_month_of("encounter__occurred_at", months))
    for row in reversals.values("m", "encounter__site_id", "encounter__service_mode").annotate(
            n=Count("id")).order_by():
        key = (row["m"], row["encounter__site_id"], row["encounter__service_mode"], VISIT, 0, False, False)
        rows[key]["reversals"] += row["n"]
    supplies = EncounterSupply.objects.filter(prefixed).annotate(
        m=_month_of("encounter__occurred_at", months), secondary=_flag(Q(encounter__secondary_people__gt=0)),
        identified=_flag(Q(encounter__participant__isnull=False)))
    for row in supplies.values("m", "encounter__site_id", "encounter__service_mode", "item_id", "secondary",
                               "identified").annotate(quantity=Sum("quantity")).order_by():
        key = (row["m"], row["encounter__site_id"], row["encounter__service_mode"], SUPPLY, row["item_id"],
               bool(row["secondary"]), bool(row["identified"]))
        rows[key]["amount"] += row["quantity"] or 0
    given = Encounter.services.through.objects.filter(prefixed).annotate(m=_month_of("encounter__occurred_at",
                                                                                      months))
    for row in given.values("m", "encounter__site_id", "encounter__service_mode", "service_id").annotate(
            n=Count("id")).order_by():
        key = (row["m"], row["encounter__site_id"], row["encounter__service_mode"], SERVICE, row["service_id"],
               False, False)
        rows[key]["amount"] += row["n"]
    return rows


def _apply(deltas: dict[tuple, dict[str, int]], sign: int) -> None:
    if not deltas:
        return
    months = {key[0] for key in deltas}
    existing = {(row.month, row.site_id, row.service_mode, row.kind, row.ref, row.secondary, row.identified): row
                for row in ActivityRollup.objects.filter(month__in=months)}
    changed, created = [], []
    for key, amounts in deltas.items():
        row = existing.get(key)
        if row is None:
            row = ActivityRollup(month=key[0], site_id=key[1], service_mode=key[2], kind=key[3], ref=key[4],
                                 secondary=key[5], identified=key[6])
            created.append(row)
        else:
            changed.append(row)
        for name in AMOUNTS:
            setattr(row, name, getattr(row, name) + sign * amounts[name])
    # A row that a void brought back to nothing goes, so that reports list no empty detail rows.
    emptied = [row.pk for row in changed if not any(getattr(row, name) for name in AMOUNTS)]
    ActivityRollup.objects.bulk_create(created, batch_size=2_000)
    ActivityRollup.objects.bulk_update([row for row in changed if row.pk not in emptied], AMOUNTS, batch_size=2_000)
    ActivityRollup.objects.filter(pk__in=emptied).delete()


def _missing_ids(low: int, high: int) -> list[int]:
    """Ids in (low, high] with no visit (yet): rolled back, or not committed when we looked."""
    low = max(low, high - PENDING_WINDOW)
    if high <= low:
        return []
    present = set(Encounter.objects.filter(pk__gt=low, pk__lte=high).values_list("pk", flat=True))
    return [number for number in range(low + 1, high + 1) if number not in present]


def _add_participant_visits(visits: Q) -> None:
    rows = Encounter.objects.filter(visits, voided_at__isnull=True, participant__isnull=False).values_list(
        "pk", "occurred_at", "participant_id", "site_id", "service_mode")
    ParticipantVisit.objects.bulk_create(
        (ParticipantVisit(encounter_id=pk, occurred_at=occurred_at, participant_id=participant, site_id=site,
                          service_mode=mode) for pk, occurred_at, participant, site, mode in rows.iterator()),
        batch_size=5_000, ignore_conflicts=True)


def _refresh_first_visits(participant_ids: set[int] | None) -> None:
    """Recompute the first visit of these participants (None: of everyone)."""
    visits = Encounter.objects.filter(voided_at__isnull=True, participant__isnull=False)
    if participant_ids is not None:
        if not participant_ids:
            return
        visits = visits.filter(participant_id__in=participant_ids)
        FirstVisit.objects.filter(participant_id__in=participant_ids).delete()
    else:
        FirstVisit.objects.all().delete()
    ranked = visits.annotate(rank=Window(RowNumber(), partition_by=[F("participant_id")],
                                         order_by=[F("occurred_at").asc(), F("id").asc()])).filter(rank=1)
    FirstVisit.objects.bulk_create(
        (FirstVisit(participant_id=row["participant_id"], encounter_id=row["pk"], occurred_at=row["occurred_at"],
                    site_id=row["site_id"], service_mode=row["service_mode"])
         for row in ranked.values("participant_id", "pk", "occurred_at", "site_id", "service_mode").iterator()),
        batch_size=2_000)


@transaction.atomic
def rollup_refresh() -> RollupState:
    """Bring the rollup up to date with every visit and void committed so far."""
    if connection.vendor == "postgresql":
        # The audit writers' lock: no visit or void commits while we read, so the audit sequence
        # and the visit ids we see are a consistent cut. (SQLite's IMMEDIATE transaction already
        # holds the database's write lock.)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_POSTGRES_LOCK_ID])
    state, _created = RollupState.objects.select_for_update().get_or_create(pk=RollupState.SINGLETON_PK)
    now = timezone.now()
    audit_now = AuditEvent.objects.aggregate(last=Max("sequence"))["last"] or 0
    newest = Encounter.objects.aggregate(last=Max("pk"))["last"] or 0
    if state.built_at is None:
        ActivityRollup.objects.all().delete()
        _apply(aggregate(Q(voided_at__isnull=True)), +1)
        _refresh_first_visits(None)
        ParticipantVisit.objects.all().delete()
        _add_participant_visits(Q())
        state.pending_ids = [[number, now.isoformat()] for number in _missing_ids(0, newest)]
        state.built_at = now
    else:
        pending = {number: since for number, since in state.pending_ids}
        arrived = set(Encounter.objects.filter(pk__in=list(pending)).values_list("pk", flat=True))
        new_visits = Q(pk__gt=state.last_encounter_id) | Q(pk__in=arrived)
        if newest > state.last_encounter_id or arrived:
            _apply(aggregate(new_visits & Q(voided_at__isnull=True, pk__lte=newest)), +1)
        voided = {int(object_id) for object_id in AuditEvent.objects.filter(
            sequence__gt=state.last_audit_sequence, sequence__lte=audit_now, action="void",
            object_type=Encounter._meta.label_lower).values_list("object_id", flat=True) if object_id.isdigit()}
        # Only visits already in the rollup are taken out; the others were read as voided.
        counted_before = {number for number in voided if number <= state.last_encounter_id and number not in pending}
        if counted_before:
            _apply(aggregate(Q(pk__in=counted_before)), -1)
        ParticipantVisit.objects.filter(encounter_id__in=voided).delete()
        if newest > state.last_encounter_id or arrived:
            _add_participant_visits(new_visits & Q(pk__lte=newest))
        still = {number: since for number, since in pending.items()
                 if number not in arrived and now - datetime.datetime.fromisoformat(since) < PENDING_FOR}
        if newest > state.last_encounter_id:
            still.update({number: now.isoformat() for number in _missing_ids(state.last_encounter_id, newest)})
        state.pending_ids = [[number, since] for number, since in sorted(still.items())]
        # Whose first visit may have changed: people with new or voided visits, and merges.
        merged = {int(object_id) for object_id in AuditEvent.objects.filter(
            sequence__gt=state.last_audit_sequence, sequence__lte=audit_now, action="merge",
            object_type="participants.participant").values_list("object_id", flat=True) if object_id.isdigit()}
        if merged:
            # A merge moves the duplicate's visits to the participant kept: copy who they are now.
            moved = Encounter.objects.filter(participant_id__in=merged, voided_at__isnull=True)
            ParticipantVisit.objects.filter(encounter_id__in=moved.values("pk")).delete()
            _add_participant_visits(Q(pk__in=moved.values("pk")))
        touched = Encounter.objects.filter((new_visits & Q(pk__lte=newest)) | Q(pk__in=voided),
                                           participant__isnull=False)
        _refresh_first_visits(merged | set(touched.values_list("participant_id", flat=True).distinct()))
    state.last_encounter_id = max(newest, state.last_encounter_id)
    state.last_audit_sequence = audit_now
    state.refreshed_at = now
    state.save()
    return state
