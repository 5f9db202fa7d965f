"""Generate a large syringe services program: five years of encounters, supply lines and stock.

Run: python bench/encounters/generate.py [--encounters 2000000 | --scale 0.01] [--ledger-fraction 1.0]
     (SQLite in HAVEN_DATA_DIR, or a new temporary data folder)
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/haven_bench_enc python bench/encounters/generate.py
The PostgreSQL database is dropped and created anew (only a database whose name contains "bench").

This is test data, not application writes: rows go in with bulk SQL (PostgreSQL COPY, SQLite
executemany in large transactions with synchronous=OFF during the load only), but every row is what
the actions would have written: participants carry a blind index of a code of the default recipe,
kits expand to their items, and every supply line of a visit that counts has its `drawn` ledger line
(first-expiry-first-out over monthly lots that `received` lines fill), voided visits their return.
What is left out: the audit log (the load test's own writes start a fresh chain), merges, consents.

The participant codes are made again from the seed by `participant_codes()`; they are never
written anywhere but as blind indexes.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

FULL_ENCOUNTERS = 2_000_000
YEARS = 5
SITES = 20
ENCOUNTERS_PER_PARTICIPANT = 50  # 2,000,000 encounters -> 40,000 participants
ANONYMOUS_SHARE = 0.30
STAFF_PER_SITE = 2
SEED = 2026
MANIFEST = "bench-encounters.json"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

# (kits as (name, count), weight): what a visit gives, before a few loose supplies are added.
# Weighted so that a visit has about five supply lines, as the 2M visits / 10M lines.
VISIT_PATTERNS = [
    ([("Safer injection kit", 1)], 30),
    ([("Safer injection kit", 1), ("Fentanyl test strip pack", 1)], 8),
    ([("Safer injection kit", 2)], 5),
    ([("Safer injection kit", 1), ("Naloxone kit", 1)], 7),
    ([("Safer smoking kit", 1), ("Fentanyl test strip pack", 1)], 12),
    ([("Safer smoking kit", 1)], 8),
    ([("Naloxone kit", 1)], 8),
    ([("Wound care kit", 1)], 3),
    ([("Fentanyl test strip pack", 1)], 2),
    ([], 17),  # loose supplies only
]
LOOSE_ITEMS = [  # (item name, quantities to choose from)
    ("1 mL 28G 1/2\" syringe", (10, 20, 30)), ("1 mL 27G 1/2\" syringe", (10, 20)),
    ("Box of 10 1 mL 28G syringes", (1, 2, 5)), ("Cooker", (5, 10)), ("Sterile water ampoule (10 mL)", (5, 10)),
    ("Alcohol pad", (10, 20)), ("Condom", (5, 10, 20)), ("Lubricant sachet", (5, 10)),
    ("Fentanyl test strip", (2, 5, 10)), ("Xylazine test strip", (2, 5)),
    ("Naloxone nasal spray 4 mg (2-dose kit)", (1, 2)), ("Sharps container 1 qt", (1,)),
    ("Vitamin C (ascorbic acid) sachet", (5, 10)), ("Safer smoking pipe", (1, 2)),
]
TEMPLATES = 500
# Expiry by category (days after the lot is received); None: the item has no expiry date.
SHELF_LIFE_DAYS = {"naloxone": 540, "test_strip": 730, "syringe": 1825, "wound_care": 1095}
SITE_KINDS = ["fixed"] * 6 + ["mobile"] * 4 + ["outreach"] * 5 + ["partner"] * 4 + ["mail"]
MODE_FOR_KIND = {"fixed": "fixed", "mobile": "mobile", "outreach": "outreach", "partner": "fixed", "mail": "mail"}


def participant_codes(count: int, seed: int = SEED) -> list[str]:
    """`count` distinct codes of the default recipe (AB0385C), the same for the same seed."""
    rng = random.Random(seed)
    codes, seen = [], set()
    while len(codes) < count:
        code = (rng.choice(LETTERS) + rng.choice(LETTERS) + f"{rng.randint(1, 12):02d}{rng.randint(0, 99):02d}"
                + rng.choice(LETTERS))
        if code not in seen:
            seen.add(code)
            codes.append(code)
    return codes


def unknown_codes(count: int, known: list[str], seed: int = SEED + 1) -> list[str]:
    """Codes that fit the recipe but belong to nobody in the data set."""
    known_set = set(known)
    return [code for code in participant_codes(count + len(known), seed) if code not in known_set][:count]


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encounters", type=int, default=None, help=f"default {FULL_ENCOUNTERS:,}")
    parser.add_argument("--scale", type=float, default=None, help="fraction of the full size (0.01: 20,000 visits)")
    parser.add_argument("--ledger-fraction", type=float, default=1.0,
                        help="share of visits whose stock draws are written (1.0: all, as the app does)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    encounters = args.encounters or round(FULL_ENCOUNTERS * (args.scale if args.scale else 1.0))
    if not os.environ.get("HAVEN_DATA_DIR"):
        os.environ["HAVEN_DATA_DIR"] = tempfile.mkdtemp(prefix="haven-bench-enc-")
        print(f"data folder: {os.environ['HAVEN_DATA_DIR']}", flush=True)
    summary = generate(encounters=encounters, ledger_fraction=args.ledger_fraction, seed=args.seed)
    print(json.dumps(summary, indent=2))


def generate(*, encounters: int, ledger_fraction: float = 1.0, seed: int = SEED) -> dict:
    """Build the data set in a fresh database; return the manifest (also saved in the data folder)."""
    django_setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from haven.core import actions

    started = time.perf_counter()
    if connection.vendor == "postgresql":
        _create_postgres_database(connection)
    elif Path(settings.DATABASES["default"]["NAME"]).exists():
        raise SystemExit("generate.py needs an empty data folder: set HAVEN_DATA_DIR to a new folder.")
    call_command("migrate", verbosity=0)
    actions.keys_ensure()
    timings = {"migrate_s": round(time.perf_counter() - started, 1)}

    rng = random.Random(seed)
    people = _people(rng, seed=seed)
    participants = max(100, encounters // ENCOUNTERS_PER_PARTICIPANT)
    loader = _Loader(connection)
    counts: dict[str, int] = {}
    t0 = time.perf_counter()
    counts["participants"] = loader.load("participants_participant", PARTICIPANT_COLUMNS,
                                         _participant_rows(participants, people, seed=seed))
    timings["participants_s"] = round(time.perf_counter() - t0, 1)
    t0 = time.perf_counter()
    counts.update(_load_encounters(loader, people, encounters=encounters, participants=participants,
                                   ledger_fraction=ledger_fraction, seed=seed))
    timings["load_s"] = round(time.perf_counter() - t0, 1)
    t0 = time.perf_counter()
    loader.finish()
    timings["indexes_s"] = loader.index_seconds
    timings["stock_balance_s"] = loader.balance_seconds
    timings["analyze_s"] = round(time.perf_counter() - t0 - loader.index_seconds - loader.balance_seconds, 1)
    timings["total_s"] = round(time.perf_counter() - started, 1)
    rows = sum(counts.values())
    manifest = {
        "database": connection.vendor, "seed": seed, "encounters": encounters, "participants": participants,
        "ledger_fraction": ledger_fraction, "sites": [site.pk for site in people["sites"]],
        "staff": people["staff_usernames"], "rows": counts,
        "rows_per_second": round(rows / (timings["load_s"] + timings["participants_s"])),
        "timings": timings, "generated_on": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    Path(settings.DATA_DIR, MANIFEST).write_text(json.dumps(manifest, indent=2))
    print(f"generated {rows:,} rows in {timings['total_s']} s "
          f"({manifest['rows_per_second']:,} rows/s while loading; indexes {timings['indexes_s']} s, "
          f"stock balance {timings['stock_balance_s']} s, "
          f"analyze {timings['analyze_s']} s)", flush=True)
    return manifest


def _create_postgres_database(connection):
    import psycopg

    settings = connection.settings_dict
    if "bench" not in settings["NAME"]:
        raise SystemExit(f"refusing to drop {settings['NAME']!r}: use a database whose name contains 'bench'")
    connection.close()
    with psycopg.connect(host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"],
                         password=settings["PASSWORD"] or None, dbname="postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}"')
        admin.execute(f'CREATE DATABASE "{settings["NAME"]}"')


# ---- Places, staff and the catalog, through the ORM (a few dozen rows) -------------------------


def _people(rng: random.Random, *, seed: int) -> dict:
    from haven.accounts.models import User
    from haven.encounters.models import Service
    from haven.inventory.models import Item, Kit, KitItem
    from haven.places.actions import area_create, site_create

    areas = [area_create(actor=None, name=f"Bench area {n + 1}", kind="neighbourhood") for n in range(8)]
    sites = [site_create(actor=None, name=f"Bench site {n + 1:02d}", kind=SITE_KINDS[n % len(SITE_KINDS)],
                         area=areas[n % len(areas)], hours_per_week=40) for n in range(SITES)]
    staff, usernames = [], []
    for site_index, site in enumerate(sites):
        for n in range(STAFF_PER_SITE):
            user = User(username=f"bench-staff-{site_index * STAFF_PER_SITE + n + 1:03d}", role="staff",
                        first_name="Bench")
            user.set_unusable_password()
            user.save()
            user.sites.set([site])
            staff.append(user)
            usernames.append(user.username)
    coordinator = User(username="bench-coordinator", role="coordinator")
    coordinator.set_unusable_password()
    coordinator.save()
    items = {item.name: item for item in Item.objects.all()}
    kits = {kit.name: kit for kit in Kit.objects.all()}
    kit_items = {}
    for line in KitItem.objects.all():
        kit_items.setdefault(line.kit_id, []).append((line.item_id, line.quantity))
    return {"areas": areas, "sites": sites, "staff": staff, "staff_usernames": usernames,
            "coordinator": coordinator, "items": items, "kits": kits, "kit_items": kit_items,
            "services": list(Service.objects.filter(active=True).values_list("pk", flat=True)),
            "site_weights": [rng.lognormvariate(0, 0.6) for _ in sites]}


# ---- Bulk loading ---------------------------------------------------------------------------------

PARTICIPANT_COLUMNS = ["id", "code_index", "display_id", "enrolled_at", "merged_at", "nickname", "contact",
                       "contact_kind", "enrolled_by_id", "enrolled_site_id", "merged_into_id"]
ENCOUNTER_COLUMNS = ["id", "client_id", "participant_id", "occurred_at", "site_id", "service_mode", "staff_id",
                     "secondary_people", "syringes_returned", "returns_estimated", "sharps_containers_returned",
                     "created_at", "source", "voided_at", "void_reason"]
SUPPLY_COLUMNS = ["id", "encounter_id", "item_id", "quantity", "kit_id"]
SERVICE_COLUMNS = ["encounter_id", "service_id"]
REVERSAL_COLUMNS = ["encounter_id", "occurred_on", "area_id", "naloxone_doses_used", "outcome",
                    "emergency_services_called"]
LOT_COLUMNS = ["id", "item_id", "lot_number", "expires_on"]
STOCK_COLUMNS = ["id", "site_id", "item_id", "lot_id", "quantity", "kind", "reason", "transfer_id", "encounter_id",
                 "shortfall", "shortfall_resolved_at", "created_at", "created_by_id", "resolves_id"]
BIG_TABLES = ["encounters_encounter", "encounters_encountersupply", "encounters_encounter_services",
              "inventory_stockentry", "participants_participant"]
EXPLICIT_ID_TABLES = ["participants_participant", "encounters_encounter", "encounters_encountersupply",
                      "inventory_lot", "inventory_stockentry"]


class _Loader:
    """Rows into tables as fast as each database allows; secondary indexes are dropped during the
    load and built again at the end (a bulk build is much faster than millions of index updates)."""

    def __init__(self, connection):
        self.connection = connection
        self.vendor = connection.vendor
        self.index_seconds = 0.0
        self.balance_seconds = 0.0
        connection.ensure_connection()
        if self.vendor == "sqlite":
            import sqlite3

            connection.close()
            self.raw = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
            self.raw.execute("PRAGMA journal_mode=WAL")
            self.raw.execute("PRAGMA synchronous=OFF")  # the load only: a crash means generating again
            self.raw.execute("PRAGMA cache_size=-1000000")
            self.indexes = [sql for (sql,) in self.raw.execute(
                "SELECT sql FROM sqlite_master WHERE type='index' AND sql LIKE 'CREATE INDEX%' AND tbl_name IN "
                f"({','.join('?' * len(BIG_TABLES))})", BIG_TABLES)]
            for sql in self.indexes:
                self.raw.execute(f"DROP INDEX {sql.split()[2]}")
        else:
            import psycopg

            params = connection.get_connection_params()
            connection.close()
            self.raw = psycopg.connect(**params, autocommit=True)
            try:  # superuser only: skip foreign-key triggers during COPY (the rows are valid by construction)
                self.raw.execute("SET session_replication_role = replica")
            except psycopg.Error:
                pass
            self.raw.execute("SET maintenance_work_mem = '1GB'")
            self.indexes = [row[0] for row in self.raw.execute(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = ANY(%s) "
                "AND indexdef NOT LIKE 'CREATE UNIQUE%%'", [BIG_TABLES])]
            for sql in self.indexes:
                self.raw.execute(f"DROP INDEX {sql.split()[2]}")

    def load(self, table: str, columns: list[str], rows) -> int:
        """Insert an iterable of row tuples (or of lists of row tuples, one chunk each)."""
        count = 0
        if self.vendor == "sqlite":
            sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})'
            self.raw.execute("BEGIN")
            for chunk in _chunks(rows):
                self.raw.executemany(sql, chunk)
                count += len(chunk)
                if count % 500_000 < len(chunk):  # commit now and then, so the WAL can be checkpointed
                    self.raw.execute("COMMIT")
                    self.raw.execute("BEGIN")
            self.raw.execute("COMMIT")
        else:
            with self.raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
                for chunk in _chunks(rows):
                    for row in chunk:
                        copy.write_row(row)
                    count += len(chunk)
        return count

    def finish(self) -> None:
        from haven.inventory.actions import BALANCE_FROM_LEDGER_SQL

        t0 = time.perf_counter()
        for sql in self.indexes:
            self.raw.execute(sql)
        self.index_seconds = round(time.perf_counter() - t0, 1)
        # Stock on hand: the running balance the app keeps with each ledger line, from the ledger
        # written above in one INSERT ... SELECT (as migration inventory 0004 does).
        t0 = time.perf_counter()
        self.raw.execute(BALANCE_FROM_LEDGER_SQL)
        self.balance_seconds = round(time.perf_counter() - t0, 1)
        if self.vendor == "sqlite":
            self.raw.execute("PRAGMA synchronous=NORMAL")
            self.raw.execute("ANALYZE")
            self.raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            self.raw.execute("SET session_replication_role = DEFAULT")
            for table in EXPLICIT_ID_TABLES:
                self.raw.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                 f"(SELECT COALESCE(MAX(id), 0) + 1 FROM \"{table}\"), false)")
            # VACUUM also sets the visibility map, as autovacuum would after a bulk load.
            self.raw.execute("VACUUM (ANALYZE)")
        self.raw.close()


def _chunks(rows):
    """Accept rows or chunks of rows; yield lists of rows."""
    batch = []
    for entry in rows:
        if isinstance(entry, list):
            if batch:
                yield batch
                batch = []
            yield entry
        else:
            batch.append(entry)
            if len(batch) >= 50_000:
                yield batch
                batch = []
    if batch:
        yield batch


# ---- The rows -------------------------------------------------------------------------------------


def _span():
    end = datetime.datetime.now(datetime.UTC).replace(microsecond=0) - datetime.timedelta(hours=1)
    start = end - datetime.timedelta(days=round(365.25 * YEARS))
    return start, end


def _dt(loader_vendor: str, seconds: float):
    """A moment as each database expects it from a raw insert (SQLite: Django's text format, UTC)."""
    moment = datetime.datetime.fromtimestamp(seconds, datetime.UTC)
    return str(moment.replace(tzinfo=None)) if loader_vendor == "sqlite" else moment


def _participant_rows(count: int, people: dict, *, seed: int):
    import numpy as np
    from django.db import connection

    from haven.participants.actions import DISPLAY_ID_ALPHABET, DISPLAY_ID_LENGTH, code_index_for

    vendor = connection.vendor
    rng = np.random.default_rng(seed)
    enrolled = _enrolment_times(count, seed)
    sites, staff = people["sites"], people["staff"]
    seen = set()
    pyrng = random.Random(seed + 2)
    for n, code in enumerate(participant_codes(count, seed)):
        while True:
            display_id = "".join(pyrng.choice(DISPLAY_ID_ALPHABET) for _ in range(DISPLAY_ID_LENGTH))
            if display_id not in seen:
                seen.add(display_id)
                break
        site_index = int(rng.integers(len(sites)))
        yield (n + 1, code_index_for(code), display_id, _dt(vendor, enrolled[n]), None, None, None, "",
               staff[site_index * STAFF_PER_SITE].pk, sites[site_index].pk, None)


def _enrolment_times(count: int, seed: int):
    """Sorted enrolment times: a tenth were enrolled before the period, the rest joined over it."""
    import numpy as np

    start, end = _span()
    rng = np.random.default_rng(seed + 3)
    times = rng.uniform(start.timestamp(), end.timestamp() - 30 * 86400, count)
    times[: count // 10] = start.timestamp() - 86400
    return np.sort(times)


def _templates(people: dict, rng: random.Random):
    """TEMPLATES visits' supply lines [(item id, kit id or 0, quantity)], drawn by pattern weight."""
    items, kits, kit_items = people["items"], people["kits"], people["kit_items"]
    patterns = [(kit_list, weight) for kit_list, weight in VISIT_PATTERNS
                if all(name in kits for name, _count in kit_list)]
    loose = [(items[name].pk, quantities) for name, quantities in LOOSE_ITEMS if name in items]
    templates = []
    for _ in range(TEMPLATES):
        kit_list = rng.choices([p for p, _w in patterns], weights=[w for _p, w in patterns])[0]
        lines = []
        for name, count in kit_list:
            kit = kits[name]
            lines += [(item_id, kit.pk, quantity * count) for item_id, quantity in kit_items.get(kit.pk, [])]
        extra = rng.randint(1, 4) if not kit_list else rng.choices([0, 1, 2], weights=[50, 35, 15])[0]
        for item_id, quantities in rng.sample(loose, extra):
            lines.append((item_id, 0, rng.choice(quantities)))
        templates.append(lines)
    return templates


def _load_encounters(loader: _Loader, people: dict, *, encounters: int, participants: int, ledger_fraction: float,
                     seed: int) -> dict[str, int]:
    import numpy as np

    from haven.inventory.actions import VOID_REASON
    from haven.inventory.models import Item

    vendor = loader.vendor
    rng = np.random.default_rng(seed + 4)
    pyrng = random.Random(seed + 5)
    start, end = _span()
    sites, staff = people["sites"], people["staff"]
    site_ids = np.array([site.pk for site in sites])
    modes = [MODE_FOR_KIND[site.kind] for site in sites]
    staff_ids = np.array([user.pk for user in staff]).reshape(len(sites), STAFF_PER_SITE)
    site_p = np.array(people["site_weights"]) / sum(people["site_weights"])
    item_rows = list(Item.objects.values_list("pk", "category"))
    item_index = {pk: n for n, (pk, _category) in enumerate(item_rows)}
    templates = _templates(people, pyrng)
    template_lengths = np.array([len(t) for t in templates])
    flat = np.array([line for t in templates for line in t])
    template_starts = np.concatenate([[0], np.cumsum(template_lengths)[:-1]])
    flat_item_index = np.array([item_index[int(i)] for i in flat[:, 0]])

    # Visits grow over the years (weight 0.7 -> 1.3), happen in opening hours, and are numbered in time order.
    days = round((end - start).total_seconds() / 86400)
    day_weights = np.linspace(0.7, 1.3, days)
    day = rng.choice(days, size=encounters, p=day_weights / day_weights.sum())
    when = np.sort(start.timestamp() + day * 86400.0 + rng.uniform(9 * 3600, 21 * 3600, encounters))
    when = np.minimum(when, end.timestamp())
    months = ((when - start.timestamp()) // (86400 * 30.4375)).astype(np.int64)
    month_count = int(months.max()) + 1
    enrolled = _enrolment_times(participants, seed)
    home_site = rng.choice(len(sites), size=participants, p=site_p)

    n_items, n_sites = len(item_rows), len(sites)
    drawn_totals = np.zeros(month_count * n_sites * n_items, dtype=np.int64)
    counts = {"encounters": 0, "supply_lines": 0, "services": 0, "reversals": 0, "stock_entries": 0, "lots": 0}
    supply_id, stock_id = 1, 1
    chunk = 100_000
    services, areas = people["services"], [area.pk for area in people["areas"]]

    seconds = {"encounters": 0.0, "supply_lines": 0.0, "stock_entries": 0.0}

    def timed(name, table, columns, rows):
        t0 = time.perf_counter()
        counts[name] += loader.load(table, columns, rows)
        if name in seconds:
            seconds[name] += time.perf_counter() - t0

    for first in range(0, encounters, chunk):
        t = when[first:first + chunk]
        n = len(t)
        ids = np.arange(first + 1, first + n + 1)
        eligible = np.searchsorted(enrolled, t, side="right")
        person = (rng.random(n) * eligible).astype(np.int64)
        named = (rng.random(n) >= ANONYMOUS_SHARE) & (eligible > 0)
        site = np.where(named & (rng.random(n) < 0.85), home_site[np.minimum(person, participants - 1)],
                        rng.choice(n_sites, size=n, p=site_p))
        who = staff_ids[site, rng.integers(0, STAFF_PER_SITE, n)]
        template = rng.integers(0, len(templates), n)
        returned = rng.choice([0, 0, 0, 0, 10, 20, 30, 50, 100, 200], size=n)
        estimated = (returned > 0) & (rng.random(n) < 0.3)
        sharps = (rng.random(n) < 0.05).astype(np.int64)
        secondary = rng.choice([0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 5], size=n)
        voided = rng.random(n) < 0.003
        source = rng.choice(["web", "web", "web", "web", "web", "web", "web", "web", "web", "offline"], size=n)
        client_ids = [uuid.UUID(bytes=os.urandom(16), version=4) for _ in range(n)]
        if vendor == "sqlite":
            client_ids = [value.hex for value in client_ids]
        moments = t.tolist()
        voided_list = voided.tolist()
        rows = list(zip(
            ids.tolist(), client_ids, np.where(named, person + 1, 0).tolist(), [_dt(vendor, m) for m in moments],
            site_ids[site].tolist(), [modes[s] for s in site.tolist()], who.tolist(), secondary.tolist(),
            returned.tolist(), estimated.tolist(), sharps.tolist(), [_dt(vendor, m + 60) for m in moments],
            source.tolist(), [_dt(vendor, m + 300) if v else None for m, v in zip(moments, voided_list, strict=True)],
            ["entered twice" if v else "" for v in voided_list], strict=True,
        ))
        rows = [(row[0], row[1], row[2] or None, *row[3:]) for row in rows]
        timed("encounters", "encounters_encounter", ENCOUNTER_COLUMNS, rows)
        # Supply lines: each visit's template, expanded.
        lengths = template_lengths[template]
        total = int(lengths.sum())
        offsets = np.repeat(np.cumsum(lengths) - lengths, lengths)
        position = np.repeat(template_starts[template], lengths) + (np.arange(total) - offsets)
        line_encounter = np.repeat(ids, lengths)
        line_item, line_kit, line_quantity = flat[position, 0], flat[position, 1], flat[position, 2]
        supply_rows = list(zip(range(supply_id, supply_id + total), line_encounter.tolist(), line_item.tolist(),
                               line_quantity.tolist(), [kit or None for kit in line_kit.tolist()], strict=True))
        supply_id += total
        timed("supply_lines", "encounters_encountersupply", SUPPLY_COLUMNS, supply_rows)
        # The ledger: one `drawn` line per supply line of the visits that carry draws, from this
        # month's lot at the site; a voided visit's draws were put back.
        carries = np.repeat(rng.random(n) < ledger_fraction, lengths)
        line_site = np.repeat(site, lengths)
        line_month = np.repeat(months[first:first + n], lengths)
        lot = (line_month * n_sites + line_site) * n_items + flat_item_index[position]
        line_voided = np.repeat(voided, lengths)
        kept = carries & ~line_voided
        np.add.at(drawn_totals, lot[kept], line_quantity[kept])
        line_staff = np.repeat(who, lengths).tolist()
        line_time = np.repeat(t, lengths).tolist()
        line_site_id = site_ids[line_site].tolist()
        line_item_list, line_quantity_list = line_item.tolist(), line_quantity.tolist()
        line_encounter_list, lot_list, voided_lines = line_encounter.tolist(), lot.tolist(), line_voided.tolist()
        stock_rows = []
        for k in np.nonzero(carries)[0].tolist():
            common = (line_site_id[k], line_item_list[k], lot_list[k] + 1)
            stock_rows.append((stock_id, *common, -line_quantity_list[k], "drawn", "", None, line_encounter_list[k],
                               False, None, _dt(vendor, line_time[k] + 60), line_staff[k], None))
            stock_id += 1
            if voided_lines[k]:
                stock_rows.append((stock_id, *common, line_quantity_list[k], "adjusted", VOID_REASON, None,
                                   line_encounter_list[k], False, None, _dt(vendor, line_time[k] + 300),
                                   line_staff[k], None))
                stock_id += 1
        timed("stock_entries", "inventory_stockentry", STOCK_COLUMNS, stock_rows)
        # Services (a quarter of visits; some two) and reversal reports (rare).
        service_rows = []
        if services:
            for k in np.nonzero(rng.random(n) < 0.25)[0].tolist():
                first_service = pyrng.randrange(len(services))
                service_rows.append((int(ids[k]), services[first_service]))
                if len(services) > 1 and pyrng.random() < 0.2:
                    other = (first_service + pyrng.randrange(1, len(services))) % len(services)
                    service_rows.append((int(ids[k]), services[other]))
        timed("services", "encounters_encounter_services", SERVICE_COLUMNS, service_rows)
        reversal_rows = []
        for k in np.nonzero(named & (rng.random(n) < 0.002))[0].tolist():
            occurred = datetime.datetime.fromtimestamp(float(t[k]), datetime.UTC).date()
            occurred -= datetime.timedelta(days=pyrng.randint(0, 14))
            reversal_rows.append((int(ids[k]), occurred.isoformat() if vendor == "sqlite" else occurred,
                                  pyrng.choice(areas + [None]), pyrng.choice([1, 1, 2, 2, 3, 4]),
                                  pyrng.choices(["survived", "unknown", "died"], weights=[90, 8, 2])[0],
                                  pyrng.choice(["yes", "no", "unknown"])))
        timed("reversals", "encounters_reversalreport", REVERSAL_COLUMNS, reversal_rows)
        print(f"  {first + n:,} visits", flush=True)

    print("  load seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in seconds.items()), flush=True)

    # Lots: one per site, item and month; `received` lines fill each lot with what its month drew,
    # and the last month's lots hold a few months of stock, so that new visits find stock on hand.
    categories = [category for _pk, category in item_rows]
    lot_rows, received = [], []
    monthly = drawn_totals.reshape(month_count, n_sites, n_items)
    average = monthly.mean(axis=0)
    for month in range(month_count):
        received_at = start.timestamp() + month * 86400 * 30.4375
        received_date = datetime.datetime.fromtimestamp(received_at, datetime.UTC).date()
        for s in range(n_sites):
            for i, (item_id, _category) in enumerate(item_rows):
                lot_id = (month * n_sites + s) * n_items + i + 1
                life = SHELF_LIFE_DAYS.get(categories[i])
                expires = received_date + datetime.timedelta(days=life) if life else None
                lot_rows.append((lot_id, item_id, f"S{site_ids[s]:02d}-{received_date:%Y%m%d}",
                                 expires.isoformat() if (expires and vendor == "sqlite") else expires))
                quantity = int(monthly[month, s, i])
                if month == month_count - 1:
                    quantity += max(200, int(3 * average[s, i]))
                if quantity > 0:
                    received.append((int(site_ids[s]), item_id, lot_id, quantity, received_at))
    counts["lots"] = loader.load("inventory_lot", LOT_COLUMNS, lot_rows)
    coordinator = people["coordinator"].pk
    received_rows = []
    for site_id, item_id, lot_id, quantity, received_at in received:
        received_rows.append((stock_id, site_id, item_id, lot_id, quantity, "received", "", None, None, False, None,
                              _dt(vendor, received_at), coordinator, None))
        stock_id += 1
    counts["stock_entries"] += loader.load("inventory_stockentry", STOCK_COLUMNS, received_rows)
    return counts


if __name__ == "__main__":
    main()
