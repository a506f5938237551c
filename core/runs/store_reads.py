"""Reading the run registry: one run, runs by filter, a run's folder (the RunStore's read-only part)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from pathlib import Path

from core.runs.record import RunNotFoundError, RunRecord, record_from_row

COLUMNS = [f.name for f in fields(RunRecord) if f.name != "elapsed_seconds"]  # elapsed is computed, not stored


class RunReads:
    """Mixed into RunStore, whose `_read` connections and `path` it uses."""

    def get(self, run_id: str) -> RunRecord:
        with self._read() as con:
            row = con.execute(f"SELECT {', '.join(COLUMNS)} FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise RunNotFoundError(f"no run with id '{run_id}'")
        return record_from_row(dict(row))

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
        sql = f"SELECT {', '.join(COLUMNS)} FROM runs"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY created_at DESC, id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(int(limit))
        with self._read() as con:
            rows = con.execute(sql, args).fetchall()
        return [record_from_row(dict(row)) for row in rows]

    def count_busy(self) -> int:
        """Runs running or queued with a worker waiting for a slot: how many want the cores now."""
        with self._read() as con:
            return con.execute(
                "SELECT COUNT(*) FROM runs WHERE status = 'running' OR (status = 'queued' AND worker_pid IS NOT NULL)"
            ).fetchone()[0]

    def artifacts_dir(self, run_id: str) -> Path:
        """The run's artifact folder, beside the database file (not created here)."""
        if not run_id or run_id in (".", "..") or not all(c.isalnum() or c in "-_." for c in run_id):
            raise RunNotFoundError(f"'{run_id}' is not a run id")
        return self.path.parent / run_id

    def integrity_ok(self) -> bool:
        with self._read() as con:
            return con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
