"""Background runs: each in its own detached worker process (`python -m core.runs.worker`), so Streamlit
reruns, page switches and a closed tab do not kill it. The worker reports through the run store; pages
poll the store."""

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
from core.runs.threads import default_budget, thread_budget_applied

LOG_FILE = "worker.log"
POLL_SECONDS = 0.1


def max_workers() -> int:
    """How many runs may run at once: TRAINBOARD_MAX_WORKERS, else half the CPU cores (at least 1)."""
    default = max(1, (os.cpu_count() or 1) // 2)
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
    status = store.get(run_id).status
    if status != "queued":
        raise RunStateError(f"run {run_id} is {status}; only a queued run can be submitted")
    run_dir = store.artifacts_dir(run_id)
    run_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, TRAINBOARD_HOME=str(data_dir()), PYTHONUNBUFFERED="1")
    with open(run_dir / LOG_FILE, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "core.runs.worker", run_id, "--db", str(store.path)],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a signal to the app (Ctrl-C) does not reach it
        )
    store.attach_worker(run_id, process.pid)  # now, so runs submitted one after another start in that order
    reaper = threading.Thread(target=_reap, args=(process, run_id, store), name=f"reap-{process.pid}", daemon=True)
    reaper.start()
    return process.pid


def _reap(process: subprocess.Popen, run_id: str, store: RunStore) -> None:
    """Collect the worker's exit status when it ends (so a long-lived app does not accumulate zombies) and,
    if it died without a word (a worker exits 0 even when its run fails), end its run as interrupted."""
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


def run_inline(run_id: str, store: RunStore, max_running: int | None = None) -> RunRecord:
    """Run a queued run in this process, the same way a worker does (waiting for a slot first, then with a
    worker's share of the threads); returns its final record. For tests and the CLI."""
    from core.runs import worker

    store.attach_worker(run_id, os.getpid())
    with heartbeat(store, run_id, os.getpid()), thread_budget_applied(default_budget()):
        if not worker.wait_for_slot(run_id, store, max_running or max_workers()):
            return store.get(run_id)
        return worker.execute(run_id, store)
