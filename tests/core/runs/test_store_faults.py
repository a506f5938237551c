"""The run store when things go wrong: dead workers holding a slot, heartbeats, an old schema, damaged rows."""

import os
import sqlite3
import subprocess
import sys
import time

import pytest

from core.runs.heartbeat import heartbeat
from core.runs.processes import HEARTBEAT_STALE_SECONDS
from core.runs.record import DAMAGED
from core.runs.store import RunStore
from core.runs.store_schema import SCHEMA_VERSION

GONE = (
    "interrupted: its worker process (pid {pid}) ended without finishing it (killed, e.g. by the out-of-memory killer)"
)


@pytest.fixture
def store(tmp_path):
    return RunStore(tmp_path / "runs" / "runs.db")


def make(store, **config):
    config = {"executor": "tests.core.runs.executors:quick", **config}
    return store.create(config, "iris", "logreg", "classical", {}, {}, seed=0)


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def sql(store, statement, *args):
    con = sqlite3.connect(store.path)
    con.execute(statement, args)
    con.commit()
    con.close()


def test_claim_frees_the_slot_of_a_dead_worker(store):
    killed, waiting = make(store), make(store)
    pid = dead_pid()
    assert store.claim(killed, pid, max_running=5)
    assert store.claim(waiting, os.getpid(), max_running=1)  # the only slot was held by a dead worker
    record = store.get(killed)
    assert record.status == "interrupted" and record.error == GONE.format(pid=pid)
    assert record.finished_at and record.eta_seconds is None
    assert store.get(waiting).status == "running"


def test_claim_frees_the_slot_of_a_dead_waiter_ahead_in_the_queue(store):
    ahead, behind = make(store), make(store)
    pid = dead_pid()
    store.attach_worker(ahead, pid)
    assert store.claim(behind, os.getpid(), max_running=1)
    assert store.get(ahead).status == "interrupted" and store.get(ahead).error == GONE.format(pid=pid)


def test_claim_frees_the_slot_of_a_reused_pid(store):
    stranger, waiting = make(store), make(store)
    assert store.claim(stranger, os.getpid(), max_running=5)
    sql(store, "UPDATE runs SET worker_started = worker_started - 1 WHERE id = ?", stranger)
    assert store.claim(waiting, os.getpid(), max_running=1)
    assert store.get(stranger).error == (
        f"interrupted: its worker process (pid {os.getpid()}) is gone; that pid now belongs to another process"
    )


def test_without_a_start_time_a_silent_worker_is_gone(store):
    silent, waiting = make(store), make(store)
    assert store.claim(silent, os.getpid(), max_running=5)
    sql(store, "UPDATE runs SET worker_started = NULL, heartbeat_at = ? WHERE id = ?", time.time() - 5, silent)
    assert not store.claim(waiting, os.getpid(), max_running=1)  # it reported 5 s ago: still there
    stale = time.time() - HEARTBEAT_STALE_SECONDS - 10
    sql(store, "UPDATE runs SET heartbeat_at = ? WHERE id = ?", stale, silent)
    assert store.claim(waiting, os.getpid(), max_running=1)
    assert store.get(silent).status == "interrupted"
    assert store.get(silent).error == f"interrupted: its worker process (pid {os.getpid()}) has not reported for 40 s"


def test_a_dead_worker_that_was_asked_to_stop_ends_stopped(store):
    stopping, waiting = make(store), make(store)
    store.claim(stopping, dead_pid(), max_running=5)
    store.request_stop(stopping)
    assert store.claim(waiting, os.getpid(), max_running=1)
    record = store.get(stopping)
    assert record.status == "stopped" and record.error == "stopped by user (the worker did not respond and was killed)"


def test_heartbeat_stamps_the_row_while_the_block_runs(store):
    run_id = make(store)
    store.attach_worker(run_id, os.getpid())

    def stamp():
        con = sqlite3.connect(store.path)
        value = con.execute("SELECT heartbeat_at FROM runs WHERE id = ?", (run_id,)).fetchone()[0]
        con.close()
        return value

    attached = stamp()
    assert attached == pytest.approx(time.time(), abs=5)
    with heartbeat(store, run_id, os.getpid(), every=0.05):
        time.sleep(0.3)
    during = stamp()  # read after the block: a beat may land between a read inside it and its end
    assert during > attached
    time.sleep(0.2)
    assert stamp() == during  # stopped with the block
    store.heartbeat(run_id, os.getpid() + 1)  # another process's beat does not count
    assert stamp() == during


def test_a_version_1_database_is_migrated(tmp_path):
    path = tmp_path / "runs.db"
    con = sqlite3.connect(path)
    con.executescript(
        """
        CREATE TABLE schema_version (version INTEGER NOT NULL);
        INSERT INTO schema_version VALUES (1);
        CREATE TABLE runs (
            id TEXT PRIMARY KEY, created_at TEXT NOT NULL, started_at TEXT, finished_at TEXT,
            dataset TEXT NOT NULL, split_hash TEXT, model TEXT NOT NULL, family TEXT NOT NULL,
            params TEXT NOT NULL, preprocess TEXT NOT NULL, config TEXT NOT NULL, seed INTEGER NOT NULL,
            tags TEXT NOT NULL, status TEXT NOT NULL, stage TEXT, fraction REAL, message TEXT,
            eta_seconds REAL, timings TEXT, metrics TEXT, versions TEXT, error TEXT,
            worker_pid INTEGER, worker_started INTEGER, stop_requested INTEGER NOT NULL DEFAULT 0
        );
        INSERT INTO runs (id, created_at, dataset, model, family, params, preprocess, config, seed, tags, status)
        VALUES ('20260101-000000-abcd', '2026-01-01T00:00:00+00:00', 'iris', 'logreg', 'classical',
                '{}', 'null', '{}', 0, '[]', 'queued');
        """
    )
    con.close()
    store = RunStore(path)
    con = sqlite3.connect(path)
    assert con.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
    assert {"heartbeat_at", "name", "note"} <= {row[1] for row in con.execute("PRAGMA table_info(runs)")}
    con.close()
    assert [r.id for r in store.list()] == ["20260101-000000-abcd"]
    store.attach_worker("20260101-000000-abcd", os.getpid())
    assert store.claim("20260101-000000-abcd", os.getpid(), max_running=1)


def test_a_damaged_row_is_listed_as_damaged_and_the_others_normally(store):
    good, bad_json, bad_kind, bad_text = make(store), make(store), make(store), make(store)
    store.claim(bad_json, os.getpid(), max_running=5)
    store.finish(bad_json, {"accuracy": 0.5}, {}, "h", {})
    sql(store, "UPDATE runs SET metrics = '{\"accuracy\": 0.5' WHERE id = ?", bad_json)
    sql(store, "UPDATE runs SET params = '[1, 2]' WHERE id = ?", bad_kind)
    sql(store, "UPDATE runs SET config = CAST(x'ff7b7d' AS TEXT), dataset = CAST(x'ff' AS TEXT) WHERE id = ?", bad_text)
    records = {r.id: r for r in store.list()}
    assert list(records) == [bad_text, bad_kind, bad_json, good]
    assert records[good].status == "queued" and records[good].error is None
    assert records[bad_json].status == DAMAGED and records[bad_json].metrics is None
    assert records[bad_json].error == "damaged row (stored as finished): metrics is not valid JSON"
    assert records[bad_kind].status == DAMAGED and records[bad_kind].params == {}
    assert records[bad_kind].error == "damaged row (stored as queued): params is not a JSON object"
    assert records[bad_text].config == {} and records[bad_text].dataset == "\ufffd"
    assert records[bad_text].error == (
        "damaged row (stored as queued): dataset is not UTF-8 text; config is not UTF-8 text"
    )
    assert store.get(bad_json) == records[bad_json]
    assert [r.id for r in store.list(status="finished")] == [bad_json]  # filters read the stored status


def test_a_dead_workers_half_written_files_are_removed(store):
    killed, waiting = make(store), make(store)
    folder = store.artifacts_dir(killed)
    (folder / "history.csv").write_text("epoch\n1\n")
    (folder / "figures").mkdir()
    leftovers = [folder / ".history.csv.4242-0123abcd.part", folder / "figures" / ".loss.png.4242-89abcdef.part"]
    for path in leftovers:
        path.write_text("half a wri")
    (folder / ".notes.part").write_text("not one of ours")
    store.claim(killed, dead_pid(), max_running=5)
    assert store.claim(waiting, os.getpid(), max_running=1)
    assert not any(path.exists() for path in leftovers)
    assert sorted(p.name for p in folder.rglob("*")) == [".notes.part", "figures", "history.csv"]
