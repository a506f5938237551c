"""Background runs: in detached worker processes (`python -m core.runs.worker`), so Streamlit reruns, page
switches and a closed tab do not kill them; runs started together share as many workers as may run at once
(`submit_all`). The workers report through the run store; pages poll the store."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import warnings

from core.paths import REPO_ROOT, data_dir
from core.runs.dead_workers import STOPPED_WORKER_GONE
from core.runs.heartbeat import heartbeat
from core.runs.store import RunRecord, RunStateError, RunStore
from core.runs.threads import thread_budget_applied

LOG_FILE = "worker.log"
POLL_SECONDS = 0.1


def default_max_workers(cores: int) -> int:
    """Half the cores, but two on two or three: started together, a forest and a logistic regression each
    spend seconds on one core (loading, encoding, scoring) that the other can use. Each run's threads are the
    cores shared among the runs at once (core/runs/threads.py), so a run alone still has every core."""
    return max(min(2, cores), cores // 2)


def max_workers() -> int:
    """How many runs may run at once: TRAINBOARD_MAX_WORKERS, else `default_max_workers` of the CPU cores."""
    default = default_max_workers(os.cpu_count() or 1)
    raw = os.environ.get("TRAINBOARD_MAX_WORKERS")
    if raw is None:
        return default
    try:
        value = int(raw)
        if value >= 1:
            return value
    except ValueError:
        pass
    warnings.warn(f"TRAINBOARD_MAX_WORKERS={raw!r} is not a whole number >= 1; using {default}", stacklevel=2)
    return default


MAX_WORKERS = max_workers()


def submit(run_id: str, store: RunStore) -> int:
    """Start a detached worker for a queued run; returns its pid. The worker waits for a free slot and
    writes its output to worker.log in the run folder."""
    return submit_all([run_id], store)[0]


def submit_all(run_ids: list[str], store: RunStore) -> list[int]:
    """Start queued runs together on as many detached workers as may run at once (at most max_workers(), one per
    run); returns their pids. Each worker runs its own run, then whichever of the others is still queued, in
    order: the imports, the loaded dataset and the encoded split it already holds serve its next run (on the
    620,000-row LA table that saved ~4 s a run). Run i is its worker's (i mod workers), for the dead-worker
    checks and its worker.log."""
    run_ids = list(run_ids)
    for run_id in run_ids:
        status = store.get(run_id).status
        if status != "queued":
            raise RunStateError(f"run {run_id} is {status}; only a queued run can be submitted")
    count = min(max_workers(), len(run_ids))
    pids = []
    for number in range(count):
        own = run_ids[number]
        others = [run_id for run_id in run_ids if run_id != own]
        pids.append(_start_worker([own, *others], store))
        for run_id in run_ids[number + count :: count]:  # the later runs it would take in turn
            store.attach_worker(run_id, pids[-1])
    return pids


def _start_worker(run_ids: list[str], store: RunStore) -> int:
    run_dir = store.artifacts_dir(run_ids[0])
    run_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, TRAINBOARD_HOME=str(data_dir()), PYTHONUNBUFFERED="1")
    with open(run_dir / LOG_FILE, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "core.runs.worker", *run_ids, "--db", str(store.path)],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a signal to the app (Ctrl-C) does not reach it
        )
    store.attach_worker(run_ids[0], process.pid)  # now, so runs submitted one after another start in that order
    reaper = threading.Thread(target=_reap, args=(process, run_ids, store), name=f"reap-{process.pid}", daemon=True)
    reaper.start()
    return process.pid


def _reap(process: subprocess.Popen, run_ids: list[str], store: RunStore) -> None:
    """Collect the worker's exit status when it ends (so a long-lived app does not accumulate zombies) and,
    if it died without a word (a worker exits 0 even when its run fails), end its runs as interrupted: those
    still recorded as its own (interrupt_worker leaves the others alone)."""
    code = process.wait()
    if code == 0:
        return
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        how = f"was killed by {name}"
        if -code == signal.SIGKILL:
            how += " (the signal the out-of-memory killer sends)"
    else:
        how = f"exited with status {code}"
    for run_id in run_ids:
        try:
            store.interrupt_worker(run_id, process.pid, f"its worker process (pid {process.pid}) {how}; see {LOG_FILE}")
        except Exception:  # the database is gone or busy past its timeout: the next claim or start finds the run
            pass


def _wait_until_ended(run_id: str, store: RunStore, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while True:
        if store.get(run_id).status not in ("queued", "running"):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL_SECONDS)


def _signal_worker(pid: int, signum: int) -> None:
    """Signal the worker and, when it leads its own process group (as `submit` starts it), its children too."""
    try:
        if os.getpgid(pid) == pid:
            os.killpg(pid, signum)
        else:
            os.kill(pid, signum)
    except ProcessLookupError:
        pass


def stop(run_id: str, store: RunStore, grace_seconds: float = 5.0, kill_after_seconds: float = 5.0) -> RunRecord:
    """Stop a run and return its record. A queued run stops at once. A running one gets `grace_seconds` to
    notice the stop flag; then (a long fit cannot check the flag) its worker gets SIGTERM, and SIGKILL if
    it is still there `kill_after_seconds` later. The run ends 'stopped' either way."""
    store.request_stop(run_id)
    if _wait_until_ended(run_id, store, grace_seconds):
        return store.get(run_id)
    pid = store.get(run_id).worker_pid
    if pid is None or pid == os.getpid():
        return store.get(run_id)  # an inline run in this very process: only the flag can stop it
    if store.worker_alive(run_id):
        _signal_worker(pid, signal.SIGTERM)
        if _wait_until_ended(run_id, store, kill_after_seconds):
            return store.get(run_id)
        if store.worker_alive(run_id):
            _signal_worker(pid, signal.SIGKILL)
    try:
        store.fail(run_id, STOPPED_WORKER_GONE, status="stopped")
    except RunStateError:
        pass  # it ended on its own meanwhile
    return store.get(run_id)


def run_inline(run_id: str, store: RunStore, max_running: int | None = None, threads: int | None = None) -> RunRecord:
    """Run a queued run in this process, the same way a worker does (waiting for a slot first, then with a
    worker's share of the threads, or `threads`); returns its final record. For tests and the CLI."""
    from core.runs import worker

    limit = max_running or max_workers()
    store.attach_worker(run_id, os.getpid())
    with heartbeat(store, run_id, os.getpid()):
        if not worker.wait_for_slot(run_id, store, limit):
            return store.get(run_id)
        with thread_budget_applied(threads or worker.claimed_share(store, limit)):
            return worker.execute(run_id, store)
