"""The run store in one process (plus forked writers): schema, transitions, JSON, filters, deletion, liveness."""

import multiprocessing
import os
import re
import sqlite3
import subprocess
import sys
import time

import numpy as np
import pytest

from core.errors import TrainboardError
from core.runs.store import (
    RunNotFoundError,
    RunStateError,
    RunStore,
    pid_alive,
    process_start_ticks,
    versions,
)
from core.runs.store_schema import SCHEMA_VERSION
from tests.core.runs.executors import hammer


@pytest.fixture
def store(tmp_path):
    return RunStore(tmp_path / "runs" / "runs.db")


def make(store, dataset="iris", model="logreg", **config):
    return store.create(
        {"executor": "tests.core.runs.executors:quick", **config},
        dataset=dataset,
        model=model,
        family="classical",
        params={"C": 1.0},
        preprocess={"scale": "standard"},
        seed=7,
        tags=("baseline",),
    )


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_create_makes_a_queued_run_with_its_folder(store, tmp_path):
    run_id = make(store)
    assert re.fullmatch(r"\d{8}-\d{6}-[0-9a-f]{4}", run_id)
    record = store.get(run_id)
    assert record.status == "queued" and record.started_at is None and record.elapsed_seconds is None
    assert record.stop_requested is False and record.seed == 7 and record.tags == ["baseline"]
    assert store.artifacts_dir(run_id) == tmp_path / "runs" / run_id
    assert store.artifacts_dir(run_id).is_dir()
    assert store.integrity_ok()


def test_default_path_is_under_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("TRAINBOARD_HOME", str(tmp_path / "home"))
    assert RunStore().path == tmp_path / "home" / "runs" / "runs.db"


def test_wal_mode_and_schema_version(store):
    con = sqlite3.connect(store.path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
    con.execute("UPDATE schema_version SET version = 99")
    con.commit()
    con.close()
    with pytest.raises(TrainboardError, match="newer Trainboard"):
        RunStore(store.path)


def test_json_columns_round_trip(store):
    config = {"executor": "x:y", "nested": {"list": [1, 2.5, None, "é"], "flag": True}}
    run_id = store.create(config, "d", "m", "torch", {"lr": np.float32(0.5), "sizes": np.array([3, 4])}, "raw", 1)
    assert store.claim(run_id, 12345, max_running=1)
    metrics = {"accuracy": np.float64(0.75), "confusion": np.array([[1, 0], [2, 3]]), "auc": float("nan")}
    store.finish(run_id, metrics, {"fit_seconds": 1.5}, "hash-1", {"python": "3.11"})
    record = store.get(run_id)
    assert record.config == config
    assert record.params == {"lr": 0.5, "sizes": [3, 4]}
    assert record.preprocess == "raw"
    assert record.metrics["accuracy"] == 0.75 and record.metrics["confusion"] == [[1, 0], [2, 3]]
    assert np.isnan(record.metrics["auc"])
    assert record.timings == {"fit_seconds": 1.5} and record.versions == {"python": "3.11"}
    assert record.split_hash == "hash-1" and record.fraction == 1.0 and record.worker_pid == 12345


def test_lifecycle_and_illegal_transitions(store):
    run_id = make(store)
    with pytest.raises(RunStateError, match="queued; it cannot become finished"):
        store.finish(run_id, {}, {}, "h", {})
    with pytest.raises(ValueError):  # RunStateError is also a ValueError
        store.fail(run_id, "nope", status="failed")
    with pytest.raises(ValueError, match="status must be one of"):
        store.fail(run_id, "nope", status="running")
    assert store.claim(run_id, 111, max_running=2)
    assert not store.claim(run_id, 111, max_running=2)  # already running
    record = store.get(run_id)
    assert record.status == "running" and record.started_at and record.elapsed_seconds >= 0
    store.fail(run_id, "loss is NaN", status="diverged")
    record = store.get(run_id)
    assert record.status == "diverged" and record.error == "loss is NaN" and record.finished_at
    for end in (lambda: store.finish(run_id, {}, {}, "h", {}), lambda: store.fail(run_id, "x", status="stopped")):
        with pytest.raises(RunStateError):
            end()
    assert store.get(run_id).status == "diverged"


def test_unknown_run(store):
    for call in (store.get, store.stop_requested, store.request_stop, store.delete):
        with pytest.raises(RunNotFoundError, match="no run with id 'missing'"):
            call("missing")
    assert not store.claim("missing", 1, 1)
    with pytest.raises(RunNotFoundError):
        store.artifacts_dir("../etc")


def test_claim_respects_the_limit_and_queue_order(store):
    first, second = make(store), make(store)
    assert store.claim(first, 1, max_running=1)
    assert not store.claim(second, 2, max_running=1)
    store.finish(first, {}, {}, "h", {})
    assert store.claim(second, 2, max_running=1)
    # An older queued run whose worker is alive (this process) keeps its turn; without a worker it does not.
    older, newer = make(store), make(store)
    store.finish(second, {}, {}, "h", {})
    store.attach_worker(older, os.getpid())
    assert not store.claim(newer, 3, max_running=1)
    store.request_stop(older)
    assert store.claim(newer, 3, max_running=1)


def test_progress_stores_stage_fraction_and_eta(store):
    run_id = make(store)
    store.progress(run_id, "fit", 0.5, "ignored while queued")
    assert store.get(run_id).stage is None
    store.claim(run_id, 1, max_running=1)
    store.progress(run_id, "training", 0.1, "epoch 1/10")  # the stage begins: nothing measured, no estimate
    assert store.get(run_id).eta_seconds is None
    time.sleep(0.2)
    store.progress(run_id, "training", 0.5, "epoch 5/10", stage_fraction=0.5)
    record = store.get(run_id)
    assert (record.stage, record.fraction, record.message) == ("training", 0.5, "epoch 5/10")
    assert 0.15 < record.eta_seconds < 2.0  # half the stage done: as long again as the stage has taken
    assert abs(record.eta_at - time.time()) < 1.0
    store.progress(run_id, "training", 3.0, stage_fraction=1.0)
    assert store.get(run_id).fraction == 1.0 and store.get(run_id).eta_seconds == 0
    store.progress(run_id, "load", None, "reading")
    assert store.get(run_id).fraction is None and store.get(run_id).eta_seconds is None


def test_the_eta_is_of_the_current_stage_not_the_whole_run(store):
    """A slow stage before training must not inflate training's estimate (a 10 s load once gave 478 s)."""
    run_id = make(store)
    store.claim(run_id, 1, max_running=1)
    store.progress(run_id, "loading", 0.02)
    time.sleep(0.6)  # the load: long against what follows
    store.progress(run_id, "training", 0.1)
    time.sleep(0.1)
    store.progress(run_id, "training", 0.5, stage_fraction=0.5)
    record = store.get(run_id)
    assert record.eta_seconds < 0.5  # about 0.1 s: the training stage's own pace
    began = record.stage_started_at
    store.progress(run_id, "training", 0.6, stage_fraction=0.6)
    assert store.get(run_id).stage_started_at == began  # the same stage keeps its start
    store.finish(run_id, {}, {}, "h", {})
    assert store.get(run_id).eta_seconds is None and store.get(run_id).eta_at is None


def test_list_filters_newest_first(store):
    a = make(store, dataset="iris", model="logreg")
    b = make(store, dataset="iris", model="mlp")
    c = make(store, dataset="wine", model="logreg")
    store.claim(b, 1, max_running=5)
    assert [r.id for r in store.list()] == [c, b, a]
    assert [r.id for r in store.list(dataset="iris")] == [b, a]
    assert [r.id for r in store.list(model="logreg")] == [c, a]
    assert [r.id for r in store.list(status="running")] == [b]
    assert [r.id for r in store.list(status=["queued", "running"], dataset="iris")] == [b, a]
    assert [r.id for r in store.list(limit=2)] == [c, b]
    assert store.list(dataset="nothing") == []


def test_delete_removes_row_and_folder_but_not_a_running_run(store):
    run_id = make(store)
    (store.artifacts_dir(run_id) / "history.csv").write_text("epoch\n1\n")
    store.claim(run_id, 1, max_running=1)
    with pytest.raises(RunStateError, match="stop it before deleting"):
        store.delete(run_id)
    store.fail(run_id, "boom")
    store.delete(run_id)
    assert not store.artifacts_dir(run_id).exists()
    with pytest.raises(RunNotFoundError):
        store.get(run_id)


def test_stop_request(store):
    queued, running = make(store), make(store)
    store.claim(running, 1, max_running=5)
    store.request_stop(queued)
    store.request_stop(running)
    assert store.get(queued).status == "stopped" and store.get(queued).error == "stopped before it started"
    assert store.get(running).status == "running" and store.stop_requested(running)
    assert not store.claim(queued, 1, max_running=5)


def test_mark_interrupted_finds_dead_workers_only(store):
    dead = dead_pid()
    crashed, alive, waiting, never_submitted = make(store), make(store), make(store), make(store)
    store.claim(alive, os.getpid(), max_running=5)
    store.claim(crashed, dead, max_running=5)  # the last claim: a later one would already find it dead
    store.attach_worker(waiting, dead)
    assert sorted(store.mark_interrupted()) == sorted([crashed, waiting])
    assert store.get(crashed).status == "interrupted" and f"pid {dead}" in store.get(crashed).error
    assert store.get(waiting).status == "interrupted"
    assert store.get(alive).status == "running" and store.get(never_submitted).status == "queued"
    assert store.mark_interrupted() == []


def test_a_reused_pid_is_not_the_worker(store):
    run_id = make(store)
    store.claim(run_id, os.getpid(), max_running=1)
    assert store.worker_alive(run_id)
    con = sqlite3.connect(store.path)
    con.execute("UPDATE runs SET worker_started = worker_started - 1 WHERE id = ?", (run_id,))
    con.commit()
    con.close()
    assert not store.worker_alive(run_id)
    assert store.mark_interrupted() == [run_id]


def test_pid_alive_sees_zombies_as_dead():
    assert pid_alive(os.getpid(), process_start_ticks(os.getpid()))
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 10
    while pid_alive(child.pid) and time.monotonic() < deadline:  # exited but not yet collected: a zombie
        time.sleep(0.02)
    assert not pid_alive(child.pid)
    child.wait()
    assert not pid_alive(child.pid)


def test_versions_lists_python_and_installed_libraries():
    found = versions()
    assert found["python"] == ".".join(map(str, sys.version_info[:3]))
    assert found["numpy"] == np.__version__ and "scikit-learn" in found


def test_processes_writing_at_once(store):
    context = multiprocessing.get_context("spawn")  # fresh interpreters, as separate programs would be
    results = context.Queue()
    workers = [context.Process(target=hammer, args=(str(store.path), 1.5, results)) for _ in range(3)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=30) for _ in workers]
    for worker in workers:
        worker.join(timeout=10)
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    assert all(updates > 20 for _, updates in outcomes)
    assert [r.status for r in store.list()] == ["finished"] * 3
    assert store.integrity_ok()


def test_artifacts_round_trip_and_list(tmp_path):
    import pandas as pd
    from sklearn.linear_model import LogisticRegression

    from core.runs import artifacts

    run_dir = tmp_path / "run"
    artifacts.write_json(run_dir, "metrics.json", {"acc": np.float64(0.5), "cm": np.eye(2, dtype=int)})
    assert artifacts.read_json(run_dir, "metrics.json") == {"acc": 0.5, "cm": [[1, 0], [0, 1]]}
    history = pd.DataFrame({"epoch": [1, 2], "loss": [0.9, 0.5]})
    artifacts.write_frame(run_dir, "history.csv", history)
    pd.testing.assert_frame_equal(pd.read_csv(run_dir / "history.csv"), history)
    model = LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
    artifacts.save_sklearn_model(run_dir, model)
    assert artifacts.load_sklearn_model(run_dir).predict([[3.0]]).tolist() == [1]
    artifacts.write_text(run_dir, "figures/notes.txt", "é")
    (run_dir / ".history.csv.abc.part").write_text("half a write")
    names = [p.relative_to(run_dir).as_posix() for p in artifacts.list_artifacts(run_dir)]
    assert names == ["figures/notes.txt", "history.csv", "metrics.json", "model.joblib"]
    assert artifacts.list_artifacts(tmp_path / "missing") == []
    with pytest.raises(ValueError, match="inside the run folder"):
        artifacts.write_text(run_dir, "../escape.txt", "x")


def test_a_failed_artifact_write_keeps_the_old_file(tmp_path):
    from core.runs import artifacts

    artifacts.write_json(tmp_path, "metrics.json", {"acc": 1})
    with pytest.raises(TypeError, match="cannot store a object as JSON"):
        artifacts.write_json(tmp_path, "metrics.json", {"acc": object()})
    assert artifacts.read_json(tmp_path, "metrics.json") == {"acc": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["metrics.json"]
