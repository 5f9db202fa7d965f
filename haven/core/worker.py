"""The background worker: runs queued jobs and scheduled (periodic) jobs from the database.

The database is the queue, as in Healthchecks' `sendalerts`: no broker. A worker claims a job
with one conditional UPDATE, so two workers (or a worker and its restarted twin) never run the
same job; the claim is a lease, and a job whose worker died is claimable again once it expires.

Each app registers its jobs in a `jobs.py` module:

    @job("reports.export")
    def reports_export(payload): ...

    @periodic("sessions.clear_expired", every=timedelta(hours=1))
    def sessions_clear_expired(): ...

and queues one-off work with `haven.core.actions.job_enqueue(name=..., payload=...)`.
"""

from __future__ import annotations

import datetime
import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import DatabaseError, close_old_connections
from django.db.models import F, Q
from django.utils import timezone

from haven.core.models import Job, PeriodicJobState

logger = logging.getLogger("haven.worker")

DEFAULT_LEASE = datetime.timedelta(minutes=10)
RETRY_DELAY = datetime.timedelta(seconds=30)
RETRY_DELAY_MAX = datetime.timedelta(hours=1)
ERROR_LENGTH = 500


@dataclass(frozen=True)
class Registered:
    name: str
    function: Callable
    lease: datetime.timedelta
    every: datetime.timedelta | None = None


_JOBS: dict[str, Registered] = {}
_PERIODIC: dict[str, Registered] = {}
_discovered = False


def job(name: str, *, lease: datetime.timedelta = DEFAULT_LEASE):
    """Register `function(payload)` as one-off work that `job_enqueue(name=...)` can queue.

    `lease` is how long a run may take before another worker assumes this one died.
    """

    def register(function):
        _JOBS[name] = Registered(name=name, function=function, lease=lease)
        return function

    return register


def periodic(name: str, *, every: datetime.timedelta, lease: datetime.timedelta = DEFAULT_LEASE):
    """Register `function()` to run once every `every`, by whichever worker gets to it first."""

    def register(function):
        _PERIODIC[name] = Registered(name=name, function=function, lease=lease, every=every)
        return function

    return register


def discover() -> None:
    """Import every installed app's `jobs.py`, so that every job is registered."""
    global _discovered
    if not _discovered:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("jobs")
        _discovered = True


def registered_jobs() -> dict[str, Registered]:
    """Every one-off job, by name. Discovers first: the web process, which queues jobs but never
    imports the apps' jobs.py itself, must still see every registered job."""
    discover()
    return _JOBS


def registered_periodic() -> dict[str, Registered]:
    """Every periodic job, by name (discovered first, as `registered_jobs`)."""
    discover()
    return _PERIODIC


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


def retry_delay(attempts: int) -> datetime.timedelta:
    """30 s after the first failure, doubling each time, at most an hour."""
    return min(RETRY_DELAY * 2 ** max(attempts - 1, 0), RETRY_DELAY_MAX)


def error_summary(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:ERROR_LENGTH]


# One-off jobs -----------------------------------------------------------------------------------


def _claimable(now: datetime.datetime) -> Q:
    queued = Q(status=Job.Status.QUEUED, run_at__lte=now)
    abandoned = Q(status=Job.Status.RUNNING, locked_until__lt=now)
    return (queued | abandoned) & Q(attempts__lt=F("max_attempts"))


def job_claim(job_id: int, *, worker_id: str, now: datetime.datetime | None = None) -> bool:
    """Take the job if it is still free; True only for the one worker whose UPDATE changed the row."""
    now = now or timezone.now()
    name = Job.objects.filter(pk=job_id).values_list("name", flat=True).first()
    registered = _JOBS.get(name)
    lease = registered.lease if registered else DEFAULT_LEASE
    claimed = Job.objects.filter(_claimable(now), pk=job_id).update(
        status=Job.Status.RUNNING,
        locked_by=worker_id,
        locked_until=now + lease,
        attempts=F("attempts") + 1,
    )
    return claimed == 1


def jobs_fail_abandoned(*, now: datetime.datetime | None = None) -> int:
    """Jobs whose worker died on their last allowed attempt will not be retried: mark them failed."""
    now = now or timezone.now()
    return Job.objects.filter(
        status=Job.Status.RUNNING, locked_until__lt=now, attempts__gte=F("max_attempts")
    ).update(
        status=Job.Status.FAILED,
        finished_at=now,
        locked_by="",
        locked_until=None,
        last_error="The worker stopped before the job finished (its lease expired).",
    )


def job_run(job_id: int, *, worker_id: str, now: datetime.datetime | None = None) -> None:
    """Run a claimed job and record the outcome: done, queued again with a delay, or failed."""
    claimed = Job.objects.get(pk=job_id)
    mine = Job.objects.filter(pk=job_id, locked_by=worker_id, status=Job.Status.RUNNING)
    registered = _JOBS.get(claimed.name)
    logger.info("job %s (%s) started, attempt %s of %s", claimed.pk, claimed.name, claimed.attempts,
                claimed.max_attempts)
    try:
        if registered is None:
            raise LookupError(f"no job is registered as {claimed.name!r}")
        registered.function(claimed.payload)
    except Exception as error:
        finished = timezone.now()
        if claimed.attempts >= claimed.max_attempts:
            mine.update(status=Job.Status.FAILED, finished_at=finished, locked_by="", locked_until=None,
                        last_error=error_summary(error))
            logger.error("job %s (%s) failed for good after %s attempts (%s)", claimed.pk, claimed.name,
                         claimed.attempts, type(error).__name__)
        else:
            delay = retry_delay(claimed.attempts)
            mine.update(status=Job.Status.QUEUED, run_at=(now or finished) + delay, locked_by="",
                        locked_until=None, last_error=error_summary(error))
            logger.warning("job %s (%s) failed (%s); retrying in %s s", claimed.pk, claimed.name,
                           type(error).__name__, int(delay.total_seconds()))
        return
    mine.update(status=Job.Status.DONE, finished_at=timezone.now(), locked_by="", locked_until=None,
                last_error="")
    logger.info("job %s (%s) done", claimed.pk, claimed.name)


def jobs_due(*, now: datetime.datetime | None = None, limit: int = 20) -> list[int]:
    now = now or timezone.now()
    return list(Job.objects.filter(_claimable(now)).order_by("run_at", "pk").values_list("pk", flat=True)[:limit])


# Periodic jobs ----------------------------------------------------------------------------------


def periodic_states_create(*, now: datetime.datetime | None = None) -> None:
    """A schedule row per registered periodic job; a new one is due at once."""
    now = now or timezone.now()
    PeriodicJobState.objects.bulk_create(
        [PeriodicJobState(name=name, next_run_at=now) for name in _PERIODIC], ignore_conflicts=True
    )


def next_run_after(scheduled: datetime.datetime, every: datetime.timedelta,
                   now: datetime.datetime) -> datetime.datetime:
    """The first slot of the schedule after `now`: runs missed while no worker was up are skipped."""
    if now < scheduled:
        return scheduled + every
    return scheduled + every * ((now - scheduled) // every + 1)


def periodic_claim(name: str, *, worker_id: str, now: datetime.datetime | None = None) -> PeriodicJobState | None:
    now = now or timezone.now()
    registered = _PERIODIC[name]
    free = Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    claimed = PeriodicJobState.objects.filter(free, name=name, next_run_at__lte=now).update(
        locked_by=worker_id, locked_until=now + registered.lease, last_started_at=now
    )
    if claimed != 1:
        return None
    return PeriodicJobState.objects.get(name=name)


def periodic_run(state: PeriodicJobState, *, worker_id: str, now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    registered = _PERIODIC[state.name]
    next_run_at = next_run_after(state.next_run_at, registered.every, now)
    mine = PeriodicJobState.objects.filter(name=state.name, locked_by=worker_id)
    logger.info("periodic job %s started", state.name)
    try:
        registered.function()
    except Exception as error:
        mine.update(next_run_at=next_run_at, locked_by="", locked_until=None, last_finished_at=timezone.now(),
                    last_status="failed", last_error=error_summary(error))
        logger.error("periodic job %s failed (%s); next run at %s", state.name, type(error).__name__,
                     next_run_at.isoformat())
        return
    mine.update(next_run_at=next_run_at, locked_by="", locked_until=None, last_finished_at=timezone.now(),
                last_status="done", last_error="")
    logger.info("periodic job %s done; next run at %s", state.name, next_run_at.isoformat())


# The loop ---------------------------------------------------------------------------------------


def run_due(*, worker_id: str, now: datetime.datetime | None = None, stop: threading.Event | None = None) -> int:
    """Run every periodic and queued job that is due now; returns how many ran.

    `now` is for tests: it stands for the clock throughout one pass.
    """
    discover()
    stop = stop or threading.Event()
    ran = 0
    periodic_states_create(now=now)
    jobs_fail_abandoned(now=now)
    for name in sorted(_PERIODIC):
        if stop.is_set():
            return ran
        state = periodic_claim(name, worker_id=worker_id, now=now)
        if state is not None:
            periodic_run(state, worker_id=worker_id, now=now)
            ran += 1
    while not stop.is_set():
        due = jobs_due(now=now)
        claimed_any = False
        for job_id in due:
            if stop.is_set():
                break
            if job_claim(job_id, worker_id=worker_id, now=now):
                claimed_any = True
                job_run(job_id, worker_id=worker_id, now=now)
                ran += 1
        if not claimed_any:
            break
    return ran


def worker_run(*, once: bool = False, poll_seconds: float = 5, stop: threading.Event | None = None) -> None:
    """Run due work until `stop` is set (after the current job), or once through with `once`."""
    stop = stop or threading.Event()
    worker_id = new_worker_id()
    discover()
    logger.info("worker %s started with %s job(s) and %s periodic job(s)", worker_id, len(_JOBS), len(_PERIODIC))
    while not stop.is_set():
        close_old_connections()
        try:
            ran = run_due(worker_id=worker_id, stop=stop)
        except DatabaseError as error:
            # The database went away for a moment (restart, failover): wait and try again.
            logger.warning("worker %s: database error (%s); retrying", worker_id, type(error).__name__)
            close_old_connections()
            if once:
                raise
            stop.wait(poll_seconds)
            continue
        if once:
            break
        if ran == 0:
            stop.wait(poll_seconds)
    logger.info("worker %s stopped", worker_id)
