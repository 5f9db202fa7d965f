"""kill -9 during active calls: the real `haven serve` (waitress and its worker child process) is killed
with SIGKILL while calls' check-in timers run, started again, and every overdue check-in still
escalates, once.

The server runs on this test's own database (SQLite file or PostgreSQL) with the test's keys. Calls:
- Sky missed her check-in long ago: escalated by the first worker, never again after the restart;
- Moss's check-in falls due while nothing runs: escalated by the restarted worker, each step once;
- Fern checked in just now: nothing is raised for her.
"""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection
from django.utils import timezone

from haven.consumption import spotting
from haven.consumption.jobs import ESCALATE_EVERY
from haven.consumption.models import SpottingCall, SpottingEscalation
from haven.core.models import AuditEvent, PeriodicJobState
from haven.testing.processes import REPO, free_port

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 180  # seconds allowed for a start or an escalation on a loaded machine; never a timed assertion


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return (f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
            f"/{settings['NAME']}")


def serve(log_path, port) -> tuple[subprocess.Popen, int]:
    env = {**os.environ, "DATABASE_URL": database_url(), "HAVEN_WORKER_POLL_SECONDS": "1", "PYTHONPATH": str(REPO)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = open(log_path, "a")  # noqa: SIM115 - the child writes to it until it is killed
    process = subprocess.Popen([sys.executable, "-m", "haven", "serve", "--port", str(port), "--threads", "2"],
                               cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        assert process.poll() is None, log_path.read_text()
        text = log_path.read_text()
        if text.count("Background worker started (process ") > serve.starts:
            serve.starts += 1
            return process, int(text.rsplit("Background worker started (process ", 1)[1].split(")")[0])
        time.sleep(0.2)
    process.kill()
    pytest.fail(f"haven serve did not start its worker: {log_path.read_text()}")


serve.starts = 0


def kill_9(*pids):
    for pid in pids:
        os.kill(pid, signal.SIGKILL)


def gone(pid) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:  # a killed child of ours is a zombie until reaped
        return os.waitpid(pid, os.WNOHANG)[0] == pid
    except ChildProcessError:
        return False


def wait_until(condition, what):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    pytest.fail(f"gave up waiting: {what}")


def escalation_job_finished():
    return PeriodicJobState.objects.filter(name="consumption.spotting_escalate").values_list(
        "last_finished_at", flat=True).first()


def steps(call) -> list[tuple[int, int]]:
    return list(SpottingEscalation.objects.filter(call=call).order_by("cycle", "step").values_list("cycle", "step"))


def test_killing_the_server_and_worker_mid_call_loses_no_timer_and_escalates_each_step_once(bob, tmp_path):
    now = timezone.now()
    sky = spotting.call_start(actor=bob, alias="Sky", location="blue door", now=now - datetime.timedelta(minutes=10))
    fern = spotting.call_start(actor=bob, alias="Fern", now=now)
    moss = spotting.call_start(actor=bob, alias="Moss", callback_number="555-0101", now=now)
    # Moss's check-in is due in an hour for now: it is moved right before the kill.
    SpottingCall.objects.filter(pk=moss.pk).update(last_check_in_at=now + datetime.timedelta(hours=1),
                                                   send_help_after_seconds=15)
    port = free_port()
    log = tmp_path / "serve.log"
    server, worker = serve(log, port)
    try:
        wait_until(lambda: steps(sky) == [(0, 1), (0, 2)], "the first worker escalates Sky")
        # Mid-timer: Moss's next check-in falls due 3 seconds from now, while nothing runs.
        killed_at = timezone.now()
        SpottingCall.objects.filter(pk=moss.pk).update(
            last_check_in_at=killed_at - datetime.timedelta(seconds=180 + 60 - 3))
        kill_9(server.pid, worker)
        server.wait()
        wait_until(lambda: gone(worker), "the worker is gone")
        assert steps(moss) == []
        wait_until(lambda: timezone.now() > killed_at + datetime.timedelta(seconds=4), "Moss's check-in is late")

        restarting_at = timezone.now()
        server, worker = serve(log, port)
        wait_until(lambda: steps(moss) == [(0, 1), (0, 2)], "the restarted worker escalates Moss")
        # Two more passes of the escalation job after the last step was raised change nothing.
        last_raised = SpottingEscalation.objects.get(call=moss, step=2).raised_at
        wait_until(lambda: (escalation_job_finished() or last_raised) > last_raised + ESCALATE_EVERY * 2,
                   "the worker runs the escalation job twice more")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=45)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if not gone(worker):
            os.kill(worker, signal.SIGKILL)

    assert steps(sky) == [(0, 1), (0, 2)]
    assert steps(moss) == [(0, 1), (0, 2)]
    assert steps(fern) == []
    # Moss's steps were raised by the restarted worker, each at the moment its timer gave.
    missed, send_help = SpottingEscalation.objects.filter(call=moss).order_by("step")
    assert missed.raised_at >= restarting_at and send_help.raised_at >= restarting_at
    assert missed.due_at == killed_at + datetime.timedelta(seconds=3)
    assert send_help.due_at == killed_at + datetime.timedelta(seconds=3 + 15)
    # One audit entry per escalation: none was raised twice and then rolled back into a duplicate.
    assert AuditEvent.objects.filter(object_type="consumption.spottingescalation").count() == 4
    # The calls are still open, their details intact for the operators.
    assert SpottingCall.objects.filter(ended_at__isnull=True).count() == 3
    assert SpottingCall.objects.get(pk=moss.pk).callback_number == "555-0101"
