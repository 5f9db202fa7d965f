"""Load-test Haven on loopback: 20 staff members logging visits and looking participants up at once.

Run (after generate.py, with the same HAVEN_DATA_DIR and DATABASE_URL):
    python bench/encounters/load.py [--clients 20] [--duration 60] [--threads 8] [--mix] [--json results.json]

With --mix each client does a mixed workload instead (MIX below): visits as described next, lookups
alone, the coordinators' indicator report for last month (`/api/reports/indicators`, with the
coordinator's token) and public pages without a token (alerts, fact sheets, the drug market view, the
substances API). With more clients than staff accounts, accounts are shared.

Starts `haven serve --no-worker` on a free loopback port, gives each client an API token of its own
staff account, and runs the clients as threads with keep-alive connections. A client repeats what a
busy exchange table does: for a known participant (70%) it looks the code up and logs the visit with
the display id it got back; for an anonymous visit (30%) it logs the visit directly. One lookup in
ten is a code nobody has. Every latency is recorded; any answer that is not 2xx is an error.

Before the HTTP load it also times `encounter_record` and the lookup in-process (no HTTP), with the
queries each one runs, so that the server's share of a request can be told from the database's.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import resource
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.encounters.generate import MANIFEST, django_setup, participant_codes, unknown_codes  # noqa: E402

KNOWN_SHARE = 0.70
# --mix: what a client does next, by weight.
MIX = {"visit": 0.50, "lookup": 0.20, "report": 0.10, "public": 0.20}
PUBLIC_PAGES = ["/alerts/", "/learn/", "/checking/market/", "/api/education/substances"]
UNKNOWN_LOOKUP_SHARE = 0.10
WARM_UP_REQUESTS = 3


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--requests", type=int, default=None, help="stop each client after this many requests")
    parser.add_argument("--threads", type=int, default=8, help="waitress threads (default 8)")
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean pause before each visit, seconds (0: back to back, a stress test)")
    parser.add_argument("--in-process", type=int, default=200, help="encounter_record calls timed in-process")
    parser.add_argument("--mix", action="store_true",
                        help="a mixed workload: visits, lookups, reports and public pages (see MIX)")
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args(argv)
    django_setup()
    results = {"in_process": measure_in_process(calls=args.in_process)} if args.in_process else {}
    results["load"] = run_load(clients=args.clients, duration=args.duration, requests=args.requests,
                               threads=args.threads, think=args.think, mix=args.mix)
    text = json.dumps(results, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text)


def _manifest() -> dict:
    from django.conf import settings

    return json.loads(Path(settings.DATA_DIR, MANIFEST).read_text())


def _percentiles(values: list[float]) -> dict:
    if not values:
        return {"count": 0}
    ordered = sorted(values)

    def rank(p):  # nearest rank
        return ordered[min(len(ordered) - 1, max(0, round(p * len(ordered)) - 1))] * 1000

    return {"count": len(ordered), "p50_ms": round(statistics.median(ordered) * 1000, 1), "p95_ms": round(rank(0.95), 1),
            "p99_ms": round(rank(0.99), 1), "max_ms": round(ordered[-1] * 1000, 1)}


# ---- In-process: the action alone -----------------------------------------------------------------


def measure_in_process(*, calls: int) -> dict:
    """Time `encounter_record` (with its stock draw and audit entry) and the lookup without HTTP."""
    from django.db import connection, connections
    from django.test.utils import CaptureQueriesContext

    from haven.accounts.models import User
    from haven.encounters import actions as encounter_actions
    from haven.inventory import actions as inventory_actions
    from haven.participants import actions as participant_actions
    from haven.participants import queries as participant_queries

    manifest = _manifest()
    rng = random.Random(7)
    codes = participant_codes(manifest["participants"], manifest["seed"])
    catalog = _catalog()
    staff = list(User.objects.filter(username__in=manifest["staff"][:20]).prefetch_related("sites"))

    # Time the parts: the stock draw and the audit entry are looked up at call time.
    parts = {"stock_draw": [], "audit": []}

    def timed(name, function):
        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                parts[name].append(time.perf_counter() - t0)
        return wrapper

    original_draw, original_audit = inventory_actions.stock_draw_for_encounter, encounter_actions.audit_record
    inventory_actions.stock_draw_for_encounter = timed("stock_draw", original_draw)
    encounter_actions.audit_record = timed("audit", original_audit)
    record_times, record_queries, lookup_times, lookup_queries = [], [], [], []
    cpu0 = time.process_time()
    try:
        for n in range(calls):
            user = staff[n % len(staff)]
            site = user.sites.all()[0]
            participant = None
            if rng.random() < KNOWN_SHARE:
                t0 = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    participant = participant_queries.participant_by_code(rng.choice(codes))
                    participant_actions.participant_view_audit(actor=user, participant=participant, via="api")
                    participant_queries.participant_summary(participant, user=user)
                lookup_times.append(time.perf_counter() - t0)
                lookup_queries.append(len(queries))
            visit = _visit(rng, catalog)
            t0 = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                encounter_actions.encounter_record(
                    actor=user, client_id=uuid.uuid4(), site=site, service_mode="fixed", participant=participant,
                    supplies=[(catalog["items"][i], q) for i, q in visit["supplies"]],
                    kits=[(catalog["kits"][k], c) for k, c in visit["kits"]], source="api")
            record_times.append(time.perf_counter() - t0)
            record_queries.append(len(queries))
    finally:
        inventory_actions.stock_draw_for_encounter, encounter_actions.audit_record = original_draw, original_audit
    cpu = time.process_time() - cpu0
    connections.close_all()
    return {
        "encounter_record": {**_percentiles(record_times), "queries_median": statistics.median(record_queries),
                             "queries_max": max(record_queries)},
        "of_which_stock_draw": _percentiles(parts["stock_draw"]),
        "of_which_audit": _percentiles(parts["audit"]),
        "lookup": {**_percentiles(lookup_times), "queries_median": statistics.median(lookup_queries or [0])},
        "cpu_seconds": round(cpu, 2),
    }


def _catalog() -> dict:
    from haven.inventory.models import Item, Kit

    items = {item.pk: item for item in Item.objects.filter(active=True)}
    kits = {kit.pk: kit for kit in Kit.objects.filter(active=True).prefetch_related("items__item")}
    return {"items": items, "kits": kits, "item_ids": sorted(items), "kit_ids": sorted(kits)}


def _visit(rng: random.Random, catalog: dict) -> dict:
    """A kit (most visits) and one to three loose supplies."""
    kits = [(rng.choice(catalog["kit_ids"]), rng.choice([1, 1, 1, 2]))] if rng.random() < 0.8 else []
    supplies = [(item_id, rng.randint(1, 10)) for item_id in rng.sample(catalog["item_ids"], rng.randint(1, 3))]
    return {"kits": kits, "supplies": supplies}


# ---- Over HTTP ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _database_backends() -> dict[int, float]:
    """PostgreSQL's server processes for this database and their CPU seconds so far (none on SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        pids = [pid for (pid,) in cursor.fetchall()]
    connection.close()
    cpu = {}
    for pid in pids:
        try:
            cpu[pid] = _cpu_seconds(pid)
        except OSError:
            pass
    return cpu


def _tokens(count: int) -> list[dict]:
    """An API token per staff account (made through the action, as a person would), with its site."""
    from haven.accounts.actions import api_token_create
    from haven.accounts.models import User

    clients = []
    for user in User.objects.filter(username__in=_manifest()["staff"][:count]).prefetch_related("sites"):
        _record, token = api_token_create(actor=user, name="load test")
        clients.append({"token": token, "site_id": user.sites.all()[0].pk})
    return [clients[n % len(clients)] for n in range(count)]


def _coordinator_token() -> str:
    from haven.accounts.actions import api_token_create
    from haven.accounts.models import User

    _record, token = api_token_create(actor=User.objects.get(username="bench-coordinator"), name="load test")
    return token


def _start_server(threads: int) -> tuple[subprocess.Popen, int]:
    """`haven serve` on a free loopback port; its output goes to bench-serve.log in the data folder."""
    from django.conf import settings

    port = _free_port()
    log = Path(settings.DATA_DIR, "bench-serve.log")
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "haven", "serve", "--no-worker", "--host", "127.0.0.1", "--port", str(port),
             "--threads", str(threads)],
            stdout=output, stderr=subprocess.STDOUT, env=os.environ.copy(),
        )
    deadline = time.monotonic() + 180
    while "listening" not in log.read_text():
        if server.poll() is not None or time.monotonic() > deadline:
            _stop_server(server)
            raise SystemExit(f"haven serve did not start; see {log}")
        time.sleep(0.2)
    return server, port


def _stop_server(server: subprocess.Popen) -> int:
    server.send_signal(signal.SIGINT)
    try:
        return server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        return server.wait()


class _Client(threading.Thread):
    def __init__(self, number, port, token, site_id, codes, unknown, catalog, deadline, requests, results, think,
                 mix=None):
        super().__init__(name=f"client-{number}", daemon=True)
        self.rng = random.Random(number)
        self.port, self.site_id, self.codes, self.unknown = port, site_id, codes, unknown
        self.catalog, self.deadline, self.requests, self.results = catalog, deadline, requests, results
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                        "Connection": "keep-alive"}
        self.connection = None
        self.sent = 0
        self.think = think
        self.mix = mix  # None, or {"coordinator": token, "period": "YYYY-MM"}

    def _post(self, path: str, body: dict, *, record: str | None):
        data = json.dumps(body)
        t0 = time.perf_counter()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.connection.request("POST", path, body=data, headers=self.headers)
            response = self.connection.getresponse()
            payload = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            self.connection = None
            status, payload = f"{type(error).__name__}", b"{}"
        elapsed = time.perf_counter() - t0
        self.sent += 1
        if record:
            self.results.append((record, elapsed, status))
        try:
            return status, json.loads(payload or b"{}")
        except ValueError:
            return status, {}

    def _get(self, path: str, headers: dict, *, record: str):
        """A report or a public page, on the client's one keep-alive connection (a second connection
        per client would reach waitress's limit of 100 open connections at 50 clients)."""
        t0 = time.perf_counter()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.connection.request("GET", path, headers={"Connection": "keep-alive", **headers})
            response = self.connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            self.connection = None
            status = f"{type(error).__name__}"
        self.sent += 1
        self.results.append((record, time.perf_counter() - t0, status))

    def _more(self) -> bool:
        return time.perf_counter() < self.deadline and (self.requests is None or self.sent < self.requests)

    def run(self):
        for _ in range(WARM_UP_REQUESTS):
            self._post("/api/participants/lookup", {"code": self.rng.choice(self.codes)}, record=None)
        self.sent = 0
        while self._more():
            if self.think:
                time.sleep(min(self.rng.expovariate(1 / self.think), max(0.0, self.deadline - time.perf_counter())))
                if not self._more():
                    break
            operation = self.rng.choices(list(MIX), weights=list(MIX.values()))[0] if self.mix else "visit"
            if operation == "lookup":
                unknown = self.rng.random() < UNKNOWN_LOOKUP_SHARE
                code = self.rng.choice(self.unknown if unknown else self.codes)
                self._post("/api/participants/lookup", {"code": code}, record="lookup")
                continue
            if operation == "report":
                self._get(f"/api/reports/indicators?period={self.mix['period']}&rule=month",
                          {"Authorization": f"Bearer {self.mix['coordinator']}"}, record="report")
                continue
            if operation == "public":
                self._get(self.rng.choice(PUBLIC_PAGES), {}, record="public")
                continue
            display_id = None
            if self.rng.random() < KNOWN_SHARE:
                unknown = self.rng.random() < UNKNOWN_LOOKUP_SHARE
                code = self.rng.choice(self.unknown if unknown else self.codes)
                status, answer = self._post("/api/participants/lookup", {"code": code}, record="lookup")
                if answer.get("found"):
                    display_id = answer["display_id"]
                if not self._more():
                    break
            visit = _visit(self.rng, self.catalog)
            self._post("/api/encounters", {
                "client_id": str(uuid.uuid4()), "participant": display_id, "site_id": self.site_id,
                "supplies": [{"item_id": i, "quantity": q} for i, q in visit["supplies"]],
                "kits": [{"kit_id": k, "count": c} for k, c in visit["kits"]],
            }, record="encounter")
        if self.connection is not None:
            self.connection.close()


def run_load(*, clients: int, duration: float, requests: int | None, threads: int, think: float = 0.0,
             mix: bool = False) -> dict:
    from django.db import connections

    from haven.encounters.models import Encounter

    manifest = _manifest()
    codes = participant_codes(manifest["participants"], manifest["seed"])
    unknown = unknown_codes(1000, codes, manifest["seed"] + 1)
    catalog = _catalog()
    accounts = _tokens(clients)
    mixed = None
    if mix:
        from django.utils import timezone

        last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
        mixed = {"coordinator": _coordinator_token(), "period": f"{last_month:%Y-%m}"}
    encounters_before = Encounter.objects.count()
    connection_vendor = connections["default"].vendor
    connections.close_all()

    server, port = _start_server(threads)
    results: list[tuple[str, float, object]] = []
    load_samples = []
    try:
        database0 = _database_backends()
        cpu0, rusage0, wall0 = _cpu_seconds(server.pid), resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
        deadline = wall0 + duration
        workers = [_Client(n, port, account["token"], account["site_id"], codes, unknown, catalog, deadline, requests,
                           results, think, mixed) for n, account in enumerate(accounts)]
        for worker in workers:
            worker.start()
        while any(worker.is_alive() for worker in workers):
            load_samples.append(os.getloadavg()[0])
            for worker in workers:
                worker.join(timeout=5 / len(workers))
        wall = time.perf_counter() - wall0
        server_cpu = _cpu_seconds(server.pid) - cpu0
        # Backends started during the run count in full; autovacuum and other databases' are not counted.
        database_cpu = sum(cpu - database0.get(pid, 0.0) for pid, cpu in _database_backends().items())
        rusage1 = resource.getrusage(resource.RUSAGE_SELF)
    finally:
        exit_status = _stop_server(server)

    created = Encounter.objects.count() - encounters_before
    total_requests = len(results)
    summary = {"clients": clients, "waitress_threads": threads, "think_seconds": think, "mix": MIX if mix else None,
               "server_cpu_ms_per_request": round(server_cpu * 1000 / max(1, total_requests), 1), "wall_seconds": round(wall, 1),
               "server_cpu_seconds": round(server_cpu, 1),
               "server_cpu_share": round(server_cpu / wall, 2),
               "database_cpu_seconds": round(database_cpu, 1) if connection_vendor == "postgresql" else None,
               "client_cpu_seconds": round((rusage1.ru_utime - rusage0.ru_utime) + (rusage1.ru_stime - rusage0.ru_stime), 1),
               "load_average": {"min": round(min(load_samples), 2), "mean": round(statistics.mean(load_samples), 2),
                                "max": round(max(load_samples), 2)} if load_samples else {},
               "server_exit_status": exit_status, "encounters_created": created}
    for operation in ("encounter", "lookup", *(("report", "public") if mix else ())):
        latencies = [elapsed for op, elapsed, _status in results if op == operation]
        statuses = [status for op, _elapsed, status in results if op == operation]
        errors: dict[str, int] = {}
        for status in statuses:
            if not (isinstance(status, int) and 200 <= status < 300):
                errors[str(status)] = errors.get(str(status), 0) + 1
        summary[operation] = {**_percentiles(latencies), "per_second": round(len(latencies) / wall, 1),
                              "errors": errors}
    everything = [elapsed for _op, elapsed, _status in results]
    summary["all_requests"] = {**_percentiles(everything), "per_second": round(len(everything) / wall, 1),
                               "errors": sum(not (isinstance(status, int) and 200 <= status < 300)
                                             for _op, _elapsed, status in results)}
    created_answers = sum(1 for op, _e, status in results if op == "encounter" and status == 201)
    summary["encounters_answered_201"] = created_answers
    return summary


if __name__ == "__main__":
    main()
