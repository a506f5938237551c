"""Runs whose worker died: found in a transaction of the caller's and ended as interrupted.

A worker killed outright (SIGKILL, the out-of-memory killer) cannot record anything, so its run would
stay queued or running and keep its slot; these statements end it on the worker's behalf. Each checks,
in its WHERE clause, that the run is still active and still that worker's, so a run that ended or was
taken over meanwhile is left alone.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime

from core.runs.processes import worker_gone

ACTIVE_WITH_WORKER = "status IN ('queued', 'running') AND worker_pid IS NOT NULL"
# How a run ends whose worker died after a stop was asked for: it was stopping anyway.
STOPPED_WORKER_GONE = "stopped by user (the worker did not respond and was killed)"


def interrupt(con: sqlite3.Connection, run_id: str, pid: int, reason: str) -> bool:
    """End the active run `run_id` of worker `pid` as interrupted, its error "interrupted: <reason>" (or as
    stopped when a stop had been asked for). False if it had ended or belongs to another worker."""
    changed = con.execute(
        "UPDATE runs SET status = CASE stop_requested WHEN 1 THEN 'stopped' ELSE 'interrupted' END, "
        "error = CASE stop_requested WHEN 1 THEN ? ELSE ? END, finished_at = ?, eta_seconds = NULL "
        f"WHERE id = ? AND worker_pid = ? AND {ACTIVE_WITH_WORKER}",
        (STOPPED_WORKER_GONE, f"interrupted: {reason}", datetime.now(UTC).isoformat(), run_id, pid),
    ).rowcount
    return bool(changed)


def interrupt_gone(con: sqlite3.Connection) -> list[str]:
    """Interrupt every queued or running run whose worker is gone (processes.worker_gone); their ids."""
    rows = con.execute(
        f"SELECT id, worker_pid, worker_started, heartbeat_at FROM runs WHERE {ACTIVE_WITH_WORKER}"
    ).fetchall()
    now = time.time()
    gone = []
    for row in rows:
        if not isinstance(row["worker_pid"], int):  # a damaged row: nothing to check
            continue
        reason = worker_gone(row["worker_pid"], row["worker_started"], row["heartbeat_at"], now)
        if reason and interrupt(con, row["id"], row["worker_pid"], reason):
            gone.append(row["id"])
    return gone
