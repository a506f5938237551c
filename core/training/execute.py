"""What a worker process runs for a classical model: load, preprocess, split, fit, evaluate, store.

Every model family ends in the same place: `evaluate()` on the validation and test rows, timings
measured the same way, and one `store.finish`. Stop requests are honoured between steps.
"""

from __future__ import annotations

import time

import numpy as np

from core.datasets import load_dataset, make_split
from core.datasets.dataset import subsample
from core.errors import TrainboardError
from core.evaluate import Timings, evaluate
from core.models import ModelError, create_model, get_model_spec
from core.preprocess import PreprocessSpec, apply_row_steps, transform_split
from core.runs import artifacts
from core.runs.store import versions
from core.training.config import RunConfig


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


def execute_run(run_id: str, store) -> None:
    record = store.get(run_id)
    config = RunConfig.from_dict(record.config)
    run_dir = store.artifacts_dir(run_id)

    def step(stage: str, fraction: float, message: str = "") -> None:
        if store.stop_requested(run_id):
            raise StopRequested(f"stopped by the user while {stage}")
        store.progress(run_id, stage, fraction, message)

    step("loading", 0.02, f"loading {config.dataset['name']}")
    dataset = load_dataset(config.request())
    spec = PreprocessSpec.from_json(config.preprocess or "{}")
    spec.validate_for(dataset)
    dataset = apply_row_steps(dataset, spec)
    if config.limit:
        dataset = subsample(dataset, config.limit, config.seed)
    split = make_split(dataset, seed=config.seed)
    model_spec = get_model_spec(config.model)
    if dataset.kind not in model_spec.kinds:
        raise ModelError(f"{config.model} does not take {dataset.kind} data; it takes {', '.join(model_spec.kinds)}")

    step("preprocessing", 0.10, f"{len(split.train):,} training rows")
    parts = transform_split(dataset, spec, split)
    X_train, y_train = parts["train"]
    n_classes = len(dataset.classes)
    model = create_model(
        config.model,
        config.params,
        n_classes=n_classes,
        n_features=X_train.shape[1],
        n_rows=len(X_train),
        seed=config.seed,
    )

    step("fitting", 0.20, f"{model_spec.title} on {X_train.shape[0]:,} x {X_train.shape[1]:,}")
    started = time.perf_counter()
    model.fit(X_train, y_train)
    fit_seconds = time.perf_counter() - started

    step("evaluating", 0.90, "validation and test rows")
    metrics, predict_seconds = {}, 0.0
    for part in ("val", "test"):
        X, y = parts[part]
        started = time.perf_counter()
        proba = full_probabilities(model, X, n_classes)
        if part == "test":
            predict_seconds = time.perf_counter() - started
        metrics[part] = evaluate(proba, y, dataset.classes).to_dict()
    n_test = len(parts["test"][1])
    # The saved file's size is the model's size: pickling a large forest a second time just to measure it
    # cost seconds.
    model_file = artifacts.save_sklearn_model(run_dir, model)
    timings = Timings(
        fit_seconds=fit_seconds,
        predict_seconds=predict_seconds,
        examples_per_second=n_test / predict_seconds if predict_seconds > 0 else 0.0,
        model_size_bytes=model_file.stat().st_size,
    )
    artifacts.write_json(run_dir, "metrics.json", metrics)
    artifacts.write_json(
        run_dir,
        "dataset.json",
        {
            "name": dataset.name,
            "rows": dataset.rows,
            "classes": list(dataset.classes),
            "target": dataset.target_name,
            "sha256": dataset.provenance.sha256,
            "synthetic": dataset.provenance.synthetic,
            "split": split.sizes(),
            "notes": list(dataset.provenance.notes),
        },
    )
    store.finish(run_id, metrics=metrics, timings=timings.to_dict(), split_hash=split.hash, versions=versions())
