"""Running many methods at once (``run_methods``): blocks of areas, work shared
between methods, and worker processes give exactly the answers of running each
method on its own."""

import csv
import io
import multiprocessing
import os

import numpy as np
import pytest

from haven.overdose.spikes import METHODS, run_method, run_method_groups, run_methods
from haven.overdose.spikes import blocks as blocks_module
from haven.overdose.spikes.blocks import WorkerFailed, run_plans
from haven.overdose.spikes.cli import main

DAILY = ("ears-c1", "ears-c2", "ears-c3", "ewma", "regression", "switch", "threshold")
WEEKLY = ("farrington", "farrington-noufaily")


def daily_counts(areas=23, days=400, seed=4):
    rng = np.random.default_rng(seed)
    day = np.arange(days)
    level = rng.gamma(2.0, 2.0, size=(areas, 1))
    counts = rng.poisson(level * (1 + 0.3 * (day % 7 == 5))).astype(float)
    counts[3, 200:205] += 25  # a spike, so that some points alarm
    counts[5] = 0.0  # an area with no reports: constant baselines
    return counts


def weekly_counts(areas=9, weeks=300, seed=9):
    rng = np.random.default_rng(seed)
    level = rng.gamma(3.0, 3.0, size=(areas, 1))
    counts = rng.poisson(level, size=(areas, weeks)).astype(float)
    counts[2, -3:] += 40
    return counts


def assert_identical(first, second):
    assert first.method == second.method
    np.testing.assert_array_equal(first.status, second.status)
    np.testing.assert_array_equal(first.alarm, second.alarm)
    np.testing.assert_array_equal(first.upperbound, second.upperbound)
    np.testing.assert_array_equal(first.expected, second.expected)
    assert list(first.details) == list(second.details)
    for name in first.details:
        np.testing.assert_array_equal(first.details[name], second.details[name])
    assert first.parameters == second.parameters


def one_by_one(methods, counts, freq):
    return {method: run_method(method, counts, freq=freq, threshold=3, start=30) for method in methods}


def test_all_methods_together_give_the_same_results_as_one_by_one():
    daily = daily_counts()
    together = run_methods(DAILY, daily, freq="day", threshold=3, start=30)
    for method, alone in one_by_one(DAILY, daily, "day").items():
        assert_identical(together[method], alone)
    weekly = weekly_counts()
    together = run_methods(WEEKLY, weekly, freq="week", threshold=3, start=30)
    for method, alone in one_by_one(WEEKLY, weekly, "week").items():
        assert_identical(together[method], alone)
    assert set(DAILY + WEEKLY) == set(METHODS)


def test_small_blocks_of_areas_give_the_same_results_as_one_block():
    daily = daily_counts()
    small = run_methods(DAILY, daily, freq="day", threshold=3, start=30, block_cells=3 * daily.shape[1])
    whole = run_methods(DAILY, daily, freq="day", threshold=3, start=30, block_cells=daily.size)
    for method in DAILY:
        assert_identical(small[method], whole[method])


@pytest.mark.parametrize("methods, counts, freq", [(DAILY, daily_counts(), "day"), (WEEKLY, weekly_counts(), "week")])
def test_worker_processes_give_results_identical_to_one_process(monkeypatch, methods, counts, freq):
    monkeypatch.setattr(blocks_module, "PARALLEL_MIN_CELLS", 0)
    small_blocks = 2 * counts.shape[1]
    parallel = run_methods(methods, counts, freq=freq, threshold=3, start=30, workers=2, block_cells=small_blocks)
    serial = run_methods(methods, counts, freq=freq, threshold=3, start=30, workers=1, block_cells=small_blocks)
    for method in methods:
        assert_identical(parallel[method], serial[method])


def test_farrington_in_small_blocks_agrees_with_one_block_to_rounding():
    # The fits' small matrix products may round differently with a different
    # number of rows (BLAS kernels), so values agree to about 1e-15, not bit for bit.
    counts = weekly_counts()
    small = run_methods(WEEKLY, counts, freq="week", block_cells=2 * counts.shape[1])
    whole = run_methods(WEEKLY, counts, freq="week", block_cells=counts.size)
    for method in WEEKLY:
        np.testing.assert_array_equal(small[method].status, whole[method].status)
        np.testing.assert_array_equal(small[method].alarm, whole[method].alarm)
        np.testing.assert_allclose(small[method].upperbound, whole[method].upperbound, rtol=1e-12)
        np.testing.assert_allclose(small[method].expected, whole[method].expected, rtol=1e-12)


def test_default_blocks_in_worker_processes_match_one_method_at_a_time(monkeypatch):
    # Large enough for several blocks of the default size and for the process pool.
    monkeypatch.setattr(blocks_module, "PARALLEL_MIN_CELLS", 0)
    counts = daily_counts(areas=700, days=400)
    parallel = run_methods(("ears-c2", "ears-c3", "switch"), counts, freq="day", workers=2)
    for method, result in parallel.items():
        assert_identical(result, run_method(method, counts, freq="day"))


def test_daily_and_weekly_groups_in_one_pool_match_separate_calls(monkeypatch):
    monkeypatch.setattr(blocks_module, "PARALLEL_MIN_CELLS", 0)
    daily, weekly = daily_counts(), weekly_counts()
    weekly_options = {"freq": "week", "start": 30}
    daily_options = {"freq": "day", "start": 30, "threshold": 3}
    for workers in (1, 2):
        weekly_results, daily_results = run_method_groups(
            [(WEEKLY, weekly, weekly_options), (DAILY, daily, daily_options)], workers=workers, block_cells=800)
        separate_weekly = run_methods(WEEKLY, weekly, block_cells=800, **weekly_options)
        separate_daily = run_methods(DAILY, daily, block_cells=800, **daily_options)
        for method in WEEKLY:
            assert_identical(weekly_results[method], separate_weekly[method])
        for method in DAILY:
            assert_identical(daily_results[method], separate_daily[method])


class RecordingPlan:
    """Writes the id of the process that filled each area into ``expected``.

    ``barrier``: each block waits there, so two blocks need two processes.
    ``child_started``: a worker process sets it and fails; the calling
    process waits for it, so the worker is sure to get a block."""

    method = "recording"
    start = 0
    details = ()

    def __init__(self, barrier=None, child_started=None):
        self.barrier = barrier
        self.child_started = child_started
        self.parent = os.getpid()

    def parameters(self):
        return {}

    def fill(self, result, rows, block):
        if self.child_started is not None:
            if os.getpid() != self.parent:
                self.child_started.set()
                raise RuntimeError("this worker fails")
            assert self.child_started.wait(timeout=120)
        if self.barrier is not None:
            self.barrier.wait(timeout=120)
        result.expected[rows] = os.getpid()


def test_two_workers_fill_the_blocks_in_two_processes(monkeypatch):
    monkeypatch.setattr(blocks_module, "PARALLEL_MIN_CELLS", 0)
    barrier = multiprocessing.get_context("fork").Barrier(2)
    counts = np.ones((2, 10))
    (result,) = run_plans([RecordingPlan(barrier)], counts, workers=2, block_cells=10)
    processes = set(result.expected[:, 0].tolist())
    assert len(processes) == 2
    assert os.getpid() in processes


def test_one_series_stays_in_the_calling_process():
    (result,) = run_plans([RecordingPlan()], np.ones((1, 5000)), workers=2)
    assert set(result.expected.ravel().tolist()) == {os.getpid()}


def test_a_failing_worker_process_raises_instead_of_returning_partial_results(monkeypatch):
    monkeypatch.setattr(blocks_module, "PARALLEL_MIN_CELLS", 0)
    plan = RecordingPlan(child_started=multiprocessing.get_context("fork").Event())
    with pytest.raises(WorkerFailed):
        run_plans([plan], np.ones((40, 10)), workers=2, block_cells=10)


def test_run_methods_rejects_unknown_methods_and_bad_worker_counts():
    with pytest.raises(ValueError, match="unknown method"):
        run_methods(["ears-c1", "c4"], np.ones((2, 30)))
    with pytest.raises(ValueError, match="workers"):
        run_methods(["ears-c1"], np.ones((2, 30)), workers=0)
    with pytest.raises(ValueError, match="needs a threshold"):
        run_methods(["threshold"], np.ones((2, 30)))


def cli(argv, text):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdin=io.StringIO(text), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_gives_the_same_output_with_worker_processes(monkeypatch):
    monkeypatch.setattr(blocks_module, "PARALLEL_MIN_CELLS", 0)
    monkeypatch.setattr(blocks_module, "BLOCK_CELLS", 400)
    counts = daily_counts(areas=12, days=200)
    lines = ["area,observed"] + [f"area {a},{int(c)}" for a in range(12) for c in counts[a]]
    text = "\n".join(lines) + "\n"
    for method in ("ears-c3", "switch"):
        argv = ["-", "--method", method, "--area-column", "area", "--start", "60"]
        code_one, out_one, err_one = cli(argv + ["--workers", "1"], text)
        code_two, out_two, err_two = cli(argv + ["--workers", "2"], text)
        assert code_one == code_two == 0, err_one + err_two
        assert out_one == out_two
        rows = list(csv.DictReader(io.StringIO(out_two)))
        assert any(row["alarm"] == "1" for row in rows)


def test_cli_refuses_zero_workers():
    code, out, err = cli(["-", "--workers", "0"], "observed\n1\n2\n")
    assert code == 2
    assert "--workers must be 1 or more" in err
    assert out == ""
