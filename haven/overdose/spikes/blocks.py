"""Run detectors block by block over the areas, sharing work between them,
optionally on several processes.

Every detector treats each area on its own, so the areas x time array can be
cut into blocks of a few areas and the blocks run one after the other (or on
different cores) with the same answer as the whole array at once.  Blocks
keep the temporaries small (a block of ``BLOCK_CELLS`` counts is about 2 MB
per array): on the full 3,000 x 1,825 benchmark array every temporary was
44 MB, and most of the time went to the kernel handing out fresh memory pages.

A block also carries the intermediate results that several detectors use
(``AreaBlock.memo``): the running sums of the counts, the EARS baseline
statistics (C2 and C3 share theirs), the EWMA and the regression fits that
the switch detector reuses.  ``run_plans`` runs a list of detector "plans"
(objects with ``method``, ``start``, ``parameters()``, ``details`` and
``fill(result, rows, block)``) over the blocks.

Result arrays of 4 MiB or more come from anonymous memory maps
(``mapped_empty``) rather than NumPy's allocator: NumPy asks the kernel for
transparent huge pages for large arrays, and on the benchmark machine finding
free 2 MB pages (memory compaction) cost more kernel time than the 4 kB pages
it saves.  Each block initialises its own rows of the results before filling them.

With ``workers`` > 1, ``run_plans`` forks ``workers - 1`` processes that take
blocks from a shared counter alongside the calling process; results are
written straight into shared memory, so nothing large is copied between
processes.  The work per block is the same code in every case, so the answer
does not depend on the number of workers.
"""

from __future__ import annotations

import mmap
import multiprocessing
import os
import sys

import numpy as np

from .result import SpikeResult, empty_result, initialise_rows

# Counts per block (areas x time points); about 2 MB per float64 array.
BLOCK_CELLS = 1 << 18
# Below this many counts (all plans together), a process pool costs more than it saves.
PARALLEL_MIN_CELLS = 1_000_000
# Result arrays at least this large get their own memory map (see the module docstring).
MAPPED_MIN_BYTES = 4 << 20


def area_blocks(n_areas: int, length: int, cells: int = BLOCK_CELLS) -> list[slice]:
    """Consecutive slices of areas with about ``cells`` counts each."""
    per_block = max(1, cells // max(length, 1))
    return [slice(first, min(first + per_block, n_areas)) for first in range(0, n_areas, per_block)]


class AreaBlock:
    """The counts of a block of areas and the intermediate results detectors share."""

    def __init__(self, observed: np.ndarray):
        self.observed = observed
        self._memo: dict = {}

    def memo(self, key, compute):
        """``compute()`` the first time ``key`` is asked for, the stored value afterwards."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def running_sums(self):
        """(running sum, running sum of squares), each with a leading zero column."""

        def compute():
            areas = self.observed.shape[0]
            zero = np.zeros((areas, 1))
            return (np.concatenate([zero, np.cumsum(self.observed, axis=1)], axis=1),
                    np.concatenate([zero, np.cumsum(self.observed * self.observed, axis=1)], axis=1))

        return self.memo("running_sums", compute)


def new_result(plan, observed: np.ndarray, allocate=None) -> SpikeResult:
    """A result for ``plan`` with its detail arrays, not yet initialised: each
    block sets its own rows (``initialise_rows``) before the plan fills them,
    so that worker processes share that work too."""
    result = empty_result(plan.method, observed, plan.start, plan.parameters(), allocate=allocate, initialise=False)
    for name in plan.details:
        result.details[name] = (np.empty if allocate is None else allocate)(observed.shape, float)
    return result


def run_plans(plans, observed: np.ndarray, *, workers: int = 1, block_cells: int | None = None) -> list[SpikeResult]:
    """Run every plan over ``observed`` (areas x time), block by block.

    ``workers`` > 1 uses that many processes (forked; the caller's process is
    one of them) when the data are large enough to gain from it; the results
    are identical either way.
    """
    return run_plan_groups([(plans, observed)], workers=workers, block_cells=block_cells)[0]


def run_plan_groups(groups, *, workers: int = 1, block_cells: int | None = None) -> list[list[SpikeResult]]:
    """``run_plans`` for several (plans, observed) pairs, e.g. daily and weekly
    counts, with one pool of workers for all their blocks (taken in order:
    put the most expensive group first so that the cheap blocks fill the gaps
    at the end).  Returns the results per group."""
    work = []  # (group index, rows)
    for index, (plans, observed) in enumerate(groups):
        cells = block_cells
        if cells is None:
            cells = min([getattr(plan, "block_cells", BLOCK_CELLS) for plan in plans] or [BLOCK_CELLS])
        work += [(index, rows) for rows in area_blocks(observed.shape[0], observed.shape[1], cells)]
    total = sum(observed.size * len(plans) for plans, observed in groups)
    parallel = workers > 1 and len(work) > 1 and total >= PARALLEL_MIN_CELLS and can_fork()
    allocate = shared_empty if parallel else private_empty
    results = [[new_result(plan, observed, allocate=allocate) for plan in plans] for plans, observed in groups]

    def run_block(item):
        index, rows = item
        plans, observed = groups[index]
        block = AreaBlock(observed[rows])
        for plan, result in zip(plans, results[index], strict=True):
            initialise_rows(result, rows, plan.start)
            plan.fill(result, rows, block)

    if parallel:
        _run_forked(run_block, work, min(workers, len(work)))
    else:
        for item in work:
            run_block(item)
    return results


def can_fork() -> bool:
    return sys.platform != "win32" and "fork" in multiprocessing.get_all_start_methods()


def mapped_empty(shape, dtype, shared: bool = False) -> np.ndarray:
    """An uninitialised array in its own anonymous memory map (unmapped when the
    array is freed).  ``shared``: forked children write, the parent sees it."""
    dtype = np.dtype(dtype)
    size = int(np.prod(shape))
    flags = mmap.MAP_SHARED if shared else mmap.MAP_PRIVATE
    buffer = mmap.mmap(-1, max(size * dtype.itemsize, 1), flags=flags)
    return np.frombuffer(buffer, dtype=dtype, count=size).reshape(shape)


def shared_empty(shape, dtype) -> np.ndarray:
    return mapped_empty(shape, dtype, shared=True)


def private_empty(shape, dtype) -> np.ndarray:
    """NumPy's allocator for small arrays (it asks for huge pages from 4 MiB on,
    and many small maps would count against the kernel's limit of memory maps
    per process), an anonymous private map for larger ones."""
    nbytes = int(np.prod(shape)) * np.dtype(dtype).itemsize
    if nbytes < MAPPED_MIN_BYTES or not hasattr(mmap, "MAP_PRIVATE"):  # MAP_PRIVATE: not on Windows
        return np.empty(shape, dtype)
    return mapped_empty(shape, dtype, shared=False)


class WorkerFailed(RuntimeError):
    """A forked worker process did not finish its blocks."""


def _run_forked(run_block, blocks, workers: int) -> None:
    """Run ``run_block`` over ``blocks`` in this process and ``workers - 1`` forked ones,
    each taking the next block from a shared counter."""
    context = multiprocessing.get_context("fork")
    counter = context.Value("i", 0)

    def take_blocks():
        while True:
            with counter.get_lock():
                index = counter.value
                counter.value += 1
            if index >= len(blocks):
                return
            run_block(blocks[index])

    def child():
        try:
            take_blocks()
        except BaseException:  # report through the exit code; the parent raises
            os._exit(1)
        os._exit(0)

    processes = [context.Process(target=child, daemon=True) for _ in range(workers - 1)]
    for process in processes:
        process.start()
    try:
        take_blocks()
    finally:
        for process in processes:
            process.join()
    failed = [process.exitcode for process in processes if process.exitcode != 0]
    if failed:
        raise WorkerFailed(f"a spike detection worker process failed (exit code {failed[0]})")
