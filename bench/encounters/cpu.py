"""Server CPU per request of a participant lookup and of logging a visit, measured in-process.

Run (after generate.py, with the same HAVEN_DATA_DIR and DATABASE_URL):
    python bench/encounters/cpu.py [--requests 200] [--queries] [--profile]

Each step looks a known participant up by code (POST /api/participants/lookup), then logs a visit
for them with a kit and loose supplies (POST /api/encounters), through Django's test client with a
staff member's API token: the whole request (middleware, token, API, database) without a network.
What it reports is the process's CPU time per request (median and 95th percentile), which machine
load barely moves, unlike wall-clock latency on a shared machine. On SQLite the database's own
work is in that number too; on PostgreSQL it is in the server's processes, not counted here.

--calls counts the Python function calls per request instead: slower, but the same on a busy
machine and an idle one, so two versions of the code can be compared on a shared machine.
--queries prints the SQL of one lookup and one visit; --profile prints where the CPU goes
(cProfile, cumulative). Every run adds visits and audit entries to the data set, as the load
test does.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.encounters import load  # noqa: E402
from bench.encounters.generate import django_setup, participant_codes  # noqa: E402

WARM_UP_STEPS = 20


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="lookups and visits measured (default 200)")
    parser.add_argument("--queries", action="store_true", help="print the SQL of one lookup and one visit")
    how = parser.add_mutually_exclusive_group()  # both use Python's one profiling hook
    how.add_argument("--calls", action="store_true", help="count Python function calls instead of CPU time")
    how.add_argument("--profile", action="store_true", help="print a cProfile of the measured requests")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    django_setup()
    step = _stepper(random.Random(args.seed), _call_counter() if args.calls else time.process_time)
    for _ in range(WARM_UP_STEPS):
        step()
    if args.queries:
        _print_queries(step)
    profiler = cProfile.Profile() if args.profile else None
    lookups, visits = [], []
    if profiler:
        profiler.enable()
    for _ in range(args.requests):
        lookup_cost, visit_cost = step()
        lookups.append(lookup_cost)
        visits.append(visit_cost)
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    from django.db import connection

    if args.calls:
        print(f"{connection.vendor}, {args.requests} of each; Python function calls per request (median): "
              f"lookup {_nth(lookups, 50):.0f}; visit {_nth(visits, 50):.0f}")
    else:
        print(f"{connection.vendor}, {args.requests} of each; server CPU ms per request (median, p95): "
              f"lookup {_nth(lookups, 50) * 1000:.1f}, {_nth(lookups, 95) * 1000:.1f}; "
              f"visit {_nth(visits, 50) * 1000:.1f}, {_nth(visits, 95) * 1000:.1f}")


def _call_counter():
    """A clock that ticks once per Python function call: read it before and after a request."""
    calls = 0

    def count(_frame, event, _arg):
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(count)
    return lambda: calls


def _stepper(rng: random.Random, clock):
    """A function that runs one lookup and one visit and returns what `clock` counted for each."""
    from django.test import Client

    manifest = load._manifest()
    codes = participant_codes(manifest["participants"], manifest["seed"])[:500]
    catalog = load._catalog()
    token = load._tokens(1)[0]
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {token['token']}")

    def step() -> tuple[float, float]:
        lookup_body = json.dumps({"code": rng.choice(codes)})
        started = clock()
        looked_up = client.post("/api/participants/lookup", lookup_body, content_type="application/json")
        lookup_cost = clock() - started
        given = load._visit(rng, catalog)
        visit_body = json.dumps({
            "client_id": str(uuid.uuid4()), "participant": _answer(looked_up).get("display_id"),
            "site_id": token["site_id"],
            "supplies": [{"item_id": item_id, "quantity": quantity} for item_id, quantity in given["supplies"]],
            "kits": [{"kit_id": kit_id, "count": count} for kit_id, count in given["kits"]],
        })
        started = clock()
        recorded = client.post("/api/encounters", visit_body, content_type="application/json")
        visit_cost = clock() - started
        _answer(recorded)
        return lookup_cost, visit_cost

    return step


def _answer(response) -> dict:
    if response.status_code not in (200, 201):
        raise SystemExit(f"{response.request['PATH_INFO']} answered {response.status_code}: {response.content[:300]!r}")
    return response.json()


def _print_queries(step) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        step()
    # The lookup's queries end with its last one on encounters; the visit's start with the token.
    token_reads = [index for index, query in enumerate(captured.captured_queries)
                   if query["sql"].startswith('SELECT "accounts_apitoken"')]
    split = token_reads[1] if len(token_reads) > 1 else len(captured.captured_queries)
    for name, queries in (("lookup", captured.captured_queries[:split]), ("visit", captured.captured_queries[split:])):
        print(f"{name}: {len(queries)} queries")
        for query in queries:
            print("   ", query["sql"][:200])


def _nth(values: list[float], percentile: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, len(ordered) * percentile // 100)]


if __name__ == "__main__":
    main()
