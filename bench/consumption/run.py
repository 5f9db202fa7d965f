"""Booth board: how fast a change reaches every open screen, and whether a restart loses a timer.

Run (SQLite in a new temporary data folder unless HAVEN_DATA_DIR / DATABASE_URL say otherwise):
    python bench/consumption/run.py [--booths 30] [--screens 6] [--minutes 3] [--speed 240]

A real `haven serve` on a loopback port; `--screens` signed-in staff sessions poll the board's live
endpoint every `queries.BOARD_POLL_MILLISECONDS` exactly as the page does (`?v=<tag>`: 204 while nothing changed,
else only the booths changed since, or the whole board after a change to its layout). This
process plays a 12-hour shift of `--booths` booths compressed `--speed` times (check-ins, checks,
check-outs, a few overdose responses) through the actions, and notes when each change was made
(the board version it produced). Each screen notes when it first saw a version at least that new.
Reported: the time from change to visible, per change and screen (p50, p95, p99, max), excluding
the changes made while the server was down. Half-way the server is killed with SIGKILL and started
again; every open stay's timer (check-in and last-check moments) is read before the kill and from
the restarted server's board API after: any difference is a lost timer.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import requests  # noqa: E402

PASSWORD = "bench-consumption-password-9f3"
VERSION = re.compile(r'data-version="(\d+)"')
TAG = re.compile(r'data-tag="([0-9a-f.]+)"')


def django_setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")
    import django

    django.setup()


def prepare(booths: int, screens: int):
    from django.core.management import call_command

    from haven.accounts.models import User
    from haven.accounts.roles import Role
    from haven.consumption.models import Booth
    from haven.core import actions
    from haven.places.models import Site

    call_command("migrate", verbosity=0)
    actions.keys_ensure()
    site = Site.objects.create(name="Bench site")
    kinds = [Booth.Kind.INJECTION] * (booths * 2 // 3) + [Booth.Kind.INHALATION] * (booths - booths * 2 // 3)
    for number, kind in enumerate(kinds, start=1):
        Booth.objects.create(site=site, name=f"Booth {number}", kind=kind, sort_order=number)
    users = []
    for number in range(screens + 1):
        user = User.objects.create(username=f"staff{number}", role=Role.STAFF)
        user.set_password(PASSWORD)
        user.save()
        user.sites.set([site])
        users.append(user)
    return site, users


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, log: Path) -> subprocess.Popen:
    with log.open("a") as output:
        server = subprocess.Popen([sys.executable, "-m", "haven", "serve", "--no-worker", "--host", "127.0.0.1",
                                   "--port", str(port), "--threads", "8"], stdout=output, stderr=subprocess.STDOUT,
                                  env=os.environ.copy())
    deadline = time.monotonic() + 180
    while True:
        try:
            if requests.get(f"http://127.0.0.1:{port}/health/", timeout=2).status_code < 500:
                return server
        except requests.RequestException:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"haven serve did not start; see {log}")
        time.sleep(0.2)


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sign_in(base: str, username: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{base}/login/", timeout=10)
    response = session.post(f"{base}/login/", data={
        "username": username, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": f"{base}/login/"}, timeout=10)
    if "sessionid" not in session.cookies:
        raise SystemExit(f"{username} could not sign in ({response.status_code})")
    return session


class Screen(threading.Thread):
    """One open board: polls like htmx's `every 300ms` and notes when each version first shows."""

    def __init__(self, base, session, site_id, stop):
        super().__init__(daemon=True)
        self.url = f"{base}/consumption/sites/{site_id}/live/"
        self.session, self.stop = session, stop
        self.seen: list[tuple[float, int]] = []  # (moment, version), when the version grew
        self.requests = self.not_modified = self.errors = self.whole_boards = 0

    def run(self):
        tag, version = "", -1
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                response = self.session.get(self.url, params={"v": tag}, timeout=5)
                self.requests += 1
                if response.status_code == 204:
                    self.not_modified += 1
                elif response.status_code == 200:
                    arrived = time.monotonic()
                    # The whole board, or only the booths changed since `tag` (out-of-band swaps).
                    self.whole_boards += 'id="board"' in response.text
                    tag = TAG.search(response.text).group(1)
                    seen = int(VERSION.search(response.text).group(1))
                    if seen > version:
                        version = seen
                        self.seen.append((arrived, seen))
                else:
                    self.errors += 1
            except requests.RequestException:
                self.errors += 1
            # htmx's `every 300ms` starts the next request 300 ms after the previous one was sent (or when
            # it returns, if later: htmx queues a poll behind one in flight).
            self.stop.wait(max(POLL_SECONDS - (time.monotonic() - started), 0))


def shift_events(booths, speed, minutes, rng):
    """(real-time offset in seconds, kind, booth index) for a busy 12-hour shift, compressed."""
    events = []
    shift_seconds = min(12 * 3600, minutes * 60 * speed)
    for booth in range(booths):
        moment = rng.uniform(0, 600)
        while moment < shift_seconds:
            events.append((moment, "in", booth))
            stay = rng.uniform(10 * 60, 35 * 60)
            check = moment + 5 * 60
            while check < moment + stay:
                events.append((check, "check", booth))
                check += 5 * 60
            if rng.random() < 0.01:
                events.append((moment + stay * 0.6, "response", booth))
            events.append((moment + stay, "out", booth))
            moment += stay + rng.uniform(60, 15 * 60)
    return sorted((when / speed, kind, booth) for when, kind, booth in events)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def open_timers(site):
    from haven.consumption.models import Stay

    # The API sends milliseconds: compare at that precision.
    def ms(moment):
        return moment.replace(microsecond=moment.microsecond // 1000 * 1000)

    return {(stay.booth_id, ms(stay.checked_in_at), ms(stay.last_check_at))
            for stay in Stay.objects.filter(site=site, checked_out_at__isnull=True)}


def api_timers(base, session, site):
    body = session.get(f"{base}/api/consumption/sites/{site.pk}/board", timeout=10).json()
    from django.utils.dateparse import parse_datetime

    return {(booth["booth_id"], parse_datetime(booth["checked_in_at"]), parse_datetime(booth["last_check_at"]))
            for booth in body["booths"] if booth["who"]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--booths", type=int, default=30)
    parser.add_argument("--screens", type=int, default=6)
    parser.add_argument("--minutes", type=float, default=3.0, help="real minutes the compressed shift lasts")
    parser.add_argument("--speed", type=float, default=240.0, help="how many times faster than real time")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--poll-ms", type=int, default=None,
                        help="poll interval of the simulated screens (default: the page's, "
                             "queries.BOARD_POLL_MILLISECONDS)")
    args = parser.parse_args(argv)
    if not os.environ.get("HAVEN_DATA_DIR"):
        os.environ["HAVEN_DATA_DIR"] = tempfile.mkdtemp(prefix="haven-bench-consumption-")
    django_setup()
    global POLL_SECONDS
    from django.conf import settings

    from haven.consumption.queries import BOARD_POLL_MILLISECONDS

    POLL_SECONDS = (args.poll_ms or BOARD_POLL_MILLISECONDS) / 1000
    from django.db import connection

    from haven.consumption import actions
    from haven.consumption.models import Booth, MedicalResponse, Stay
    from haven.consumption.queries import board_version

    site, users = prepare(args.booths, args.screens)
    driver = users[0]
    booths = list(Booth.objects.filter(site=site).order_by("sort_order"))
    log = Path(settings.DATA_DIR, "bench-serve.log")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(port, log)
    stop = threading.Event()
    screens = [Screen(base, sign_in(base, user.username), site.pk, stop) for user in users[1:]]
    for screen in screens:
        screen.start()
    loads: list[float] = []  # the 1-minute load average, every 5 s: the machine may be shared

    def sample_load():
        while not stop.wait(5):
            loads.append(os.getloadavg()[0])

    threading.Thread(target=sample_load, daemon=True).start()
    rng = random.Random(args.seed)
    events = shift_events(len(booths), args.speed, args.minutes, rng)
    changes: list[tuple[float, int, bool]] = []  # (moment, version, made while the server was down)
    down = threading.Event()
    restart_at = args.minutes * 60 / 2
    restart = {}
    restart_window = (0.0, 0.0)
    started = time.monotonic()
    open_stays: dict[int, int] = {}
    for offset, kind, index in events:
        if offset > args.minutes * 60:
            break
        if not restart and offset >= restart_at:
            before = open_timers(site)
            server.send_signal(signal.SIGKILL)
            server.wait()
            down.set()
            killed = time.monotonic()
            server = start_server(port, log)
            down.clear()
            restart_window = (killed - POLL_SECONDS - 0.5, time.monotonic())
            after = api_timers(base, sign_in(base, users[1].username), site)
            # From here the restarted server's CPU time is counted against the polls it serves.
            cpu_from, polls_from = cpu_seconds(server.pid), sum(screen.requests for screen in screens)
            answered_200_from = sum(screen.requests - screen.not_modified - screen.errors for screen in screens)
            restart = {"open_stays_before": len(before), "lost_or_changed": len(before ^ after),
                       "down_seconds": round(time.monotonic() - killed, 2)}
        wait = started + offset - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        booth = booths[index]
        try:
            if kind == "in" and index not in open_stays:
                stay = actions.stay_check_in(actor=driver, booth=booth, route=rng.choice(["injection", "smoking"]))
                open_stays[index] = stay.pk
            elif kind == "check" and index in open_stays:
                actions.stay_acknowledge_check(actor=driver, stay_id=open_stays[index])
            elif kind == "out" and index in open_stays:
                actions.stay_check_out(actor=driver, stay_id=open_stays.pop(index))
            elif kind == "response" and index in open_stays:
                now = __import__("django.utils.timezone").utils.timezone.now()
                actions.medical_response_record(
                    actor=driver, site=site, stay=Stay.objects.get(pk=open_stays[index]), noticed_at=now,
                    responded_at=now, signs="slow breathing", outcome="recovered_on_site", overdose=False,
                    emergency_services_called="no", emergency_services_reason="breathing normally")
            else:
                continue
        except Exception as error:  # noqa: BLE001 - a refused change is reported, not fatal
            print(f"refused {kind} at booth {index}: {error}", file=sys.stderr)
            continue
        changes.append((time.monotonic(), board_version(site), down.is_set()))
    time.sleep(POLL_SECONDS * 3)
    stop.set()
    for screen in screens:
        screen.join(timeout=10)
    server_cpu = cpu_seconds(server.pid) - cpu_from if restart else None
    polls_after = sum(screen.requests for screen in screens) - polls_from if restart else 0
    full_after = (sum(screen.requests - screen.not_modified - screen.errors for screen in screens)
                  - answered_200_from) if restart else 0
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:  # a loaded machine: the numbers are taken, stop it the hard way
        server.kill()
        server.wait()

    latencies, around_restart = [], []
    missed = 0
    for made_at, version, _while_down in changes:
        # Changes made from a poll before the kill until the server answered again wait for the restart.
        bucket = around_restart if restart_window[0] <= made_at <= restart_window[1] else latencies
        for screen in screens:
            shown = next((moment for moment, seen in screen.seen if seen >= version and moment >= made_at - 0.001),
                         None)
            if shown is None:
                missed += 1
            else:
                bucket.append(shown - made_at)
    polls = sum(screen.requests for screen in screens)
    result = {
        "database": connection.vendor, "booths": len(booths), "screens": len(screens),
        "real_minutes": args.minutes, "speed": args.speed, "changes": len(changes),
        "stays": Stay.objects.filter(site=site).count(), "responses": MedicalResponse.objects.count(),
        "change_to_screen_seconds": {
            "measured": len(latencies), "never_seen": missed,
            "p50": round(statistics.median(latencies), 3), "p95": round(percentile(latencies, 0.95), 3),
            "p99": round(percentile(latencies, 0.99), 3), "max": round(max(latencies), 3)},
        "around_restart_seconds": {"measured": len(around_restart),
                                   "max": round(max(around_restart), 3) if around_restart else None},
        "polls": polls, "polls_answered_204": sum(screen.not_modified for screen in screens),
        "polls_answered_whole_board": sum(screen.whole_boards for screen in screens),
        "poll_errors": sum(screen.errors for screen in screens), "restart": restart,
        # The restarted server's CPU per poll answered (204s and whole boards together): what a poll
        # costs, whatever else the machine is doing.
        "server_cpu_after_restart": {
            "cpu_seconds": round(server_cpu, 2) if server_cpu is not None else None,
            "polls": polls_after, "boards_or_booths": full_after,
            "cpu_ms_per_poll": round(1000 * server_cpu / polls_after, 1) if polls_after else None},
        "poll_seconds": POLL_SECONDS, "cpus": os.cpu_count(),
        "load_average_1min": {"min": min(loads, default=None), "max": max(loads, default=None),
                              "mean": round(statistics.mean(loads), 2) if loads else None},
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
