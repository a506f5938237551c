"""How many threads one run may use: the cores shared out among the runs that may run at once.

Left alone, every worker's OpenMP (HistGradientBoosting), BLAS, XGBoost, forest and torch start one thread per
core, so a few workers together run several threads per core and spend their time switching (a 1.2 s fit took
90 s next to other work). Each run instead takes, when it gets its slot, the cores shared among the runs that
will run at once (`share_of_cores`: the runs running or waiting, at most `max_workers()`): all of them together
use each core once, and a run on its own uses every core.

The budget is applied three ways, because each library reads it differently: environment variables, which
OpenMP, OpenBLAS and MKL read when they load (a worker sets them before it imports numpy) and which the
model builders read for n_jobs (`run_threads`); threadpoolctl, for the libraries already loaded; and
torch.set_num_threads, when torch is loaded.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

THREADS_ENV = "TRAINBOARD_THREADS"  # the budget this process was given; the model builders read it
# What the native thread pools read when they load.
LIBRARY_ENVS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def thread_budget(cores: int, workers: int) -> int:
    """Threads for one run when `workers` runs may run at once on `cores` cores: cores // workers, at least 1."""
    return max(1, cores // max(1, workers))


def share_of_cores(cores: int, busy_runs: int, max_workers: int) -> int:
    """Threads for a run that starts while `busy_runs` runs (itself included) run or wait for a slot: the cores
    shared among the runs that will run at once, at most `max_workers`. A lone run takes every core; four
    started together on two cores with two slots take one each, so the two running use each core once."""
    return thread_budget(cores, min(max(1, busy_runs), max(1, max_workers)))


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells it, else all of them)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # no affinity on this system (macOS, Windows)
        return max(1, os.cpu_count() or 1)


def default_budget() -> int:
    """This machine's budget for one run: its cores shared among `jobs.max_workers()` runs."""
    from core.runs.jobs import max_workers  # jobs imports the worker, which imports this module

    return thread_budget(available_cores(), max_workers())


def run_threads() -> int:
    """The threads a model may use in this process (its n_jobs): the budget applied here, else the default one."""
    raw = os.environ.get(THREADS_ENV, "")
    if raw.isdigit() and int(raw) >= 1:
        return int(raw)
    return default_budget()


def apply_thread_budget(threads: int) -> None:
    """Limit this process to `threads` threads from now on: the environment (for libraries loaded later and for
    the builders' n_jobs), the thread pools already loaded (threadpoolctl) and torch's, if torch is loaded."""
    threads = max(1, int(threads))
    for name in (THREADS_ENV, *LIBRARY_ENVS):
        os.environ[name] = str(threads)
    _limit_loaded_pools(threads)


def _limit_loaded_pools(threads: int) -> None:
    if "numpy" in sys.modules or "sklearn" in sys.modules:  # threadpoolctl would load nothing new, only look
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=threads)  # not used as a context: the limit stays for the process's life
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)


@contextmanager
def thread_budget_applied(threads: int) -> Iterator[None]:
    """`apply_thread_budget` for the length of a `with` block (a run inline in a process that goes on), then the
    environment, the pools that were loaded and torch's threads as they were. A library first loaded inside the
    block keeps the budget it read when it loaded."""
    from threadpoolctl import threadpool_limits

    saved_env = {name: os.environ.get(name) for name in (THREADS_ENV, *LIBRARY_ENVS)}
    torch = sys.modules.get("torch")
    saved_torch = torch.get_num_threads() if torch is not None else None
    with threadpool_limits(limits=max(1, int(threads))):  # restores the loaded pools' limits on leaving
        try:
            apply_thread_budget(threads)
            yield
        finally:
            for name, value in saved_env.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            if torch is not None:
                torch.set_num_threads(saved_torch)
