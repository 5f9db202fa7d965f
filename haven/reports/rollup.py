"""The monthly activity rollup: what reports read instead of millions of supply lines.

Reads never write: `rollup_refresh()` runs in the worker (reports/jobs.py, every
REFRESH_EVERY), never in a report. A report asks `rollup_current()` (read-only) whether the rollup
has seen every visit and every void and merge; if so it reads the rollup, else it counts from
the visits, exactly, and says which (`Results.source`).

The first refresh builds the rollup in chunks of BUILD_CHUNK visit ids (by database), each read
outside any transaction and applied in a short one, so that building over millions of visits never
holds the database's write lock for long and visit logging goes on meanwhile. Later refreshes add the
visits recorded since (by id) and take away the visits voided since (from the audit log, whose
order is the commit order: `audit_record` serialises writers; the rollup reads the audit rows of
voids and merges, which is why the audit log's sequence is part of its state). Ids below the
mark that were not yet committed when it was read are kept in `pending_ids` and picked up when
they appear.

Every report period is whole months in the program's time zone, so months are the grain. Counts
of distinct people are never rolled up from months (a sum of distinct counts is not a distinct
count): ParticipantYear holds each person's months of a year, a bit each, and MonthReach counts
those rows by their first month from each month on, which is what a period within one year needs.
"""

from __future__ import annotations

import datetime
import time
from collections import defaultdict

from django.db import connection, models, transaction
from django.db.models import Case, Count, F, IntegerField, Max, Min, Q, Sum, Value, When, Window
from django.db.models.fields import DateField
from django.db.models.functions import RowNumber
from django.utils import timezone

from haven.core.audit import _POSTGRES_LOCK_ID  # the audit log's writer lock: see rollup_refresh
from haven.core.models import AuditEvent
from haven.encounters.models import Encounter, EncounterSupply, ReversalReport, ServiceMode
from haven.reports.models import (
    ActivityRollup,
    FirstVisit,
    MonthReach,
    ParticipantVisit,
    ParticipantYear,
    RollupState,
)

VISIT, SUPPLY, SERVICE = "visit", "supply", "service"
# ParticipantYear rows of every mode of a site, and of the whole program (no site has id 0).
ALL_MODES, ALL_SITES = "", 0
# How many ids below the mark to check for visits not yet committed, and for how long.
PENDING_WINDOW = 1_000
PENDING_FOR = datetime.timedelta(hours=1)
AMOUNTS = ("amount", "anonymous", "returned", "reversals")


# The first and last moment of some visits. The COUNT is there for PostgreSQL: with MIN and MAX
# alone it reads them from the index on occurred_at, from either end until a row of the id range
# turns up (a million index entries for a chunk in the middle of 2 million visits: 0.3 s), instead
# of reading the few rows of the range.
_SPAN = {"first": Min("occurred_at"), "last": Max("occurred_at"), "rows": Count("pk")}


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
    span = Encounter.objects.filter(visits).aggregate(**_SPAN)
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


LEVELS = (("site_id", "service_mode", ["site_id", "service_mode"]),  # (site, mode, grouped by): ParticipantYear
          ("site_id", f"'{ALL_MODES}'", ["site_id"]),
          (str(ALL_SITES), "service_mode", ["service_mode"]),
          (str(ALL_SITES), f"'{ALL_MODES}'", []))


# Add months to a ParticipantYear row, and leave a row whose months are all there already as it is
# (a chunk's people often came in a month that an earlier chunk already had): an update writes a new
# row version and, as `months` is in an index, new index entries, even when nothing changes.
_YEARS = ParticipantYear._meta.db_table
_OR_MONTHS = f"months = {_YEARS}.months | excluded.months WHERE {_YEARS}.months | excluded.months <> {_YEARS}.months"


def _insert_participant_years(participant_ids: set[int] | None, *, visits: tuple[int, int] | None = None,
                              levels: int = len(LEVELS)) -> None:
    """Write these participants' months per year, site and mode from the visit copy (None: everyone's),
    and the same per site (service_mode ALL_MODES), per mode (site ALL_SITES) and per year (both),
    in one INSERT ... SELECT: a CASE over the local month boundaries gives each visit's month, and
    the sum of the distinct month bits of a year is their bitwise OR. `visits` (low, high]: add
    the months of the copies of these visits to the rows already there (the build's chunks, which
    write the first level only, `levels` 1: _add_participant_year_levels adds the others).

    Some participants' rows (the catch-up's) come from their visits that count, the same visits
    as their copies, found by the visits' index on the participant (the copies have none)."""
    rows, source, where_always = ParticipantVisit.objects.all(), ParticipantVisit._meta.db_table, []
    ids = sorted(participant_ids) if participant_ids is not None else []
    if participant_ids is not None:
        if not ids:
            return
        rows = Encounter.objects.filter(voided_at__isnull=True, participant_id__in=ids)
        source, where_always = Encounter._meta.db_table, ["voided_at IS NULL"]
    if visits is not None:
        rows = rows.filter(encounter_id__gt=visits[0], encounter_id__lte=visits[1])
    span = rows.aggregate(**_SPAN)
    if span["first"] is None:
        return
    months = _months_between(_first_of_month(span["first"]), _first_of_month(span["last"]))
    case, bounds = _month_case("occurred_at", months, [month.year * 12 + month.month - 1 for month in months])
    table = ParticipantYear._meta.db_table
    upsert = (f" ON CONFLICT (year, site_id, service_mode, participant_id) DO UPDATE SET {_OR_MONTHS}"
              if visits else "")
    for start in range(0, max(len(ids), 1), 500):
        part = ids[start:start + 500]
        where, params = [*where_always], [*bounds]
        if part:
            where.append(f"participant_id IN ({', '.join(['%s'] * len(part))})")
            params += part
        if visits:
            where.append("encounter_id > %s AND encounter_id <= %s")
            params += list(visits)
        # The bitwise OR of a year's month bits: BIT_OR where there is one, else the sum of the distinct bits.
        union = "BIT_OR(" if connection.vendor == "postgresql" else "SUM(DISTINCT"
        with connection.cursor() as cursor:
            # Four levels: per site and mode, per site (every mode), per mode (every site), program-wide.
            for site, mode, grouped in LEVELS[:levels]:
                cursor.execute(
                    f"INSERT INTO {table} (participant_id, site_id, service_mode, year, months) "
                    f"SELECT participant_id, {site}, {mode}, ym / 12, {union}(1 << (ym %% 12))) FROM "
                    f"(SELECT participant_id, site_id, service_mode, {case} AS ym FROM "
                    f"{source} {'WHERE ' + ' AND '.join(where) if where else ''}) AS visits "
                    # WHERE true: SQLite needs it between a SELECT and ON CONFLICT.
                    f"WHERE 1 = 1 GROUP BY {', '.join(['participant_id', *grouped])}, ym / 12{upsert}", params)


def _add_participant_year_levels(low: int, high: int, *, upsert: bool = True) -> None:
    """The per-site, per-mode and program-wide ParticipantYear rows of the participants with ids
    in (low, high], from their rows per site and mode: a person's months are the bitwise OR of
    theirs, added to any rows already there. PostgreSQL ORs them with BIT_OR; SQLite has none,
    but its upsert goes row by row, so each row per site and mode is ORed into its level's row
    by ON CONFLICT, in key order (no GROUP BY: a quarter cheaper than twelve MAX(months & bit) a row).
    Without `upsert` (PostgreSQL's first build, whose table has no unique index yet) the rows are new."""
    table = ParticipantYear._meta.db_table
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for site, mode, grouped in LEVELS[1:]:
            tail = (f"GROUP BY {', '.join(['participant_id', *grouped])}, year" if postgres
                    else "ORDER BY year, participant_id")
            cursor.execute(
                f"INSERT INTO {table} (participant_id, site_id, service_mode, year, months) "
                f"SELECT participant_id, {site}, {mode}, year, {'BIT_OR(months)' if postgres else 'months'} "
                f"FROM {table} WHERE participant_id > %s AND participant_id <= %s AND site_id <> %s "
                f"AND service_mode <> %s {tail} "
                + (f"ON CONFLICT (year, site_id, service_mode, participant_id) DO UPDATE SET {_OR_MONTHS}"
                   if upsert else ""),
                [low, high, ALL_SITES, ALL_MODES])


def _refresh_participant_years(participant_ids: set[int]) -> None:
    if participant_ids:
        before = _people_reach(participant_ids)
        ParticipantYear.objects.filter(participant_id__in=participant_ids).delete()
        _insert_participant_years(participant_ids)
        _add_reach(before, _people_reach(participant_ids))


def reach_of(patterns) -> dict[tuple, int]:
    """MonthReach counts of ParticipantYear rows: from (year, mode, site, months, rows) to
    (year, mode, site, start, first) -> rows, where `first` is the first month on or after month
    `start` (1 = January) in `months` (a bit per month, January = 1)."""
    cells: dict[tuple, int] = defaultdict(int)
    for year, mode, site, months, rows in patterns:
        for start in range(1, 13):
            later = months >> (start - 1)
            if not later:
                break
            cells[(year, mode, site, start, start + (later & -later).bit_length() - 1)] += rows
    return cells


_REACH = MonthReach._meta.db_table
_REACH_KEY = "year, service_mode, site_id, start, first"


def _patterns(where: str = "", params=()) -> list[tuple]:
    """(year, mode, site, months, rows) of the ParticipantYear rows `where` picks."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT year, service_mode, site_id, months, COUNT(*) FROM {_YEARS} {where} "
                       f"GROUP BY year, service_mode, site_id, months", list(params))
        return cursor.fetchall()


def _people_reach(participant_ids: set[int]) -> dict[tuple, int]:
    """The MonthReach counts of these participants' ParticipantYear rows."""
    ids = sorted(participant_ids)
    cells: dict[tuple, int] = defaultdict(int)
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        for key, rows in reach_of(_patterns(f"WHERE participant_id IN ({', '.join(['%s'] * len(part))})",
                                            part)).items():
            cells[key] += rows
    return cells


def _add_reach(before: dict[tuple, int], after: dict[tuple, int]) -> None:
    """Some people's ParticipantYear rows changed, and with them their MonthReach counts from
    `before` to `after`: add the difference (mostly nothing: a person who comes again in a month
    they already came in changes no count). A count that comes to nothing goes."""
    rows = [(*key, after.get(key, 0) - before.get(key, 0)) for key in before.keys() | after.keys()
            if after.get(key, 0) != before.get(key, 0)]
    with connection.cursor() as cursor:
        _insert_rows(cursor, _REACH, f"{_REACH_KEY}, people", rows,
                     f"ON CONFLICT ({_REACH_KEY}) DO UPDATE SET people = {_REACH}.people + excluded.people")
        if any(after.get(key, 0) < people for key, people in before.items()):
            cursor.execute(f"DELETE FROM {_REACH} WHERE people = 0")


def _insert_rows(cursor, table: str, columns: str, rows: list[tuple], tail: str) -> None:
    """INSERT these rows, 1,000 a statement (one round trip each), each statement ending in `tail`
    (an ON CONFLICT clause)."""
    for start in range(0, len(rows), 1_000):
        part = rows[start:start + 1_000]
        values = ", ".join([f"({', '.join(['%s'] * len(part[0]))})"] * len(part))
        cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values} {tail}", [value for row in part for value in row])


def _year_reach(year: int | None) -> dict[tuple, int]:
    """The MonthReach counts of one year's ParticipantYear rows (None: every year's)."""
    return reach_of(_patterns(*(("WHERE year = %s", [year]) if year is not None else ())))


def _write_year_reach(year: int | None, cells: dict[tuple, int]) -> None:
    """Put these counts of a year (None: of every year) in place of the ones there (a repeat
    changes nothing)."""
    (MonthReach.objects.filter(year=year) if year is not None else MonthReach.objects.all()).delete()
    MonthReach.objects.bulk_create((MonthReach(year=year, service_mode=mode, site_id=site, start=start, first=first,
                                               people=people)
                                    for (year, mode, site, start, first), people in cells.items()), batch_size=2_000)


# How many ParticipantYear levels a build's chunk writes, by database.
# SQLite: the first, as an upsert per chunk; the others at the end, in short transactions, as its
# one write lock must be let go often. PostgreSQL: none; every level at the end, in one GROUP BY
# each over the copies (3 s against 10 s of upserts per chunk and levels per 1,500 people): there
# a long transaction blocks no visit.
_CHUNK_LEVELS = {"sqlite": 1, "postgresql": 0}
# Visit ids per build step, by database: one short write transaction each. SQLite: 0.1-0.3 s, as
# its one write lock is let go between them for visits to be logged. PostgreSQL locks nothing that
# logging a visit needs, and fewer, larger chunks update fewer ActivityRollup rows (0.2 s each).
BUILD_CHUNK = {"sqlite": 25_000, "postgresql": 100_000}
PARTICIPANTS_PER_TRANSACTION = 1_500  # about 0.13 s of SQLite per transaction
DELETE_PER_TRANSACTION = 50_000
BUILD_PAUSE_MARGIN = 0.005  # seconds added to a waiting writer's sleep: _let_writers_in
REFRESH_EVERY = datetime.timedelta(minutes=1)


def _state() -> RollupState:
    state = RollupState.objects.filter(pk=RollupState.SINGLETON_PK).first()
    if state is None:
        state, _created = RollupState.objects.get_or_create(pk=RollupState.SINGLETON_PK)
    return state


def rollup_current() -> RollupState | None:
    """The rollup's state if it has seen every visit, void and merge committed so far, else None.
    Read-only: a handful of indexed lookups."""
    state = RollupState.objects.filter(pk=RollupState.SINGLETON_PK).first()
    if state is None or state.built_at is None:
        return None
    if Encounter.objects.filter(pk__gt=state.last_encounter_id).exists():
        return None
    pending = [number for number, _since in state.pending_ids]
    if pending and Encounter.objects.filter(pk__in=pending).exists():
        return None
    if AuditEvent.objects.filter(sequence__gt=state.last_audit_sequence, action__in=("void", "merge"),
                                 object_type__in=(Encounter._meta.label_lower, "participants.participant")).exists():
        return None
    return state


def rollup_refresh(*, chunk: int | None = None) -> RollupState:
    """Bring the rollup up to date with every visit and void committed so far (the worker's job)."""
    chunk = chunk or BUILD_CHUNK.get(connection.vendor, BUILD_CHUNK["sqlite"])
    while _state().built_at is None:
        _build_step(chunk)
    return _catch_up()


# SQLite's busy handler (sqliteDefaultBusyCallback, built with usleep) sleeps these many
# milliseconds between tries, then 100 ms at a time: a writer that has waited longer sleeps longer.
_BUSY_SLEEPS_MS = (1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50)
_last_write = {"ended": 0.0, "took": 0.0}


def _busy_sleep(waited: float) -> float:
    """How long a writer that has waited `waited` seconds sleeps before its next try (at most)."""
    slept = 0
    for sleep in _BUSY_SLEEPS_MS:
        slept += sleep
        if slept > waited * 1000:
            return sleep / 1000
    return 0.1


def _let_writers_in() -> None:
    """Between two write transactions that would otherwise follow each other at once (SQLite), a
    pause as long as the sleep of a writer that began waiting when the last one began (its busy
    handler sleeps longer the longer it has waited), so that a visit waiting for the write lock
    tries again, and gets it, before the next transaction takes it: it waits for one transaction
    at most. After a 100 ms transaction that is 25 ms, not the 100 ms of a long wait. (A chunk's
    transactions are apart already: the next chunk is read in between. PostgreSQL: the build
    locks no table, and visits are logged meanwhile.)"""
    if connection.vendor == "sqlite":
        pause = _busy_sleep(_last_write["took"]) + BUILD_PAUSE_MARGIN
        time.sleep(max(0.0, pause - (time.perf_counter() - _last_write["ended"])))


class _timed_write(transaction.Atomic):
    """transaction.atomic() that notes how long it held the write lock, for _let_writers_in."""

    def __init__(self):
        super().__init__(using=None, savepoint=True, durable=False)

    def __enter__(self):
        self.began = time.perf_counter()
        entered = super().__enter__()
        if connection.vendor == "postgresql":
            # The build's commits need not wait for the disk: after a crash, a lost commit takes
            # its rows and RollupState's progress together, and the step is done again.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        return entered

    def __exit__(self, *exception):
        try:
            return super().__exit__(*exception)
        finally:
            _last_write["ended"] = time.perf_counter()
            _last_write["took"] = _last_write["ended"] - self.began


def _this_step(state: RollupState, low: int, until: int) -> RollupState | None:
    """In a build step's write transaction: the rollup's state, locked, if it is still where this
    step began (at `low`, building to `until`); None if another worker took the step meanwhile."""
    current = RollupState.objects.select_for_update().get(pk=state.pk)
    return current if (current.last_encounter_id, current.build_until) == (low, until) else None


def _build_step(chunk: int) -> None:
    """Add the next `chunk` visit ids to a rollup being built; the last step finishes the build.

    A chunk counts the visits of its ids that were not voided before the build began
    (`build_mark`, an audit sequence): visits voided since are counted and then taken away by the
    catch-up that follows, from their audit rows, exactly once whichever moment the void fell in
    (_read_chunk). The last PENDING_WINDOW ids, where a visit may still be uncommitted, are read
    under the writers' lock, as a catch-up reads, so that each of them is either counted or pending.
    """
    state = _state()
    if state.build_until is None:
        # What an earlier rollup left goes first, in batches of short transactions (a rebuild must
        # not hold the write lock while it deletes a million copies); what is left goes below.
        for model in (ParticipantVisit, ParticipantYear, MonthReach, FirstVisit, ActivityRollup):
            while last := model.objects.order_by("pk").values_list("pk", flat=True)[
                    DELETE_PER_TRANSACTION - 1:DELETE_PER_TRANSACTION].first():
                _let_writers_in()
                with _timed_write():
                    model.objects.filter(pk__lte=last).delete()
        with transaction.atomic():
            state = RollupState.objects.select_for_update().get(pk=state.pk)
            if state.build_until is None:
                _drop_build_indexes()  # before the writers' lock (PostgreSQL only)
                _lock_writers()
                ActivityRollup.objects.all().delete()
                MonthReach.objects.all().delete()
                ParticipantVisit.objects.all().delete()
                FirstVisit.objects.all().delete()
                ParticipantYear.objects.all().delete()
                state.build_mark = AuditEvent.objects.aggregate(last=Max("sequence"))["last"] or 0
                state.build_until = Encounter.objects.aggregate(last=Max("pk"))["last"] or 0
                # Ids need not start at 1 (PostgreSQL sequences never go back): start at the first.
                state.last_encounter_id = max(0, (Encounter.objects.aggregate(first=Min("pk"))["first"] or 1) - 1)
                state.save()
        return
    low, until = state.last_encounter_id, state.build_until
    top = max(0, until - PENDING_WINDOW)
    if low < top:
        high = min(low + chunk, top)
        found = _read_chunk(low, high, state.build_mark)
        _let_writers_in()
        with _timed_write():
            current = _this_step(state, low, until)
            if current is None:
                return  # another worker took this step
            _write_chunk(found, levels=_CHUNK_LEVELS[connection.vendor])
            current.last_encounter_id = high
            current.save()
        return
    # The last step. On SQLite the chunks wrote each person's months per site and mode only: the
    # other levels now, for PARTICIPANTS_PER_TRANSACTION people at a time (an upsert: a repeated
    # batch changes nothing), then the MonthReach counts a year at a time. On PostgreSQL the
    # chunks wrote no months: everyone's, at every level, and the MonthReach counts come now in
    # one transaction, with the indexes the build went without. Then the top ids under the lock,
    # and the rollup is built. (Everyone's first visit came with the chunks; the top ids' under the
    # lock, as their sums; a void or merge since the build began is the catch-up's, as for the sums.)
    if connection.vendor == "postgresql":
        if not ParticipantYear.objects.exists():  # else an earlier try of this step committed it
            with _timed_write():
                if _this_step(state, low, until) is None:
                    return
                with connection.cursor() as cursor:  # the GROUP BYs and index sorts in memory
                    cursor.execute("SET LOCAL work_mem = '64MB'")
                    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                _insert_participant_years(None, levels=1)
                span = ParticipantYear.objects.aggregate(first=Min("participant_id"), last=Max("participant_id"))
                if span["first"] is not None:
                    _add_participant_year_levels(span["first"] - 1, span["last"], upsert=False)
                _write_year_reach(None, _year_reach(None))
                _make_build_indexes()
    else:
        span = ParticipantYear.objects.aggregate(first=Min("participant_id"), last=Max("participant_id"))
        for start in range(span["first"] - 1, span["last"], PARTICIPANTS_PER_TRANSACTION) if span["first"] else ():
            _let_writers_in()
            with _timed_write():
                if _this_step(state, low, until) is None:
                    return
                _add_participant_year_levels(start, start + PARTICIPANTS_PER_TRANSACTION)
        for year in ParticipantYear.objects.values_list("year", flat=True).distinct().order_by("year"):
            cells = _year_reach(year)  # read outside the write transaction
            _let_writers_in()
            with _timed_write():
                if _this_step(state, low, until) is None:
                    return
                _write_year_reach(year, cells)
    _compact_rollup()
    _let_writers_in()
    with _timed_write():
        current = _this_step(state, low, until)
        if current is None:
            return
        _lock_writers()
        people = set(Encounter.objects.filter(pk__gt=low, pk__lte=until, participant__isnull=False).values_list(
            "participant_id", flat=True))
        before = _people_reach(people)
        _write_chunk(_read_chunk(low, until, current.build_mark))  # all levels of their months (an upsert)
        _add_reach(before, _people_reach(people))
        now = timezone.now()
        current.pending_ids = [[number, now.isoformat()] for number in _missing_ids(low, until)]
        current.last_encounter_id = until
        current.last_audit_sequence = current.build_mark
        current.built_at = now
        current.build_until = None
        current.save()


# Indexes and unique constraints that a first build on PostgreSQL goes without: it drops them when
# it begins and makes them again before its last transaction (a sort each, a few seconds), instead
# of keeping them up row by row (about three quarters of the time spent writing people's months).
# Nothing else writes these tables while the rollup is being built, reports do not read them until
# it is done, and there making an index blocks no visit. The chunks' own upserts need
# FirstVisit's unique participant, which stays. (On SQLite this would hold the one write lock for
# seconds: the indexes stay.)
_BUILD_WITHOUT = {ParticipantYear: ("participant_year_once", "participant_year_person"),
                  ParticipantVisit: ("participant_visit_cover",), FirstVisit: ("first_visit_cover",)}


def _build_indexes():
    """(model, index or constraint, whether the table has it now) for each of _BUILD_WITHOUT."""
    with connection.cursor() as cursor:
        for model, names in _BUILD_WITHOUT.items():
            present = connection.introspection.get_constraints(cursor, model._meta.db_table)
            for name in names:
                made = next(made for made in [*model._meta.indexes, *model._meta.constraints] if made.name == name)
                yield model, made, name in present


def _drop_build_indexes() -> None:
    if connection.vendor == "postgresql":
        with connection.schema_editor() as editor:
            for model, made, present in list(_build_indexes()):
                if present:
                    (editor.remove_index if isinstance(made, models.Index) else editor.remove_constraint)(model, made)


def _make_build_indexes() -> None:
    if connection.vendor == "postgresql":
        with connection.schema_editor() as editor:
            for model, made, present in list(_build_indexes()):
                if not present:
                    (editor.add_index if isinstance(made, models.Index) else editor.add_constraint)(model, made)


def _compact_rollup() -> None:
    """PostgreSQL: each chunk's upsert left a dead version of most ActivityRollup rows (an update
    writes a new one), so that a report would scan ten times the table's size: rewrite it (about
    100,000 rows, half a second) before reports read it. VACUUM runs outside a transaction only
    (not in a test's)."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (FULL, ANALYZE) {connection.ops.quote_name(ActivityRollup._meta.db_table)}")


def _month_case(column: str, months: list[datetime.date], numbers: list[int]) -> tuple[str, list]:
    """SQL for the number (from `numbers`) of the local month of `column`, one of the consecutive
    `months`, as a CASE over the month boundaries, and its parameters."""
    zone = timezone.get_current_timezone()
    whens = " ".join(f"WHEN {column} < %s THEN {number}" for number in numbers[:-1])
    bounds = [connection.ops.adapt_datetimefield_value(datetime.datetime.combine(following, datetime.time(),
                                                                                 tzinfo=zone))
              for following in months[1:]]
    return (f"CASE {whens} ELSE {numbers[-1]} END" if whens else str(numbers[-1])), bounds  # no "CASE ELSE x END"


def _month_index(column: str, low: int, high: int) -> tuple[str, list, list[datetime.date]]:
    """SQL for the number of the local month of `column` (0 for the first) over the visits with ids
    in (low, high], as a CASE over the few month boundaries that the chunk's visits span, its
    parameters, and the months it numbers."""
    span = Encounter.objects.filter(pk__gt=low, pk__lte=high).aggregate(**_SPAN)
    if span["first"] is None:
        return "", [], []
    months = _months_between(_first_of_month(span["first"]), _first_of_month(span["last"]))
    return (*_month_case(column, months, list(range(len(months)))), months)


# Group keys of a chunk's sums, packed into few integers: SQLite groups by sorting, and sorting on
# two integers and a mode costs about half of sorting on seven columns (0.18 s against 0.33 s for
# the 130,000 supply lines of 25,000 visits). A chunk spans far fewer than MONTH_SLOTS months.
MONTH_SLOTS = 1 << 16
_SECONDARY = "CASE WHEN e.secondary_people > 0 THEN 2 ELSE 0 END"
_IDENTIFIED = "CASE WHEN e.participant_id IS NOT NULL THEN 1 ELSE 0 END"


def _read_chunk(low: int, high: int, mark: int) -> dict:
    """The rollup rows of the visits with ids in (low, high], summed in SQL (one SELECT ... GROUP BY
    each for the visits, reversals, supply lines and services), read outside the write transaction.

    A visit counts unless it was voided before the build began (`mark`): a void since is taken away
    by the catch-up, from its audit row. Each statement decides this from one snapshot of the
    visit and the audit log (a void writes both in one transaction), so whichever moment a void
    falls in, the visit is counted by a statement and taken away once, or not counted at all."""
    case, case_params, months = _month_index("e.occurred_at", low, high)
    found = {"rows": [], "chunk": (low, high, mark)}
    if not case:
        return found
    encounters = Encounter._meta.db_table
    where = f"WHERE e.id > %s AND e.id <= %s AND {_COUNTS}"
    where_params = [low, high, mark, Encounter._meta.label_lower]
    place = f"e.site_id * {MONTH_SLOTS} + {case}"  # site and month
    # Each: (SELECT place, mode, ref * 4 + secondary + identified, amounts, kind).
    statements = [
        (f"SELECT {place}, e.service_mode, 0, COUNT(*), "
         f"SUM(CASE WHEN e.participant_id IS NULL THEN 1 ELSE 0 END), SUM(e.syringes_returned), 0 "
         f"FROM {encounters} e {where} GROUP BY 1, 2", VISIT),
        (f"SELECT {place}, e.service_mode, 0, 0, 0, 0, COUNT(*) "
         f"FROM {ReversalReport._meta.db_table} r JOIN {encounters} e ON e.id = r.encounter_id "
         f"{where} AND r.encounter_id > %s AND r.encounter_id <= %s GROUP BY 1, 2", VISIT),
        (f"SELECT {place}, e.service_mode, s.item_id * 4 + {_SECONDARY} + {_IDENTIFIED}, SUM(s.quantity), 0, 0, 0 "
         f"FROM {EncounterSupply._meta.db_table} s JOIN {encounters} e ON e.id = s.encounter_id "
         f"{where} AND s.encounter_id > %s AND s.encounter_id <= %s GROUP BY 1, 2, 3", SUPPLY),
        (f"SELECT {place}, e.service_mode, g.service_id * 4, COUNT(*), 0, 0, 0 "
         f"FROM {Encounter.services.through._meta.db_table} g JOIN {encounters} e ON e.id = g.encounter_id "
         f"{where} AND g.encounter_id > %s AND g.encounter_id <= %s GROUP BY 1, 2, 3", SERVICE),
    ]
    with connection.cursor() as cursor:
        for number, (select, kind) in enumerate(statements):
            params = [*case_params, *where_params, *([low, high] if number else [])]
            rows = None
            if kind == SUPPLY and connection.vendor == "sqlite":
                rows = _supply_sums_sqlite(cursor, place, where, case_params, where_params, low, high)
            if rows is None:
                cursor.execute(select, params)
                rows = cursor.fetchall()
            for place_key, mode, what, *amounts in rows:
                site, month = divmod(place_key, MONTH_SLOTS)
                ref, flags = divmod(what, 4)
                found["rows"].append((months[month], site, mode, kind, ref, bool(flags & 2), bool(flags & 1),
                                      *amounts))
    return found


_MODES = [mode for mode, _label in ServiceMode.choices]
_OTHER_MODE = 7  # a mode that is not one of the choices: the chunk is grouped the usual way


def _supply_sums_sqlite(cursor, place: str, where: str, case_params: list, where_params: list, low: int,
                        high: int) -> list | None:
    """SQLite: the supply sums of a chunk, as _read_chunk's GROUP BY gives them, or None (use it).

    SQLite groups by sorting. Adding each of the 130,000 supply lines of a chunk into a small
    temporary table of sums keyed by one integer (site, month, item, secondary, identified and
    mode packed; ON CONFLICT DO UPDATE adds) costs less than half as much as sorting them on
    seven columns (0.06 s against 0.12 to 0.18 s, the same day). The temporary table is this
    connection's own: writing it takes no lock of the database's."""
    site_model = Encounter._meta.get_field("site").related_model
    item_model = EncounterSupply._meta.get_field("item").related_model
    largest = (site_model.objects.aggregate(last=Max("pk"))["last"] or 0,
               item_model.objects.aggregate(last=Max("pk"))["last"] or 0)
    if largest[0] >= 1 << 21 or largest[1] >= 1 << 20:  # the packed key would not fit in 63 bits
        return None
    mode = f"CASE e.service_mode {' '.join(f'WHEN %s THEN {number}' for number in range(len(_MODES)))} " \
           f"ELSE {_OTHER_MODE} END"
    cursor.execute("CREATE TEMP TABLE IF NOT EXISTS rollup_chunk_supply (k INTEGER PRIMARY KEY, amount INTEGER)")
    cursor.execute("DELETE FROM temp.rollup_chunk_supply")
    cursor.execute(
        f"INSERT INTO temp.rollup_chunk_supply SELECT "
        f"((({place}) * {1 << 22} + s.item_id * 4 + {_SECONDARY} + {_IDENTIFIED}) * 8 + {mode}), s.quantity "
        f"FROM {EncounterSupply._meta.db_table} s JOIN {Encounter._meta.db_table} e ON e.id = s.encounter_id "
        f"{where} AND s.encounter_id > %s AND s.encounter_id <= %s "
        f"ON CONFLICT (k) DO UPDATE SET amount = amount + excluded.amount",
        [*case_params, *_MODES, *where_params, low, high])
    cursor.execute("SELECT k, amount FROM temp.rollup_chunk_supply")
    rows = []
    for key, amount in cursor.fetchall():
        rest, mode_number = divmod(key, 8)
        if mode_number == _OTHER_MODE:
            return None
        place_key, what = divmod(rest, 1 << 22)
        rows.append((place_key, _MODES[mode_number], what, amount, 0, 0, 0))
    return rows


# Whether a visit of the build counts: not voided, or voided after the build began (see _read_chunk).
_COUNTS = (f"(e.voided_at IS NULL OR CAST(e.id AS TEXT) IN (SELECT object_id FROM {AuditEvent._meta.db_table} "
           f"WHERE sequence > %s AND action = 'void' AND object_type = %s))")


def _write_chunk(found: dict, *, levels: int = len(LEVELS)) -> None:
    """In the write transaction: add the rows read to the rollup (ON CONFLICT DO UPDATE adds to the
    rows already there), copy the chunk's visits with a participant, and add their months."""
    table = ActivityRollup._meta.db_table
    summed: dict[tuple, list[int]] = {}
    for row in found["rows"]:  # a month's visits and reversals share a key: one row each
        month = connection.ops.adapt_datefield_value(row[0]) if isinstance(row[0], datetime.date) else row[0]
        key = (month, *row[1:5], bool(row[5]), bool(row[6]))
        amounts = summed.setdefault(key, [0] * len(AMOUNTS))
        for index, amount in enumerate(row[7:]):
            amounts[index] += amount or 0
    rows = [(*key, *amounts) for key, amounts in summed.items()]
    upsert = ("ON CONFLICT (month, site_id, service_mode, kind, ref, secondary, identified) DO UPDATE SET "
              + ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in AMOUNTS))
    columns = f"month, site_id, service_mode, kind, ref, secondary, identified, {', '.join(AMOUNTS)}"
    if connection.vendor == "postgresql" and rows:
        # One array a column: the driver binds 11 arrays faster than 30,000 values one by one.
        types = ("date", "integer", "varchar", "varchar", "integer", "boolean", "boolean", *["bigint"] * len(AMOUNTS))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({', '.join(f'%s::{name}[]' for name in types)}) "
                f"{upsert}", [list(column) for column in zip(*rows, strict=True)])
        rows = []
    with connection.cursor() as cursor:
        _insert_rows(cursor, table, columns, rows, upsert)
    low, high, mark = found["chunk"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ParticipantVisit._meta.db_table} (encounter_id, occurred_at, participant_id, site_id, "
            f"service_mode) SELECT e.id, e.occurred_at, e.participant_id, e.site_id, e.service_mode "
            f"FROM {Encounter._meta.db_table} e WHERE e.id > %s AND e.id <= %s AND {_COUNTS} "
            f"AND e.participant_id IS NOT NULL", [low, high, mark, Encounter._meta.label_lower])
    if levels:
        _insert_participant_years(None, visits=(low, high), levels=levels)
    _add_first_visits(low, high)


def _add_first_visits(low: int, high: int) -> None:
    """Each participant's first visit among the copies of the visits with ids in (low, high], kept
    where it comes before the first visit already known (earlier, or as early with a lower id): over
    the build's chunks, everyone's first visit, without reading every visit again at the end.
    Copies that come after a known first visit (most: ids mostly follow time) are left out before
    they are ranked."""
    table, copies = FirstVisit._meta.db_table, ParticipantVisit._meta.db_table
    columns = "participant_id, encounter_id, occurred_at, site_id, service_mode"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM ("
            f"SELECT {columns}, ROW_NUMBER() OVER (PARTITION BY participant_id ORDER BY occurred_at, encounter_id) "
            f"AS rank FROM {copies} c WHERE encounter_id > %s AND encounter_id <= %s AND NOT EXISTS ("
            f"SELECT 1 FROM {table} f WHERE f.participant_id = c.participant_id AND (f.occurred_at < c.occurred_at "
            f"OR (f.occurred_at = c.occurred_at AND f.encounter_id < c.encounter_id)))) AS chunk WHERE rank = 1 "
            f"ON CONFLICT (participant_id) DO UPDATE SET encounter_id = excluded.encounter_id, "
            f"occurred_at = excluded.occurred_at, site_id = excluded.site_id, service_mode = excluded.service_mode "
            f"WHERE excluded.occurred_at < {table}.occurred_at OR (excluded.occurred_at = {table}.occurred_at "
            f"AND excluded.encounter_id < {table}.encounter_id)", [low, high])


def _lock_writers() -> None:
    if connection.vendor == "postgresql":
        # The audit writers' lock: no visit or void commits while we read, so the audit sequence
        # and the visit ids we see are a consistent cut. (SQLite's IMMEDIATE transaction already
        # holds the database's write lock.)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_POSTGRES_LOCK_ID])


@transaction.atomic
def _catch_up() -> RollupState:
    """Add the visits recorded and take away those voided since the last refresh."""
    _lock_writers()
    state = RollupState.objects.select_for_update().get(pk=RollupState.SINGLETON_PK)
    now = timezone.now()
    audit_now = AuditEvent.objects.aggregate(last=Max("sequence"))["last"] or 0
    newest = Encounter.objects.aggregate(last=Max("pk"))["last"] or 0
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
        copies = ParticipantVisit.objects.filter(encounter_id__in=moved.values("pk"))
        merged |= set(copies.values_list("participant_id", flat=True).distinct())  # who they were
        copies.delete()
        _add_participant_visits(Q(pk__in=moved.values("pk")))
    touched = Encounter.objects.filter((new_visits & Q(pk__lte=newest)) | Q(pk__in=voided),
                                       participant__isnull=False)
    people = merged | set(touched.values_list("participant_id", flat=True).distinct())
    _refresh_first_visits(people)
    _refresh_participant_years(people)
    state.last_encounter_id = max(newest, state.last_encounter_id)
    state.last_audit_sequence = audit_now
    state.refreshed_at = now
    state.save()
    return state
