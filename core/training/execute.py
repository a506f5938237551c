"""What a worker process runs: load, preprocess, split, fit, evaluate, store, for every model family.

`execute_run` picks the family's executor from `EXECUTORS`. Every family starts with `prepare_data` (the same
rows, the same split, the same fitted preprocessing) and ends with `record_results`: `evaluate()` on the
validation and test rows, timings measured the same way, the test predictions kept for the pages, and one
`store.finish`. Stop requests are honoured between steps.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from core.datasets import Dataset, Split
from core.errors import TrainboardError
from core.evaluate import Timings, evaluate
from core.models import ModelError, create_model, get_model_spec
from core.runs import artifacts
from core.runs.store import versions
from core.training.config import RunConfig, spec_for_model
from core.training.leak_check import leak_warnings
from core.training.precheck import split_data
from core.training.split_cache import encoded_split


class StopRequested(TrainboardError):
    """The user pressed Stop; the run ends as 'stopped'."""

    run_status = "stopped"  # the worker records this status instead of "failed"


def full_probabilities(model, X: np.ndarray, n_classes: int) -> np.ndarray:
    """predict_proba with one column per class of the dataset, even if the model saw fewer classes."""
    proba = model.predict_proba(X)
    seen = np.asarray(getattr(model, "classes_", np.arange(proba.shape[1]))).astype(int)
    if proba.shape[1] == n_classes and np.array_equal(seen, np.arange(n_classes)):
        return proba
    full = np.zeros((len(X), n_classes))
    full[:, seen] = proba
    return full


# family -> "module:function" called as function(run_id, store, config); imported only when used, so a
# classical run never pays for importing torch.
EXECUTORS = {
    "classical": "core.training.execute:execute_classical",
    "torch": "core.training.network_run:execute_network",
    "numpy": "core.training.network_run:execute_network",
}


@dataclass(frozen=True)
class PreparedData:
    """A run's data after the row steps, the limit, the split and the fitted preprocessing."""

    dataset: Dataset
    split: Split
    parts: dict[str, tuple[np.ndarray, np.ndarray]]  # "train" / "val" / "test" -> (X, y)
    warnings: tuple[str, ...] = ()  # what the scores should be read with (a leaking feature)
    features: Any = None  # the fitted feature steps (rows -> X), kept with the model so new rows can be scored

    @property
    def n_classes(self) -> int:
        return len(self.dataset.classes)


Step = Callable[[str, float, str], None]


def stepper(run_id: str, store) -> Step:
    """A function that records progress and raises StopRequested when the user has pressed Stop."""

    def step(stage: str, fraction: float, message: str = "") -> None:
        if store.stop_requested(run_id):
            raise StopRequested(f"stopped by the user while {stage}")
        store.progress(run_id, stage, fraction, message)

    return step


def prepare_data(config: RunConfig, step: Step) -> PreparedData:
    """Load, apply the spec's row steps and the limit, split, and fit the preprocessing on the train rows (or
    read what it gave an earlier run on the same rows: core/training/split_cache.py)."""
    step("loading", 0.02, f"loading {config.dataset['name']}")
    dataset, split = split_data(config)  # the in-process memo: an inline run reuses what the precheck loaded
    model_spec = get_model_spec(config.model)
    # Encoding "auto" is the model's own choice: runs of trees and of one-hot models on the same rows keep one
    # encoded split each in the cache.
    spec = spec_for_model(config.preprocess, config.model)
    if dataset.kind not in model_spec.kinds:
        raise ModelError(f"{config.model} does not take {dataset.kind} data; it takes {', '.join(model_spec.kinds)}")
    step("checking for leaks", 0.05, "does one feature alone give the target away?")
    warnings = tuple(leak_warnings(dataset, split, config.seed))
    step("preprocessing", 0.08, f"{len(split.train):,} training rows")
    # transform_split(), keeping the fitted steps it would throw away (core.scoring applies them to new rows);
    # read back from the cache when an earlier run encoded these very rows.
    features, parts = encoded_split(dataset, spec, split, limit=config.limit, seed=config.seed)
    return PreparedData(dataset, split, parts, warnings, features)


def execute_run(run_id: str, store) -> None:
    config = RunConfig.from_dict(store.get(run_id).config)
    module_name, _, function = EXECUTORS[get_model_spec(config.model).family].partition(":")
    getattr(importlib.import_module(module_name), function)(run_id, store, config)


def execute_classical(run_id: str, store, config: RunConfig) -> None:
    step = stepper(run_id, store)
    data = prepare_data(config, step)
    X_train, y_train = data.parts["train"]
    model = create_model(
        config.model,
        config.params,
        n_classes=data.n_classes,
        n_features=X_train.shape[1],
        n_rows=len(X_train),
        seed=config.seed,
    )
    step("fitting", 0.20, f"{get_model_spec(config.model).title} on {X_train.shape[0]:,} x {X_train.shape[1]:,}")
    started = time.perf_counter()
    model.fit(X_train, y_train)
    fit_seconds = time.perf_counter() - started

    step("evaluating", 0.90, "validation and test rows")
    run_dir = store.artifacts_dir(run_id)
    # The saved file's size is the model's size: pickling a large forest a second time just to measure it
    # cost seconds.
    model_file = artifacts.save_sklearn_model(run_dir, model)
    record_results(
        run_id,
        store,
        data,
        lambda X: full_probabilities(model, X, data.n_classes),
        fit_seconds=fit_seconds,
        model_file=model_file,
    )


# The fitted preprocessing beside the model (joblib, like model.joblib): what core.scoring applies to new rows.
PREPROCESS_FILE = "preprocess.joblib"
# The page's browser shows the most confident mistakes first; more than this is more than anyone pages through.
MAX_MISCLASSIFIED = 1000


def keep_misclassified(run_dir: Path, data: PreparedData, proba: np.ndarray) -> None:
    """For image data: the wrongly classified test images themselves (the rows index the run's own sample of
    the dataset, so the page could not look them up later), most confident mistakes first."""
    if data.dataset.kind != "image":
        return
    y_true = data.parts["test"][1]
    y_pred = proba.argmax(axis=1)
    wrong = np.flatnonzero(y_pred != y_true)
    confidence = proba[wrong, y_pred[wrong]]
    chosen = wrong[np.argsort(-confidence, kind="stable")][:MAX_MISCLASSIFIED]
    artifacts.write_arrays(
        run_dir,
        artifacts.MISCLASSIFIED_FILE,
        images=data.dataset.features[data.split.test[chosen]],
        y_true=y_true[chosen],
        y_pred=y_pred[chosen],
        confidence=proba[chosen, y_pred[chosen]].astype(np.float32),
    )


def record_results(
    run_id: str,
    store,
    data: PreparedData,
    predict_proba: Callable[[np.ndarray], np.ndarray],
    *,
    fit_seconds: float,
    model_file: Path,
    status: str = "finished",
    extra_timings: dict | None = None,
) -> None:
    """Score the model on the validation and test rows with the one `evaluate()`, keep the test predictions
    (rows of the dataset, true codes, probabilities) for the misclassified browser, and finish the run."""
    run_dir = store.artifacts_dir(run_id)
    metrics, predict_seconds, test_proba = {}, 0.0, None
    for part in ("val", "test"):
        X, y = data.parts[part]
        started = time.perf_counter()
        proba = predict_proba(X)
        if part == "test":
            predict_seconds, test_proba = time.perf_counter() - started, proba
        metrics[part] = evaluate(proba, y, data.dataset.classes).to_dict()
    n_test = len(data.parts["test"][1])
    timings = Timings(
        fit_seconds=fit_seconds,
        predict_seconds=predict_seconds,
        examples_per_second=n_test / predict_seconds if predict_seconds > 0 else 0.0,
        model_size_bytes=model_file.stat().st_size,
    ).to_dict() | (extra_timings or {})
    if data.warnings:
        metrics["warnings"] = list(data.warnings)
    artifacts.write_json(run_dir, "metrics.json", metrics)
    artifacts.write_arrays(
        run_dir,
        artifacts.PREDICTIONS_FILE,
        rows=data.split.test,
        y_true=data.parts["test"][1],
        proba=np.asarray(test_proba, dtype=np.float32),
    )
    keep_misclassified(run_dir, data, test_proba)
    if data.features is not None:
        artifacts.save_sklearn_model(run_dir, data.features, PREPROCESS_FILE)
    dataset = data.dataset
    artifacts.write_json(
        run_dir,
        "dataset.json",
        {
            "name": dataset.name,
            "rows": dataset.rows,
            "classes": list(dataset.classes),
            "target": dataset.target_name,
            "image_shape": dataset.image_shape,  # what an image to score must be (None for tables)
            "sha256": dataset.provenance.sha256,
            "synthetic": dataset.provenance.synthetic,
            "split": data.split.sizes(),
            "notes": list(dataset.provenance.notes),
        },
    )
    store.finish(
        run_id, metrics=metrics, timings=timings, split_hash=data.split.hash, versions=versions(), status=status
    )
