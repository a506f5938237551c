"""The run registry: one SQLite database (WAL) with a row per run, and a folder per run beside it.

Every method opens its own short-lived connection, so the app, worker processes and the CLI can
use the same database at once; writes take the lock up front (BEGIN IMMEDIATE) and wait for it up
to the busy timeout instead of failing with "database is locked". The table and its migrations are
in store_schema; what a row decodes to is in record.

A run whose worker died (killed, out of memory) is marked interrupted by whoever looks next: a worker
asking for a slot (`claim`), the app or the CLI at start (`mark_interrupted`), or the process that
started the worker when it sees it exit (`jobs.submit`).
"""

from __future__ import annotations

import secrets
import shutil
import sqlite3
import time
from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.atomic import remove_leftovers
from core.paths import data_dir, ensure_dir
from core.runs import store_schema
from core.runs.artifacts import dumps
from core.runs.dead_workers import ACTIVE_WITH_WORKER, interrupt, interrupt_gone
from core.runs.eta import stage_eta
from core.runs.processes import pid_alive, process_start_ticks
from core.runs.record import (
    STATUSES,
    TERMINAL_STATUSES,
    RunEditError,
    RunNotFoundError,
    RunRecord,
    RunStateError,
)
from core.runs.store_edits import RunEdits
from core.runs.store_reads import RunReads
from core.runs.versions import versions

__all__ = [
    "STATUSES",
    "TERMINAL_STATUSES",
    "RunEditError",
    "RunNotFoundError",
    "RunRecord",
    "RunStateError",
    "RunStore",
    "pid_alive",
    "process_start_ticks",
    "versions",
]

# queued may also end without running: stopped while waiting, or its waiting worker died.
TRANSITIONS = {
    "queued": {"running", "stopped", "interrupted"},
    "running": set(TERMINAL_STATUSES),
}


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def new_run_id() -> str:
    """A short id that sorts by creation time: '20261122-023611-ab12' (UTC)."""
    return f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


class RunStore(RunEdits, RunReads):
    """The run registry. `path` defaults to data_dir()/runs/runs.db; run folders live beside it."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path is not None else data_dir() / "runs" / "runs.db"
        ensure_dir(self.path.parent)
        self._db = store_schema.Database(self.path)
        remove_leftovers(self.path.parent)

    # -- connections ------------------------------------------------------------------------------
    def _read(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._db.read()

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        """A transaction that holds the write lock from its first statement, so its reads stay valid."""
        return self._db.write()

    def _status(self, con: sqlite3.Connection, run_id: str) -> sqlite3.Row:
        row = con.execute("SELECT status, started_at FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise RunNotFoundError(f"no run with id '{run_id}'")
        return row

    def _end(self, run_id: str, status: str, allowed: tuple[str, ...], **values: Any) -> None:
        if status not in allowed:
            raise ValueError(f"status must be one of {', '.join(allowed)}, not {status!r}")
        with self._write() as con:
            current = self._status(con, run_id)["status"]
            if status not in TRANSITIONS.get(current, ()):
                raise RunStateError(f"run {run_id} is {current}; it cannot become {status}")
            values.update(status=status, finished_at=now_iso(), eta_seconds=None, eta_at=None)
            assignments = ", ".join(f"{name} = ?" for name in values)
            con.execute(f"UPDATE runs SET {assignments} WHERE id = ?", (*values.values(), run_id))

    # -- dead workers -----------------------------------------------------------------------------
    def _tidy(self, run_ids: Iterable[str]) -> None:
        """Remove what the dead workers of these runs left half-written in their folders."""
        for run_id in run_ids:
            try:
                folder = self.artifacts_dir(run_id)
            except RunNotFoundError:  # a damaged id names no folder
                continue
            remove_leftovers(folder, min_age_seconds=0, recursive=True)

    def interrupt_worker(self, run_id: str, pid: int, reason: str) -> bool:
        """Record that worker `pid` ended without finishing `run_id` (e.g. killed by a signal, as its parent
        saw). False if the run had already ended or belongs to another worker."""
        with self._write() as con:
            changed = interrupt(con, run_id, pid, reason)
        if changed:
            self._tidy([run_id])
        return changed

    def mark_interrupted(self) -> list[str]:
        """Mark interrupted every queued or running run whose worker process is gone; returns their ids.
        Called at startup by the app and the CLI."""
        with self._write() as con:
            gone = interrupt_gone(con)
        self._tidy(gone)
        return gone

    # -- lifecycle --------------------------------------------------------------------------------
    def create(
        self,
        config: dict,
        dataset: str,
        model: str,
        family: str,
        params: dict,
        preprocess: str | dict | None,
        seed: int,
        tags: Iterable[str] = (),
    ) -> str:
        """Register a queued run and make its artifact folder; returns the new run's id."""
        for _ in range(10):
            run_id = new_run_id()
            row = {
                "id": run_id,
                "created_at": now_iso(),
                "dataset": dataset,
                "model": model,
                "family": family,
                "params": dumps(params),
                "preprocess": dumps(preprocess),
                "config": dumps(config),
                "seed": int(seed),
                "tags": dumps(list(tags)),
                "status": "queued",
            }
            try:
                with self._write() as con:
                    con.execute(
                        f"INSERT INTO runs ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", tuple(row.values())
                    )
            except sqlite3.IntegrityError:
                continue  # two runs created in the same second drew the same suffix
            ensure_dir(self.artifacts_dir(run_id))
            return run_id
        raise RuntimeError("could not find a free run id")

    def attach_worker(self, run_id: str, pid: int) -> None:
        """Record the process that waits to run a queued run, so a dead waiter is found by mark_interrupted."""
        with self._write() as con:
            self._status(con, run_id)
            con.execute(
                "UPDATE runs SET worker_pid = ?, worker_started = ?, heartbeat_at = ? "
                "WHERE id = ? AND status = 'queued'",
                (pid, process_start_ticks(pid), time.time(), run_id),
            )

    def heartbeat(self, run_id: str, pid: int) -> None:
        """Stamp the run's row with a sign of life from its worker `pid` (ignored once the run has ended)."""
        with self._write() as con:
            con.execute(
                f"UPDATE runs SET heartbeat_at = ? WHERE id = ? AND worker_pid = ? AND {ACTIVE_WITH_WORKER}",
                (time.time(), run_id, pid),
            )

    def claim(self, run_id: str, pid: int, max_running: int) -> bool:
        """Move a queued run to running for worker `pid` if fewer than `max_running` runs are running and no
        older queued run with a live worker is waiting for the slot. False if it must wait or is not queued.
        Runs whose worker is gone are marked interrupted first, so they hold no slot."""
        with self._write() as con:
            row = con.execute("SELECT status, created_at FROM runs WHERE id = ?", (run_id,)).fetchone()
            if row is None or row["status"] != "queued":
                return False
            gone = interrupt_gone(con)
            if run_id in gone:  # its own recorded worker was a dead one
                return False
            running = con.execute("SELECT COUNT(*) FROM runs WHERE status = 'running'").fetchone()[0]
            older = con.execute(
                "SELECT COUNT(*) FROM runs WHERE status = 'queued' AND worker_pid IS NOT NULL "
                "AND (created_at, id) < (?, ?)",
                (row["created_at"], run_id),
            ).fetchone()[0]
            claimed = running + older < max_running
            if claimed:
                con.execute(
                    "UPDATE runs SET status = 'running', started_at = ?, worker_pid = ?, worker_started = ?, "
                    "heartbeat_at = ?, stage = 'starting', stage_started_at = ?, fraction = 0.0 WHERE id = ?",
                    (now_iso(), pid, process_start_ticks(pid), time.time(), time.time(), run_id),
                )
        self._tidy(gone)
        return claimed

    def progress(
        self, run_id: str, stage: str, fraction: float | None, message: str = "", stage_fraction: float | None = None
    ) -> None:
        """Record where a running run is: `fraction` of the whole run (0..1, None when unknown) for its progress
        bar, and, from a stage that measures its own progress, `stage_fraction` of that stage, which gives the
        ETA of the stage (core/runs/eta.py; None, no estimate, otherwise). Ignored once the run has ended."""
        if fraction is not None:
            fraction = min(1.0, max(0.0, float(fraction)))
        now = time.time()
        with self._write() as con:
            row = con.execute("SELECT status, stage, stage_started_at FROM runs WHERE id = ?", (run_id,)).fetchone()
            if row is None:
                raise RunNotFoundError(f"no run with id '{run_id}'")
            if row["status"] != "running":
                return
            began = row["stage_started_at"] if row["stage"] == stage and row["stage_started_at"] else now
            eta = stage_eta(now - began, stage_fraction)
            con.execute(
                "UPDATE runs SET stage = ?, fraction = ?, message = ?, stage_started_at = ?, eta_seconds = ?, "
                "eta_at = ? WHERE id = ?",
                (stage, fraction, message, began, eta, now if eta is not None else None, run_id),
            )

    def finish(
        self,
        run_id: str,
        metrics: dict,
        timings: dict,
        split_hash: str,
        versions: dict,
        status: str = "finished",
    ) -> None:
        """End a running run with its results (status 'finished', or 'diverged'/'stopped' with partial ones)."""
        self._end(
            run_id,
            status,
            ("finished", "diverged", "stopped"),
            metrics=dumps(metrics),
            timings=dumps(timings),
            split_hash=split_hash,
            versions=dumps(versions),
            stage="done",
            **({"fraction": 1.0} if status == "finished" else {}),
        )

    def fail(self, run_id: str, error: str, status: str = "failed") -> None:
        """End a run without results: 'failed', 'diverged', 'stopped' or 'interrupted', with a one-line reason."""
        self._end(run_id, status, ("failed", "diverged", "stopped", "interrupted"), error=error)

    def request_stop(self, run_id: str) -> None:
        """Ask a run to stop. A queued run stops at once; a running one when its worker next checks."""
        with self._write() as con:
            self._status(con, run_id)
            con.execute("UPDATE runs SET stop_requested = 1 WHERE id = ?", (run_id,))
            con.execute(
                "UPDATE runs SET status = 'stopped', finished_at = ?, error = 'stopped before it started' "
                "WHERE id = ? AND status = 'queued'",
                (now_iso(), run_id),
            )

    def stop_requested(self, run_id: str) -> bool:
        with self._read() as con:
            row = con.execute("SELECT stop_requested FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise RunNotFoundError(f"no run with id '{run_id}'")
        return bool(row[0])

    def worker_alive(self, run_id: str) -> bool:
        """Whether the process recorded for this run is still the live worker."""
        with self._read() as con:
            row = con.execute("SELECT worker_pid, worker_started FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise RunNotFoundError(f"no run with id '{run_id}'")
        return row["worker_pid"] is not None and pid_alive(row["worker_pid"], row["worker_started"])

    def delete(self, run_id: str) -> None:
        """Remove a run's row and its artifact folder. A running run must be stopped first."""
        with self._write() as con:
            status = self._status(con, run_id)["status"]
            if status == "running":
                raise RunStateError(f"run {run_id} is running; stop it before deleting it")
            con.execute("DELETE FROM runs WHERE id = ?", (run_id,))
        shutil.rmtree(self.artifacts_dir(run_id), ignore_errors=True)
