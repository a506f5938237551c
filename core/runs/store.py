"""The run registry: one SQLite database (WAL) with a row per run, and a folder per run beside it.

Every method opens its own short-lived connection, so the app, worker processes and the CLI can
use the same database at once; writes take the lock up front (BEGIN IMMEDIATE) and wait for it up
to the busy timeout instead of failing with "database is locked".
"""

from __future__ import annotations

import json
import secrets
import shutil
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.errors import TrainboardError
from core.paths import data_dir
from core.runs.artifacts import dumps
from core.runs.processes import pid_alive, process_start_ticks
from core.runs.record import RunNotFoundError, RunRecord, RunStateError
from core.runs.versions import versions

__all__ = ["RunNotFoundError", "RunRecord", "RunStateError", "RunStore", "pid_alive", "process_start_ticks", "versions"]

SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 10_000
TERMINAL_STATUSES = ("finished", "failed", "diverged", "stopped", "interrupted")
STATUSES = ("queued", "running", *TERMINAL_STATUSES)
# queued may also end without running: stopped while waiting, or its waiting worker died.
TRANSITIONS = {
    "queued": {"running", "stopped", "interrupted"},
    "running": set(TERMINAL_STATUSES),
}
_JSON_COLUMNS = ("params", "preprocess", "config", "tags", "timings", "metrics", "versions")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, started_at TEXT, finished_at TEXT,
    dataset TEXT NOT NULL, split_hash TEXT, model TEXT NOT NULL, family TEXT NOT NULL,
    params TEXT NOT NULL, preprocess TEXT NOT NULL, config TEXT NOT NULL, seed INTEGER NOT NULL,
    tags TEXT NOT NULL, status TEXT NOT NULL, stage TEXT, fraction REAL, message TEXT,
    eta_seconds REAL, timings TEXT, metrics TEXT, versions TEXT, error TEXT,
    worker_pid INTEGER, worker_started INTEGER, stop_requested INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS runs_status ON runs (status);
CREATE INDEX IF NOT EXISTS runs_dataset ON runs (dataset, created_at);
CREATE INDEX IF NOT EXISTS runs_created ON runs (created_at);
"""


_COLUMNS = [f.name for f in fields(RunRecord) if f.name != "elapsed_seconds"]


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def _seconds_between(start: str, end: str | None) -> float:
    end_time = datetime.fromisoformat(end) if end else datetime.now(UTC)
    return max(0.0, (end_time - datetime.fromisoformat(start)).total_seconds())


def new_run_id() -> str:
    """A short id that sorts by creation time: '20261122-023611-ab12' (UTC)."""
    return f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


class RunStore:
    """The run registry. `path` defaults to data_dir()/runs/runs.db; run folders live beside it."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path is not None else data_dir() / "runs" / "runs.db"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._create_schema()

    # -- connections ------------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        con.row_factory = sqlite3.Row
        con.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        return con

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        con = self._connect()
        try:
            yield con
        finally:
            con.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A transaction that holds the write lock from its first statement, so its reads stay valid."""
        con = self._connect()
        try:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        finally:
            con.close()

    def _create_schema(self) -> None:
        # Two processes opening a brand-new file can collide while it switches to WAL; retry briefly.
        for attempt in range(20):
            try:
                with self._write() as con:
                    for statement in filter(str.strip, _SCHEMA.split(";")):
                        con.execute(statement)
                    row = con.execute("SELECT MAX(version) FROM schema_version").fetchone()
                    if row[0] is None:
                        con.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
                    elif row[0] > SCHEMA_VERSION:
                        raise TrainboardError(
                            f"{self.path} was written by a newer Trainboard (schema {row[0]}, this one knows "
                            f"{SCHEMA_VERSION}); upgrade Trainboard or use another TRAINBOARD_HOME"
                        )
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == 19:
                    raise
                time.sleep(0.05)

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
            values.update(status=status, finished_at=now_iso(), eta_seconds=None)
            assignments = ", ".join(f"{name} = ?" for name in values)
            con.execute(f"UPDATE runs SET {assignments} WHERE id = ?", (*values.values(), run_id))

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
            self.artifacts_dir(run_id).mkdir(parents=True, exist_ok=True)
            return run_id
        raise RuntimeError("could not find a free run id")

    def attach_worker(self, run_id: str, pid: int) -> None:
        """Record the process that waits to run a queued run, so a dead waiter is found by mark_interrupted."""
        with self._write() as con:
            self._status(con, run_id)
            con.execute(
                "UPDATE runs SET worker_pid = ?, worker_started = ? WHERE id = ? AND status = 'queued'",
                (pid, process_start_ticks(pid), run_id),
            )

    def claim(self, run_id: str, pid: int, max_running: int) -> bool:
        """Move a queued run to running for worker `pid` if fewer than `max_running` runs are running and no
        older queued run with a live worker is waiting for the slot. False if it must wait or is not queued."""
        with self._write() as con:
            row = con.execute("SELECT status, created_at FROM runs WHERE id = ?", (run_id,)).fetchone()
            if row is None or row["status"] != "queued":
                return False
            running = con.execute("SELECT COUNT(*) FROM runs WHERE status = 'running'").fetchone()[0]
            free = max_running - running
            if free <= 0:
                return False
            older = con.execute(
                "SELECT worker_pid, worker_started FROM runs WHERE status = 'queued' AND worker_pid IS NOT NULL "
                "AND (created_at, id) < (?, ?)",
                (row["created_at"], run_id),
            ).fetchall()
            if sum(pid_alive(r["worker_pid"], r["worker_started"]) for r in older) >= free:
                return False
            con.execute(
                "UPDATE runs SET status = 'running', started_at = ?, worker_pid = ?, worker_started = ?, "
                "stage = 'starting', fraction = 0.0 WHERE id = ?",
                (now_iso(), pid, process_start_ticks(pid), run_id),
            )
            return True

    def progress(self, run_id: str, stage: str, fraction: float | None, message: str = "") -> None:
        """Record where a running run is; `fraction` (0..1 of the whole run, None when unknown) gives the ETA
        in seconds, extrapolated from the time elapsed. Ignored once the run has ended."""
        if fraction is not None:
            fraction = min(1.0, max(0.0, float(fraction)))
        with self._write() as con:
            row = self._status(con, run_id)
            if row["status"] != "running":
                return
            eta = None
            if fraction and row["started_at"]:
                eta = _seconds_between(row["started_at"], None) * (1 - fraction) / fraction
            con.execute(
                "UPDATE runs SET stage = ?, fraction = ?, message = ?, eta_seconds = ? WHERE id = ?",
                (stage, fraction, message, eta, run_id),
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

    def mark_interrupted(self) -> list[str]:
        """Mark interrupted every queued or running run whose worker process is gone; returns their ids.
        Called at startup by the app and the CLI."""
        with self._read() as con:
            candidates = con.execute(
                "SELECT id, status, worker_pid, worker_started FROM runs "
                "WHERE status IN ('queued', 'running') AND worker_pid IS NOT NULL"
            ).fetchall()
        marked = []
        for row in candidates:
            if pid_alive(row["worker_pid"], row["worker_started"]):
                continue
            with self._write() as con:
                changed = con.execute(
                    "UPDATE runs SET status = 'interrupted', finished_at = ?, eta_seconds = NULL, error = ? "
                    "WHERE id = ? AND status = ? AND worker_pid = ?",
                    (
                        now_iso(),
                        f"interrupted: its worker process (pid {row['worker_pid']}) ended without finishing it",
                        row["id"],
                        row["status"],
                        row["worker_pid"],
                    ),
                ).rowcount
            if changed:
                marked.append(row["id"])
        return marked

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

    # -- reading ----------------------------------------------------------------------------------
    def get(self, run_id: str) -> RunRecord:
        with self._read() as con:
            row = con.execute(f"SELECT {', '.join(_COLUMNS)} FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise RunNotFoundError(f"no run with id '{run_id}'")
        return _record(row)

    def list(
        self,
        dataset: str | None = None,
        status: str | Iterable[str] | None = None,
        model: str | None = None,
        limit: int | None = None,
    ) -> list[RunRecord]:
        """Runs matching every filter given, newest first; `status` may be one status or several."""
        where, args = [], []
        if dataset is not None:
            where.append("dataset = ?")
            args.append(dataset)
        if model is not None:
            where.append("model = ?")
            args.append(model)
        if status is not None:
            statuses = [status] if isinstance(status, str) else [*status]
            where.append(f"status IN ({', '.join('?' * len(statuses))})")
            args.extend(statuses)
        sql = f"SELECT {', '.join(_COLUMNS)} FROM runs"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY created_at DESC, id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(int(limit))
        with self._read() as con:
            rows = con.execute(sql, args).fetchall()
        return [_record(row) for row in rows]

    def artifacts_dir(self, run_id: str) -> Path:
        """The run's artifact folder, beside the database file (not created here)."""
        if not run_id or run_id in (".", "..") or not all(c.isalnum() or c in "-_." for c in run_id):
            raise RunNotFoundError(f"'{run_id}' is not a run id")
        return self.path.parent / run_id

    def integrity_ok(self) -> bool:
        with self._read() as con:
            return con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _record(row: sqlite3.Row) -> RunRecord:
    values = dict(row)
    for name in _JSON_COLUMNS:
        if values[name] is not None:
            values[name] = json.loads(values[name])
    values["stop_requested"] = bool(values["stop_requested"])
    started = values["started_at"]
    values["elapsed_seconds"] = _seconds_between(started, values["finished_at"]) if started else None
    return RunRecord(**values)
