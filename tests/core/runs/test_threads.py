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
from core.runs.threads import available_cores, thread_budget

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


def test_a_worker_process_limits_its_thread_pools_to_its_share(store, monkeypatch):
    # As many workers as cores: each gets one thread (by default, on 2 cores, one worker would take both).
    monkeypatch.setenv("TRAINBOARD_MAX_WORKERS", str(available_cores()))
    monkeypatch.setenv("OMP_NUM_THREADS", "7")  # the app's own setting does not reach past the budget
    run_id = _threads_run(store, torch=True)
    jobs.submit(run_id, store)
    deadline = time.monotonic() + 120
    while store.get(run_id).is_active and time.monotonic() < deadline:
        time.sleep(0.05)
    record = store.get(run_id)
    assert record.status == "finished", record.error
    found = record.metrics
    assert found["pools"] and set(found["pools"].values()) == {1}, found
    assert found["n_jobs"] == 1 and set(found["env"].values()) == {"1"}
    if importlib.util.find_spec("torch"):
        assert found["torch"] == 1
    assert "1 thread(s)" in (store.artifacts_dir(run_id) / jobs.LOG_FILE).read_text()


def test_an_inline_run_has_the_budget_while_it_runs_and_gives_it_back(store, monkeypatch):
    import sklearn.ensemble  # noqa: F401  (its OpenMP loaded before, so its limit is one to give back)
    from threadpoolctl import threadpool_info

    monkeypatch.setenv("TRAINBOARD_MAX_WORKERS", str(available_cores()))
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.delenv(threads.THREADS_ENV, raising=False)
    before = {info["filepath"]: info["num_threads"] for info in threadpool_info()}
    record = jobs.run_inline(_threads_run(store), store)
    assert record.status == "finished", record.error
    assert set(record.metrics["pools"].values()) == {1} and record.metrics["n_jobs"] == 1
    assert {info["filepath"]: info["num_threads"] for info in threadpool_info()} == before
    assert "OMP_NUM_THREADS" not in os.environ and threads.THREADS_ENV not in os.environ
