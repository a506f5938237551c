"""Every registered classical model end to end through the run store, on tiny data, and the ways a
run can fail. The run row, its artifacts and its metrics are checked, not just that nothing raised."""

import pandas as pd
import pytest

from core.datasets import LoadRequest, load_dataset, make_split
from core.errors import DataError
from core.models import ModelError, list_models
from core.preprocess import PreprocessSpec
from core.runs import RunStore, jobs
from core.training.config import RunConfig, create_run


@pytest.fixture
def store(tmp_path):
    return RunStore(tmp_path / "runs.db")


def start(store, request, model, params=None, preprocess="{}", limit=None, seed=0):
    config = RunConfig.build(request, model, params, preprocess, seed=seed, limit=limit)
    return jobs.run_inline(create_run(store, config), store)


@pytest.mark.parametrize("spec", list_models(family="classical"), ids=lambda s: s.name)
def test_every_classical_model_runs_end_to_end(store, spec):
    request = LoadRequest("iris")
    record = start(store, request, spec.name)
    assert record.status == "finished", record.error
    dataset = load_dataset(request)
    assert record.split_hash == make_split(dataset).hash
    for part, rows in (("val", 15), ("test", 30)):
        metrics = record.metrics[part]
        assert metrics["n"] == rows and metrics["accuracy"] > 0.6  # iris: chance is 1/3
        assert len(metrics["confusion_matrix"]) == 3
    assert record.timings["fit_seconds"] > 0 and record.timings["model_size_bytes"] > 0
    files = {p.name for p in store.artifacts_dir(record.id).iterdir()}
    assert {"model.joblib", "metrics.json", "dataset.json"} <= files
    assert record.versions["scikit-learn"]


def test_image_models_take_digits(store):
    record = start(store, LoadRequest("digits"), "logreg", {"max_iter": 300})
    assert record.status == "finished" and record.metrics["test"]["accuracy"] > 0.9


def test_limit_samples_before_the_split(store):
    record = start(store, LoadRequest("la-collisions", source="synthetic", rows=5000), "hgb", limit=1000)
    assert record.status == "finished", record.error
    assert sum(m["n"] for m in record.metrics.values()) == 300  # val 100 + test 200 of the 1,000 rows


def test_derived_target_spec_is_applied(store):
    spec = PreprocessSpec(drop_columns=("DR Number",), derived_target=None, balancing="undersample")
    record = start(
        store, LoadRequest("la-collisions", source="synthetic", rows=3000), "logreg", preprocess=spec.to_json()
    )
    assert record.status == "finished", record.error
    assert record.preprocess == spec.to_json() or PreprocessSpec.from_json(record.preprocess) == spec


def unchecked(store, config: RunConfig) -> str:
    """A run row made without the precheck (as if its data changed after the check): the executor must still
    fail it with a clear message."""
    return store.create(
        config.to_dict(),
        dataset=config.dataset["name"],
        model=config.model,
        family="classical",
        params=config.params,
        preprocess=config.preprocess,
        seed=config.seed,
    )


def test_single_class_target_is_refused_before_a_run_and_fails_a_run_clearly(store, tmp_path):
    path = tmp_path / "one.csv"
    pd.DataFrame({"x": range(30), "y": ["a"] * 30}).to_csv(path, index=False)
    config = RunConfig.build(LoadRequest("csv", source="file", path=str(path), target="y"), "rf")
    with pytest.raises(DataError, match="single class"):
        create_run(store, config)
    assert store.list() == []
    record = jobs.run_inline(unchecked(store, config), store)
    assert record.status == "failed" and "single class" in record.error


def test_model_of_the_wrong_kind_and_bad_params_fail_cleanly(store):
    config = RunConfig.build(LoadRequest("digits"), "gboost")
    with pytest.raises(ModelError, match="does not take image data"):
        create_run(store, config)
    record = jobs.run_inline(unchecked(store, config), store)
    assert record.status == "failed" and "does not take image data" in record.error
    record = start(store, LoadRequest("iris"), "rf", {"n_estimators": -3})
    assert record.status == "failed" and "n_estimators" in record.error


def test_size_guard_fails_the_run_with_advice(store):
    record = start(store, LoadRequest("la-collisions", source="synthetic", rows=40_000), "svc")
    assert record.status == "failed" and "over its limit" in record.error and "row limit" in record.error


def test_stop_requested_before_work_ends_stopped(store):
    config = RunConfig.build(LoadRequest("iris"), "rf")
    run_id = create_run(store, config)
    store.request_stop(run_id)
    assert jobs.run_inline(run_id, store).status == "stopped"


def test_command_line_reproduces_the_config():
    config = RunConfig.build(
        LoadRequest("la-collisions", source="synthetic", rows=2000), "rf", {"n_estimators": 10}, limit=500, seed=3
    )
    line = config.command_line()
    assert line.startswith("python -m core train la-collisions --model rf --seed 3")
    assert "--source synthetic" in line and "--rows 2000" in line and "--limit 500" in line
    assert "--param n_estimators=10" in line
