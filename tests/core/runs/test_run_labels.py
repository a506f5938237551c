"""What the user says about a run: its name, tags and note in the store, the schema-2 migration that added
them, and the one label every page, table and report shows a run by."""

import os
import sqlite3

import pytest

from core.compare import label, parameter_table
from core.report.comparison_sections import ReportRuns
from core.runs.record import TAGS_MAX, RunEditError, unique_labels
from core.runs.store import RunNotFoundError, RunStateError, RunStore
from core.runs.store_schema import SCHEMA_VERSION


@pytest.fixture
def store(tmp_path):
    return RunStore(tmp_path / "runs" / "runs.db")


def make(store, model="cnn3", tags=()):
    return store.create({}, "fashion-mnist", model, "torch", {}, "{}", seed=0, tags=tags)


def test_a_new_run_has_no_name_or_note_and_is_labelled_by_its_id(store):
    record = store.get(make(store))
    assert record.name == "" and record.note == "" and record.tags == []
    assert record.label == f"cnn3 · {record.id[-4:]}" == label(record)


def test_rename_tag_and_note_are_stored_and_shown_in_the_label(store):
    run_id = make(store)
    record = store.annotate(run_id, name="  wide   filters ", note="  lr 0.1 was too high\nnext: 0.03 ")
    assert record.name == "wide filters" and record.label == "cnn3 · wide filters"
    assert record.note == "lr 0.1 was too high\nnext: 0.03"
    record = store.annotate(run_id, tags=["baseline", " aug ", "baseline", ""])
    assert record.tags == ["baseline", "aug"] and record.name == "wide filters"  # what was not given is kept
    assert store.get(run_id) == record
    assert store.annotate(run_id, name="").label == f"cnn3 · {run_id[-4:]}"  # "" clears the name


def test_retag_adds_and_removes_keeping_the_order(store):
    run_id = make(store, tags=("sweep", "v1"))
    assert store.retag(run_id, add=["best", "v1"]).tags == ["sweep", "v1", "best"]
    assert store.retag(run_id, remove=["v1", "absent"]).tags == ["sweep", "best"]
    assert store.retag(run_id, add=["x"], remove=["sweep"]).tags == ["best", "x"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "x" * 81}, "at most 80 characters"),
        ({"tags": ["a,b"]}, "has a comma"),
        ({"tags": ["t" * 41]}, "at most 40 characters"),
        ({"tags": [f"t{i}" for i in range(TAGS_MAX + 1)]}, f"at most {TAGS_MAX} tags"),
        ({"note": "n" * 5001}, "at most 5,000 characters"),
    ],
)
def test_what_cannot_be_stored_is_refused_and_changes_nothing(store, change, message):
    run_id = make(store)
    with pytest.raises(RunEditError, match=message):
        store.annotate(run_id, **({"name": "kept"} | change))  # a good name given with a bad value is not kept
    assert store.get(run_id).name == "" and store.get(run_id).tags == []


def test_editing_an_unknown_run_names_it(store):
    for edit in (lambda: store.annotate("nope", name="x"), lambda: store.retag("nope", add=["x"])):
        with pytest.raises(RunNotFoundError, match="nope"):
            edit()


def test_delete_removes_the_row_and_its_folder(store):
    run_id = make(store)
    (store.artifacts_dir(run_id) / "model.safetensors").write_bytes(b"weights")
    store.claim(run_id, pid=os.getpid(), max_running=1)
    with pytest.raises(RunStateError, match="stop it before deleting"):
        store.delete(run_id)
    store.fail(run_id, "stopped by hand", status="stopped")
    store.delete(run_id)
    assert not store.artifacts_dir(run_id).exists() and store.list() == []


def test_a_schema_2_database_gets_name_and_note(tmp_path):
    path = tmp_path / "runs.db"
    con = sqlite3.connect(path)
    con.executescript(
        """
        CREATE TABLE schema_version (version INTEGER NOT NULL);
        INSERT INTO schema_version VALUES (2);
        CREATE TABLE runs (
            id TEXT PRIMARY KEY, created_at TEXT NOT NULL, started_at TEXT, finished_at TEXT,
            dataset TEXT NOT NULL, split_hash TEXT, model TEXT NOT NULL, family TEXT NOT NULL,
            params TEXT NOT NULL, preprocess TEXT NOT NULL, config TEXT NOT NULL, seed INTEGER NOT NULL,
            tags TEXT NOT NULL, status TEXT NOT NULL, stage TEXT, fraction REAL, message TEXT,
            eta_seconds REAL, timings TEXT, metrics TEXT, versions TEXT, error TEXT,
            worker_pid INTEGER, worker_started INTEGER, stop_requested INTEGER NOT NULL DEFAULT 0,
            heartbeat_at REAL
        );
        INSERT INTO runs (id, created_at, dataset, model, family, params, preprocess, config, seed, tags, status)
        VALUES ('20260101-000000-abcd', '2026-01-01T00:00:00+00:00', 'iris', 'rf', 'classical',
                '{}', 'null', '{}', 0, '["old"]', 'finished');
        """
    )
    con.close()
    store = RunStore(path)
    con = sqlite3.connect(path)
    assert con.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)] == [(4,)]
    con.close()
    (record,) = store.list()
    assert (record.name, record.note, record.tags, record.label) == ("", "", ["old"], "rf · abcd")
    assert (record.stage_started_at, record.eta_at) == (None, None)  # schema 4: unknown for an old run
    assert store.annotate(record.id, name="first forest").label == "rf · first forest"
    assert store.retag(record.id, add=["new"]).tags == ["old", "new"]
    RunStore(path)  # opening it again migrates nothing twice
    assert store.get(record.id).name == "first forest"


def test_two_runs_given_one_name_are_told_apart_where_they_are_shown_together(store):
    first, second, third = make(store), make(store), make(store, model="mlp")
    store.annotate(first, name="try")
    store.annotate(second, name="try")
    store.annotate(third, name="try")
    records = store.list()
    labels = unique_labels(records)
    assert labels[third] == "mlp · try"  # another model: no clash
    assert labels[first] == f"cnn3 · try ({first})" and labels[second] == f"cnn3 · try ({second})"
    assert ReportRuns.of(records, store).labels == labels
    assert sorted(parameter_table(records).index) == sorted(labels.values())  # no row hides another
