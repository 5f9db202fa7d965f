"""The worker runs each queued job once, retries failures with growing delays, and keeps schedules."""

import datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from haven.core import worker
from haven.core.actions import job_enqueue
from haven.core.models import Job, PeriodicJobState

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def registry():
    """Test jobs, registered for one test only; `calls` records what ran."""
    calls = []
    worker.job("test.record")(lambda payload: calls.append(payload))

    def always_fails(payload):
        raise RuntimeError("the printer is on fire")

    worker.job("test.fail")(always_fails)
    yield calls
    worker._JOBS.pop("test.record")
    worker._JOBS.pop("test.fail")


@pytest.fixture
def hourly():
    calls = []
    worker.periodic("test.hourly", every=HOUR)(lambda: calls.append("hourly"))
    yield calls
    worker._PERIODIC.pop("test.hourly")


def run_only_test_jobs(now, monkeypatch):
    """One pass of the worker at `now`, with the built-in periodic jobs set aside."""
    worker.discover()
    with monkeypatch.context() as patch:
        patch.setattr(worker, "_PERIODIC", {k: v for k, v in worker._PERIODIC.items() if k.startswith("test.")})
        return worker.run_due(worker_id="test-worker", now=now)


@pytest.mark.django_db
def test_a_queued_job_runs_once_and_is_done(registry, monkeypatch):
    job = job_enqueue(name="test.record", payload={"site_id": 7})
    assert run_only_test_jobs(timezone.now(), monkeypatch) >= 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.attempts == 1
    assert job.finished_at is not None
    assert registry.count({"site_id": 7}) == 1
    run_only_test_jobs(timezone.now(), monkeypatch)
    assert registry.count({"site_id": 7}) == 1


@pytest.mark.django_db
def test_a_job_queued_for_later_waits(registry, monkeypatch):
    later = timezone.now() + HOUR
    job = job_enqueue(name="test.record", payload={"n": 1}, run_at=later)
    run_only_test_jobs(timezone.now(), monkeypatch)
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    run_only_test_jobs(later, monkeypatch)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE


@pytest.mark.django_db
def test_a_failing_job_is_retried_with_growing_delays_then_failed(registry, monkeypatch):
    job = job_enqueue(name="test.fail", payload={"nickname": "Moonbeam"}, max_attempts=3)
    now = timezone.now()
    delays = []
    for _ in range(3):
        run_only_test_jobs(now, monkeypatch)
        job.refresh_from_db()
        if job.status == Job.Status.QUEUED:
            delays.append(job.run_at - now)
            now = job.run_at
    assert delays == [datetime.timedelta(seconds=30), datetime.timedelta(seconds=60)]
    assert job.status == Job.Status.FAILED
    assert job.attempts == 3
    assert job.last_error == "RuntimeError: the printer is on fire"
    assert "Moonbeam" not in job.last_error
    assert job.locked_by == ""


def test_retry_delays_are_capped():
    assert worker.retry_delay(1) == datetime.timedelta(seconds=30)
    assert worker.retry_delay(30) == worker.RETRY_DELAY_MAX


def test_a_long_error_message_is_cut_short():
    assert len(worker.error_summary(ValueError("x" * 2000))) == 500


@pytest.mark.django_db
def test_only_one_of_two_workers_claims_a_job(registry):
    job = job_enqueue(name="test.record", payload={})
    now = timezone.now()
    assert worker.job_claim(job.pk, worker_id="worker-a", now=now) is True
    assert worker.job_claim(job.pk, worker_id="worker-b", now=now) is False
    job.refresh_from_db()
    assert (job.status, job.locked_by, job.attempts) == (Job.Status.RUNNING, "worker-a", 1)


@pytest.mark.django_db
def test_a_job_whose_worker_died_is_claimed_again_after_its_lease(registry, monkeypatch):
    job = job_enqueue(name="test.record", payload={"n": 2})
    now = timezone.now()
    assert worker.job_claim(job.pk, worker_id="worker-that-dies", now=now)
    assert worker.job_claim(job.pk, worker_id="worker-b", now=now + datetime.timedelta(minutes=5)) is False
    after_lease = now + worker.DEFAULT_LEASE + datetime.timedelta(seconds=1)
    run_only_test_jobs(after_lease, monkeypatch)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.attempts == 2
    assert registry == [{"n": 2}]


@pytest.mark.django_db
def test_a_job_whose_worker_died_on_its_last_attempt_is_failed(registry, monkeypatch):
    job = job_enqueue(name="test.record", payload={}, max_attempts=1)
    now = timezone.now()
    assert worker.job_claim(job.pk, worker_id="worker-that-dies", now=now)
    run_only_test_jobs(now + worker.DEFAULT_LEASE + datetime.timedelta(seconds=1), monkeypatch)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "lease expired" in job.last_error
    assert registry == []


@pytest.mark.django_db
def test_a_periodic_job_runs_once_per_period(hourly, monkeypatch):
    start = timezone.now()
    run_only_test_jobs(start, monkeypatch)
    run_only_test_jobs(start + datetime.timedelta(minutes=59), monkeypatch)
    assert hourly == ["hourly"]
    run_only_test_jobs(start + HOUR, monkeypatch)
    assert hourly == ["hourly", "hourly"]
    assert PeriodicJobState.objects.get(name="test.hourly").last_status == "done"


@pytest.mark.django_db
def test_missed_periodic_runs_are_skipped_not_caught_up(hourly, monkeypatch):
    start = timezone.now()
    run_only_test_jobs(start, monkeypatch)
    run_only_test_jobs(start + 5 * HOUR + datetime.timedelta(minutes=10), monkeypatch)
    assert hourly == ["hourly", "hourly"]
    assert PeriodicJobState.objects.get(name="test.hourly").next_run_at == start + 6 * HOUR


@pytest.mark.django_db
def test_a_periodic_job_that_another_worker_holds_is_not_run_twice(hourly):
    worker.periodic_states_create()
    now = timezone.now()
    assert worker.periodic_claim("test.hourly", worker_id="worker-a", now=now) is not None
    assert worker.periodic_claim("test.hourly", worker_id="worker-b", now=now) is None


def test_jobs_from_every_app_are_discovered():
    assert {"sessions.clear_expired", "retention.expire", "jobs.remove_old_done"} <= set(worker.registered_periodic())


@pytest.mark.django_db
def test_housekeeping_removes_expired_sessions_and_old_finished_jobs():
    from haven.core import jobs

    expired = SessionStore()
    expired.set_expiry(-60)
    expired.create()
    current = SessionStore()
    current.create()
    old = timezone.now() - datetime.timedelta(days=31)
    Job.objects.bulk_create([
        Job(name="x", status=Job.Status.DONE, finished_at=old),
        Job(name="x", status=Job.Status.DONE, finished_at=timezone.now()),
        Job(name="x", status=Job.Status.FAILED, finished_at=old),
    ])
    jobs.sessions_clear_expired()
    jobs.jobs_remove_old_done()
    assert list(Session.objects.values_list("session_key", flat=True)) == [current.session_key]
    assert Job.objects.count() == 2


@pytest.mark.django_db
def test_housekeeping_forgets_sign_in_attempts_after_30_days():
    # Sign-in records expire with the retention settings (accounts/retention.py); 30 days by default.
    from axes.models import AccessAttempt

    from haven.retention.actions import retention_expire

    old = AccessAttempt.objects.create(username="someone", ip_address="192.0.2.1", failures_since_start=1)
    recent = AccessAttempt.objects.create(username="someone else", ip_address="192.0.2.2", failures_since_start=1)
    AccessAttempt.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - datetime.timedelta(days=31))
    retention_expire(only_kinds=["accounts.login"])
    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [recent.pk]
