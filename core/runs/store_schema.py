"""The run database itself: its table, its migrations, and its connections.

Opening a `Database` brings any file this version can read to SCHEMA_VERSION: a new file gets the
current table at once; an older one gets the MIGRATIONS it lacks, in order, in one transaction. Every
`read()` and `write()` is a short-lived connection of its own; what SQLite says about a file the user
must fix (not SQLite, damaged, read-only) comes out as their error.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.errors import DataDirError, TrainboardError
from core.runs.record import RunStoreError, decode_text

SCHEMA_VERSION = 4
BUSY_TIMEOUT_MS = 10_000
_TABLES = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, started_at TEXT, finished_at TEXT,
    dataset TEXT NOT NULL, split_hash TEXT, model TEXT NOT NULL, family TEXT NOT NULL,
    params TEXT NOT NULL, preprocess TEXT NOT NULL, config TEXT NOT NULL, seed INTEGER NOT NULL,
    tags TEXT NOT NULL, status TEXT NOT NULL, stage TEXT, fraction REAL, message TEXT,
    eta_seconds REAL, timings TEXT, metrics TEXT, versions TEXT, error TEXT,
    worker_pid INTEGER, worker_started INTEGER, stop_requested INTEGER NOT NULL DEFAULT 0,
    heartbeat_at REAL, name TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '',
    stage_started_at REAL, eta_at REAL
);
CREATE INDEX IF NOT EXISTS runs_status ON runs (status);
CREATE INDEX IF NOT EXISTS runs_dataset ON runs (dataset, created_at);
CREATE INDEX IF NOT EXISTS runs_created ON runs (created_at);
"""
# version -> the statements that bring a database of the version before it up to it.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    2: ("ALTER TABLE runs ADD COLUMN heartbeat_at REAL",),  # Unix seconds of the worker's last sign of life
    3: (  # what the user calls a run and says about it ("" until they do)
        "ALTER TABLE runs ADD COLUMN name TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE runs ADD COLUMN note TEXT NOT NULL DEFAULT ''",
    ),
    4: (  # Unix seconds: when the current stage began, and when eta_seconds was estimated (core/runs/eta.py)
        "ALTER TABLE runs ADD COLUMN stage_started_at REAL",
        "ALTER TABLE runs ADD COLUMN eta_at REAL",
    ),
}


def connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), WAL, waiting for locks up to the timeout."""
    con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    con.row_factory = sqlite3.Row
    con.text_factory = decode_text  # text that is not UTF-8 marks its row damaged instead of failing the query
    try:
        con.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
    except BaseException:
        con.close()
        raise
    return con


def explain(exc: sqlite3.Error, path: Path) -> TrainboardError | None:
    """The user's error for what SQLite said about the database at `path`; None for what is not theirs to fix
    (a lock held too long, a bug)."""
    text = str(exc)
    fix = "move it away or set TRAINBOARD_HOME to another folder"
    if "not a database" in text:
        return RunStoreError(f"{path} is not a run database (not an SQLite file); {fix}")
    if "malformed" in text:
        return RunStoreError(f"the run database {path} is damaged ({text}); {fix}")
    if "readonly" in text or "unable to open" in text or "disk I/O error" in text:
        return DataDirError(
            f"cannot open the run database {path} for writing ({text}); the file and its folder must be "
            "writable, or set TRAINBOARD_HOME to another folder"
        )
    if "database or disk is full" in text:
        return DataDirError(f"cannot write the run database {path}: the disk is full")
    return None


def create_or_upgrade(con: sqlite3.Connection, path: Path) -> None:
    """Create the tables or migrate them to SCHEMA_VERSION; run inside a write transaction."""
    for statement in filter(str.strip, _TABLES.split(";")):
        con.execute(statement)
    version = con.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
    if version is None:  # a new file: the tables above are already the current ones
        con.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
        return
    if version > SCHEMA_VERSION:
        raise RunStoreError(
            f"{path} was written by a newer Trainboard (schema {version}, this one knows "
            f"{SCHEMA_VERSION}); upgrade Trainboard or use another TRAINBOARD_HOME"
        )
    for target in range(version + 1, SCHEMA_VERSION + 1):
        for statement in MIGRATIONS[target]:
            con.execute(statement)
    if version < SCHEMA_VERSION:
        con.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION,))


class Database:
    """The SQLite file at `path`, created or upgraded when opened."""

    def __init__(self, path: Path):
        self.path = path
        # Two processes opening a brand-new file can collide while it switches to WAL; retry briefly.
        for attempt in range(20):
            try:
                with self.write() as con:
                    create_or_upgrade(con, path)
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == 19:
                    raise
                time.sleep(0.05)

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        try:
            con = connect(self.path)
            try:
                yield con
            finally:
                con.close()
        except sqlite3.DatabaseError as exc:
            explained = explain(exc, self.path)
            if explained is None:
                raise
            raise explained from exc

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        with self._connection() as con:
            yield con

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A transaction that holds the write lock from its first statement, so its reads stay valid."""
        with self._connection() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
