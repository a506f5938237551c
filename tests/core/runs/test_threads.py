"""The thread budget: the rule, the builders' n_jobs, and that a worker process (and an inline run) really limits
its thread pools to it."""

import importlib.util
import os
import sys
import time

import pytest

from core.models import create_model
from core.runs import RunStore, jobs, threads
from core.runs.store import versions
from core.runs.threads import available_cores, share_of_cores, thread_budget

THREADS_EXECUTOR = "tests.core.runs.test_threads:report_threads"


def report_threads(run_id: str, store: RunStore) -> None:
    """An executor: loads what a classical run loads and finishes with the thread counts it finds."""
    import numpy  # noqa: F401
    import sklearn.ensemble  # noqa: F401  (loads scikit-learn's OpenMP)
    from threadpoolctl import threadpool_info

    from core.models.classical import _threads

    if store.get(run_id).config.get("torch") and importlib.util.find_spec("torch"):
        import torch  # noqa: F401

    pools = {f"{info['internal_api']} {info['filepath']}": info["num_threads"] for info in threadpool_info()}
    found = {"pools": pools, "n_jobs": _threads(), "env": {name: os.environ.get(name) for name in threads.LIBRARY_ENVS}}
    if "torch" in sys.modules:
        found["torch"] = sys.modules["torch"].get_num_threads()
    store.finish(run_id, found, {"fit_seconds": 0.0}, "split-abc", versions())


@pytest.mark.parametrize(
    ("cores", "workers", "expected"),
    [(2, 1, 2), (2, 2, 1), (2, 3, 1), (16, 8, 2), (16, 3, 5), (1, 1, 1), (8, 0, 8), (0, 4, 1)],
)
def test_the_cores_are_shared_among_the_workers(cores, workers, expected):
    assert thread_budget(cores, workers) == expected


@pytest.mark.parametrize(
    ("cores", "busy", "limit", "expected"),
    [(2, 1, 2, 2), (2, 2, 2, 1), (2, 4, 2, 1), (16, 3, 8, 5), (16, 20, 8, 2), (1, 3, 2, 1), (2, 0, 2, 2)],
)
def test_a_run_shares_the_cores_with_the_runs_running_or_waiting(cores, busy, limit, expected):
    assert share_of_cores(cores, busy, limit) == expected


def test_runs_at_once_never_use_more_than_the_cores():
    for cores in range(1, 33):
        for limit in range(1, cores + 1):
            for busy in range(1, 2 * cores):
                at_once = min(busy, limit)
                assert 1 <= share_of_cores(cores, busy, limit) and share_of_cores(cores, busy, limit) * at_once <= cores


def test_workers_together_never_use_more_than_the_cores():
    for cores in range(1, 65):
        for workers in range(1, cores + 1):
            assert 1 <= thread_budget(cores, workers) and thread_budget(cores, workers) * workers <= cores


def test_run_threads_is_the_budget_given_or_the_default_one(monkeypatch):
    monkeypatch.setenv(threads.THREADS_ENV, "3")
    assert threads.run_threads() == 3
    monkeypatch.delenv(threads.THREADS_ENV)
    monkeypatch.setattr(threads, "available_cores", lambda: 12)
    monkeypatch.setenv("TRAINBOARD_MAX_WORKERS", "4")
    assert threads.run_threads() == 3
    monkeypatch.setenv(threads.THREADS_ENV, "none")  # not a count: the default rule
    assert threads.run_threads() == 3


@pytest.mark.parametrize(("model", "attribute"), [("rf", "n_jobs"), ("xgboost", "n_jobs"), ("knn", "n_jobs")])
def test_estimators_that_take_a_thread_count_get_the_budget(monkeypatch, model, attribute):
    monkeypatch.setenv(threads.THREADS_ENV, "1")
    params = {"device": "cpu"} if model == "xgboost" else None
    estimator = create_model(model, params, n_classes=3, n_features=4, n_rows=100, seed=0)
    assert getattr(estimator, attribute) == 1


@pytest.fixture
def store(tmp_path):
    return RunStore(tmp_path / "runs" / "runs.db")


def _threads_run(store, **config):
    return store.create({"executor": THREADS_EXECUTOR, **config}, "iris", "threads", "classical", {}, {}, seed=0)


def _others_waiting(store, count: int) -> None:
    """`count` queued runs whose worker (this process) waits for a slot: they want the cores too."""
    for _ in range(count):
        store.attach_worker(_threads_run(store), os.getpid())


def _submitted_threads(store, monkeypatch, waiting: int) -> dict:
    monkeypatch.setenv("TRAINBOARD_MAX_WORKERS", str(available_cores()))
    monkeypatch.setenv("OMP_NUM_THREADS", "7")  # the app's own setting does not reach past the budget
    run_id = _threads_run(store, torch=True)
    _others_waiting(store, waiting)  # newer than the run: they do not hold its slot back
    jobs.submit(run_id, store)
    deadline = time.monotonic() + 120
    while store.get(run_id).is_active and time.monotonic() < deadline:
        time.sleep(0.05)
    record = store.get(run_id)
    assert record.status == "finished", record.error
    found = record.metrics
    found["log"] = (store.artifacts_dir(run_id) / jobs.LOG_FILE).read_text()
    return found


def test_a_worker_process_limits_its_thread_pools_to_its_share(store, monkeypatch):
    # As many runs wanting the cores as there are cores and slots: each gets one thread.
    found = _submitted_threads(store, monkeypatch, waiting=available_cores() - 1)
    assert found["pools"] and set(found["pools"].values()) == {1}, found
    assert found["n_jobs"] == 1 and set(found["env"].values()) == {"1"}
    if importlib.util.find_spec("torch"):
        assert found["torch"] == 1
    assert "on 1 thread(s)" in found["log"]


def test_a_worker_on_its_own_takes_every_core(store, monkeypatch):
    cores = available_cores()
    found = _submitted_threads(store, monkeypatch, waiting=0)
    assert found["n_jobs"] == cores and set(found["env"].values()) == {str(cores)}, found
    assert cores in set(found["pools"].values()), found  # a pool may cap itself lower (OpenBLAS's build)
    assert f"on {cores} thread(s)" in found["log"]


def test_an_inline_run_has_the_budget_while_it_runs_and_gives_it_back(store, monkeypatch):
    import sklearn.ensemble  # noqa: F401  (its OpenMP loaded before, so its limit is one to give back)
    from threadpoolctl import threadpool_info

    monkeypatch.setenv("TRAINBOARD_MAX_WORKERS", str(available_cores()))
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.delenv(threads.THREADS_ENV, raising=False)
    before = {info["filepath"]: info["num_threads"] for info in threadpool_info()}
    run_id = _threads_run(store)
    _others_waiting(store, available_cores() - 1)
    record = jobs.run_inline(run_id, store)
    assert record.status == "finished", record.error
    assert set(record.metrics["pools"].values()) == {1} and record.metrics["n_jobs"] == 1
    assert {info["filepath"]: info["num_threads"] for info in threadpool_info()} == before
    assert "OMP_NUM_THREADS" not in os.environ and threads.THREADS_ENV not in os.environ


def test_an_inline_run_may_be_given_its_threads(store, monkeypatch):
    monkeypatch.setenv("TRAINBOARD_MAX_WORKERS", str(available_cores()))
    monkeypatch.delenv(threads.THREADS_ENV, raising=False)
    record = jobs.run_inline(_threads_run(store), store, threads=1)  # alone, it would take every core
    assert record.status == "finished", record.error
    assert set(record.metrics["pools"].values()) == {1} and record.metrics["n_jobs"] == 1
