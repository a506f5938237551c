"""`python -m core.runs.worker RUN_ID [RUN_ID ...] [--db PATH]`: run queued runs in this process, its own (the
first) and then each of the others that is still queued when it is free (runs started together: jobs.submit_all),
so a second run reuses the imports, the loaded dataset and the split of the first.

The worker waits for a slot (at most `max_workers()` runs at once, oldest queued first), then calls the
run's executor: the function named by the run config's "executor" key ("package.module:function",
default DEFAULT_EXECUTOR) as `executor(run_id, store)`. The executor does the work, reports with
`store.progress`, checks `store.stop_requested` between steps and ends the run with `store.finish`.
An executor that sees the stop flag may simply return, or raise an exception whose `run_status`
attribute is "stopped" (or "diverged"); the run is then recorded with that status.

Whatever goes wrong is recorded on the run (status failed, a one-line message, error.txt with the
traceback in the run folder), and the worker still exits 0: the failure belongs to the run, not to
the process. SIGTERM (sent by `jobs.stop` when the executor does not answer the flag) unwinds the
executor and records the run as stopped.

When a run gets its slot (before anything loads numpy, for the first), the worker limits itself to that run's
share of the cores: the cores shared among the runs running or waiting then, at most `max_workers()` at once
(core/runs/threads.py).
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from core.errors import TrainboardError
from core.runs.artifacts import write_text
from core.runs.heartbeat import heartbeat
from core.runs.store import RunNotFoundError, RunRecord, RunStateError, RunStore
from core.runs.threads import apply_thread_budget, available_cores, share_of_cores

DEFAULT_EXECUTOR = "core.training.execute:execute_run"
POLL_SECONDS = 0.5
ERROR_FILE = "error.txt"
MAX_MESSAGE_CHARS = 500
# An exception may say how its run ends with a `run_status` attribute (e.g. a stop raised between steps).
EXCEPTION_STATUSES = ("failed", "diverged", "stopped")

Executor = Callable[[str, RunStore], object]


class StopSignal(BaseException):
    """Raised by the SIGTERM handler. A BaseException, so an executor's `except Exception` lets it through
    and its `with` blocks (open database connections included) unwind before the run is marked stopped."""


class ExecutorError(TrainboardError):
    """The run's "executor" setting does not name a function that can be imported."""


def load_executor(path: str) -> Executor:
    """The function named 'package.module:function' (or 'package.module.function')."""
    module_name, sep, attribute = path.partition(":")
    if not sep:
        module_name, _, attribute = path.rpartition(".")
    try:
        function = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError, ValueError) as exc:
        raise ExecutorError(f"executor '{path}' cannot be loaded: {exc}") from exc
    if not callable(function):
        raise ExecutorError(f"executor '{path}' is not a function")
    return function


def failure_message(exc: BaseException) -> str:
    """One line for the run's error column: a user's error as written, anything else with its type."""
    if isinstance(exc, TrainboardError):
        text = str(exc) or type(exc).__name__
    elif isinstance(exc, MemoryError):
        detail = str(exc) or "the run needed more memory than was free"
        text = f"out of memory: {detail}; try --limit or a smaller model"
    else:
        text = f"{type(exc).__name__}: {exc}"
    text = " ".join(text.split())
    return text if len(text) <= MAX_MESSAGE_CHARS else text[: MAX_MESSAGE_CHARS - 3] + "..."


def wait_for_slot(run_id: str, store: RunStore, max_running: int, poll_seconds: float = POLL_SECONDS) -> bool:
    """Claim the run for this process as soon as a slot is free. False if the run stops being queued
    (stopped or deleted while it waited)."""
    while not store.claim(run_id, os.getpid(), max_running):
        try:
            if store.get(run_id).status != "queued":
                return False
        except RunNotFoundError:
            return False
        time.sleep(poll_seconds)
    return True


def claimed_share(store: RunStore, max_running: int) -> int:
    """The threads a run that has just got its slot may use: the cores shared among the runs running or waiting
    now, at most `max_running` of them at once (core/runs/threads.py)."""
    return share_of_cores(available_cores(), store.count_busy(), max_running)


def _end(store: RunStore, run_id: str, error: str, status: str) -> None:
    try:
        store.fail(run_id, error, status=status)
    except RunStateError:
        pass  # the executor had already ended the run


def execute(run_id: str, store: RunStore) -> RunRecord:
    """Run a claimed (running) run's executor here and make sure the run ends recorded; returns its record."""
    try:
        executor = load_executor(store.get(run_id).config.get("executor", DEFAULT_EXECUTOR))
        executor(run_id, store)
    except StopSignal:
        _end(store, run_id, "stopped by user (the worker was terminated)", "stopped")
    except KeyboardInterrupt:
        _end(store, run_id, "stopped: interrupted from the keyboard", "stopped")
        raise
    except Exception as exc:
        message = failure_message(exc)
        status = getattr(exc, "run_status", "failed")
        status = status if status in EXCEPTION_STATUSES else "failed"
        try:
            if status != "stopped":  # a stop is not an error: no traceback to keep
                write_text(store.artifacts_dir(run_id), ERROR_FILE, f"{message}\n\n{traceback.format_exc()}")
        finally:
            _end(store, run_id, message, status)
    else:
        record = store.get(run_id)
        if record.status == "running":
            if record.stop_requested:
                _end(store, run_id, "stopped by user", "stopped")
            else:
                _end(store, run_id, "the executor returned without recording a result", "failed")
    return store.get(run_id)


def _raise_stop_signal(signum: int, frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # one unwinding is enough; jobs.stop escalates to SIGKILL
    raise StopSignal


def main(argv: list[str] | None = None) -> int:
    from core.runs.jobs import max_workers  # jobs imports this module lazily, so no cycle

    parser = argparse.ArgumentParser(prog="python -m core.runs.worker", description="Run queued runs, in turn.")
    parser.add_argument("run_ids", nargs="+", metavar="RUN_ID", help="its own run, then others started with it")
    parser.add_argument("--db", type=Path, default=None, help="the run database (default: data_dir()/runs/runs.db)")
    args = parser.parse_args(argv)
    store = RunStore(args.db)
    try:
        store.attach_worker(args.run_ids[0], os.getpid())
    except RunNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    with heartbeat(store, args.run_ids, os.getpid()):  # only the runs recorded as this worker's are stamped
        own, *others = args.run_ids
        _wait_and_execute(own, store, max_workers())
        for run_id in others:
            if _still_queued(store, run_id):
                _wait_and_execute(run_id, store, max_workers(), after=own)
    return 0


def _still_queued(store: RunStore, run_id: str) -> bool:
    try:
        return store.get(run_id).status == "queued"
    except RunNotFoundError:  # deleted meanwhile
        return False


def _wait_and_execute(run_id: str, store: RunStore, limit: int, after: str | None = None) -> None:
    """Wait for a slot and run `run_id` here, unless another worker takes it first (one started with this one:
    jobs.submit_all) or it stops being queued. `after`: this worker's own run, when `run_id` is another's."""
    print(f"worker {os.getpid()}: run {run_id} waits for one of {limit} slots", flush=True)
    if not wait_for_slot(run_id, store, limit):
        print(f"worker {os.getpid()}: run {run_id} is no longer queued; nothing to do", flush=True)
        return
    if after is not None:  # the run's own worker.log says where its output went
        _note_in_log(store, run_id, f"worker {os.getpid()}: runs this run after run {after}; output in its log")
    threads = claimed_share(store, limit)
    apply_thread_budget(threads)  # before numpy loads: OpenMP and BLAS read it when they load (later: threadpoolctl)
    signal.signal(signal.SIGTERM, _raise_stop_signal)
    print(f"worker {os.getpid()}: run {run_id} started on {threads} thread(s) of {available_cores()} cores", flush=True)
    try:
        record = execute(run_id, store)
    except StopSignal:  # arrived while a failure was being recorded
        _end(store, run_id, "stopped by user (the worker was terminated)", "stopped")
        record = store.get(run_id)
    finally:
        # Between runs a SIGTERM is for no run of this worker's: let it end the process, as before the first.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    print(f"worker {os.getpid()}: run {run_id} ended {record.status} {record.error or ''}".rstrip(), flush=True)


def _note_in_log(store: RunStore, run_id: str, line: str) -> None:
    from core.runs.jobs import LOG_FILE

    try:
        folder = store.artifacts_dir(run_id)
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / LOG_FILE, "a", encoding="utf-8") as log:
            log.write(line + "\n")
    except OSError:  # the note is a courtesy; the run goes on without it
        pass


if __name__ == "__main__":
    sys.exit(main())
