"""What a worker runs for a network, whichever engine trains it: the same data as every other family, then the
network's analysis and memory check, the engine's Trainer with the shared callbacks, and the same evaluation
on the best checkpoint. An `Engine` supplies the few steps that differ (core/training/torch_run.py for torch,
core/training/numpy_run.py for the NumPy engine); this module imports neither framework.

Files a network run leaves in its folder: analysis.json (the per-layer table), history.json/.csv (one row per
epoch, written as it trains), histograms.json, tensorboard/ (event files), best.safetensors and
model.safetensors (weights, no pickle), training.json (device, epochs run, why it stopped, options the engine
ignored), and what every run has (metrics.json, dataset.json, predictions.npz).
"""

from __future__ import annotations

import importlib
import time
from typing import Any

import numpy as np

from core.errors import TrainboardError
from core.models.cost import Analysis
from core.models.memory import check_fits
from core.runs import artifacts
from core.training import callbacks as cb
from core.training.callbacks.extra import active_extra_callbacks
from core.training.callbacks.terminate_on_nan import UNBOUNDED_ACTIVATIONS, likely_causes
from core.training.config import RunConfig
from core.training.execute import PreparedData, StopRequested, prepare_data, record_results, stepper
from core.training.options import OPTIMIZER_STATE_COPIES, TrainOptions, ignored_options

MODEL_WEIGHTS = "model.safetensors"
BEST_WEIGHTS = "best.safetensors"
# Share of the run's progress bar before training starts (loading and preprocessing) and after it ends.
TRAIN_START, TRAIN_END = 0.10, 0.95
DTYPE_BYTES = {"float32": 4, "float64": 8}


class Diverged(TrainboardError):
    """The loss or the weights became NaN or infinite; the run ends as 'diverged'."""

    run_status = "diverged"


def input_shape_of(data: PreparedData) -> tuple[int, ...]:
    """(C, H, W) for images (the preprocessing flattened them), (n_features,) for tables."""
    image_shape = data.dataset.image_shape
    if image_shape is None:
        return (data.parts["train"][0].shape[1],)
    height, width, *channels = image_shape
    return (channels[0] if channels else 1, height, width)


def to_model_layout(X: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Flattened rows -> (N, *shape). Colour images are stored H x W x C; the network wants C x H x W."""
    if len(shape) == 3 and shape[0] > 1:
        channels, height, width = shape
        return X.reshape(len(X), height, width, channels).transpose(0, 3, 1, 2)
    return X.reshape(len(X), *shape)


def class_weights(y: np.ndarray, n_classes: int) -> np.ndarray:
    """Inverse-frequency weights (scikit-learn's 'balanced'), 0 for classes absent from the training rows."""
    counts = np.bincount(y, minlength=n_classes).astype(np.float64)
    return np.divide(len(y), n_classes * counts, out=np.zeros(n_classes), where=counts > 0)


def build_callbacks(options: TrainOptions, report, should_stop) -> list[cb.Callback]:
    """The run's callbacks in the order they must see each epoch's logs (the history writer last)."""
    chosen: list[cb.Callback] = [cb.TerminateOnNaN(options.loss_cap), cb.ValidationMetrics(), cb.LearningRateLogger()]
    chosen.append(cb.BestCheckpoint(monitor="val_accuracy", mode="max", filename=BEST_WEIGHTS, tie_breaker="val_loss"))
    if options.patience:
        chosen.append(
            cb.EarlyStopping(
                monitor=options.monitor,
                patience=options.patience,
                min_delta=options.min_delta,
                restore_best_weights=options.restore_best,
            )
        )
    if options.histograms:
        chosen.append(cb.GradientHistograms())
    if options.tensorboard:
        chosen.append(cb.TensorBoardLogger())
    chosen += list(active_extra_callbacks())  # e.g. a sweep's pruning: it sees the epoch's validation scores
    chosen += [cb.BatchCurve(), cb.ProgressReporter(report, should_stop), cb.HistoryWriter()]
    return chosen


class Engine:
    """The steps of a network run that depend on the framework. `family` is the model family it trains."""

    family = ""

    def __init__(self, options: TrainOptions) -> None:
        """Check what can be checked before any data is loaded (the device, say)."""
        self.options = options

    def device(self) -> tuple[str, int | None, str]:
        """(description, free bytes or None when unknown, device type) of where training runs."""
        raise NotImplementedError

    def build(self, model: str, params: dict, *, n_classes: int, n_rows: int, shape: tuple[int, ...], seed: int):
        """Registered model `model` for inputs of `shape`, initialised as the options say, from `seed`."""
        raise NotImplementedError

    def analyse(self, model: Any, shape: tuple[int, ...]) -> Analysis:
        raise NotImplementedError

    def trainer(self, model: Any, **kwargs) -> Any:
        """The engine's Trainer over `model` (kwargs: classes, callbacks, run_dir, class_weights, seed)."""
        raise NotImplementedError

    def fit(self, trainer: Any, data: PreparedData, shape: tuple[int, ...]) -> None:
        """Put the split into the engine's form and train; engine errors a user can act on become theirs."""
        raise NotImplementedError

    def load_weights(self, trainer: Any, path) -> None:
        raise NotImplementedError

    def predict_proba(self, trainer: Any, X: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        raise NotImplementedError

    def describe(self, trainer: Any) -> dict:
        """What training.json should say about how this engine trained (precision, layout, ...)."""
        return {}


# model family -> "module:Engine class", imported only when used: a NumPy run never pays for importing torch.
ENGINES = {
    "torch": "core.training.torch_run:TorchEngine",
    "numpy": "core.training.numpy_run:NumpyEngine",
}


def engine_for(model: str, options: TrainOptions) -> Engine:
    """The engine that trains registered model `model`, set up with `options`."""
    from core.models import get_model_spec

    module_name, _, name = ENGINES[get_model_spec(model).family].partition(":")
    return getattr(importlib.import_module(module_name), name)(options)


def execute_network(run_id: str, store, config: RunConfig) -> None:
    """Load, analyse, train with the model's engine, evaluate and record one network run."""
    step = stepper(run_id, store)
    options = TrainOptions.from_dict(config.training)
    engine = engine_for(config.model, options)
    data = prepare_data(config, step)
    run_dir = store.artifacts_dir(run_id)
    shape = input_shape_of(data)
    X_train, y_train = data.parts["train"]

    model = engine.build(
        config.model, config.params, n_classes=data.n_classes, n_rows=len(X_train), shape=shape, seed=config.seed
    )
    analysis = engine.analyse(model, shape)
    artifacts.write_json(run_dir, "analysis.json", analysis.to_dict())
    device, free_bytes, device_type = engine.device()
    check_fits(config.model, analysis, OPTIMIZER_STATE_COPIES[options.optimizer], free_bytes, device_type)

    ignored = ignored_options(engine.family, config.training)
    note = f"; ignores {', '.join(ignored)}" if ignored else ""
    step("training", TRAIN_START, f"{config.model} on {device}{note}")

    def report(fraction: float, message: str) -> None:
        whole_run = TRAIN_START + (TRAIN_END - TRAIN_START) * fraction
        store.progress(run_id, "training", whole_run, message, stage_fraction=fraction)

    trainer = engine.trainer(
        model,
        classes=data.dataset.classes,
        callbacks=build_callbacks(options, report, lambda: store.stop_requested(run_id)),
        run_dir=run_dir,
        class_weights=class_weights(y_train, data.n_classes) if options.class_weights else None,
        seed=config.seed,
    )
    started = time.perf_counter()
    engine.fit(trainer, data, shape)
    fit_seconds = time.perf_counter() - started
    summary = {
        "engine": engine.family,
        "device": device,
        **engine.describe(trainer),
        "dtype": options.dtype,
        "epochs_planned": options.epochs,
        "epochs_run": len(trainer.history),
        "stop_status": trainer.stop_status,
        "stop_reason": trainer.stop_reason,
        "ignored_options": ignored,
    }
    if trainer.stop_status == "diverged":
        artifacts.write_json(run_dir, "training.json", summary)
        raise Diverged(trainer.stop_reason)
    if trainer.stop_status == "user":
        # The curves so far stay in the run folder; evaluating could outlast the stop's grace period.
        artifacts.write_json(run_dir, "training.json", summary)
        raise StopRequested(f"stopped by the user after {len(trainer.history)} of {options.epochs} epochs")
    if trainer.stop_status == "pruned":  # a sweep's pruner gave up on it: stopped, with its reason, not failed
        artifacts.write_json(run_dir, "training.json", summary)
        raise StopRequested(trainer.stop_reason)

    step("evaluating", TRAIN_END, "validation and test rows")
    best = run_dir / BEST_WEIGHTS
    if best.exists() and not (options.patience and options.restore_best):
        # Evaluate the epoch with the best validation accuracy: the choice uses validation rows only.
        engine.load_weights(trainer, best)
        summary["evaluated_epoch"] = trainer.history[-1].get("best_epoch")
    model_file = trainer.save_checkpoint(run_dir / MODEL_WEIGHTS)
    artifacts.write_json(run_dir, "training.json", summary)
    train_rate = np.mean([row["examples_per_second"] for row in trainer.history]) if trainer.history else 0.0
    record_results(
        run_id,
        store,
        data,
        lambda X: engine.predict_proba(trainer, X, shape),
        fit_seconds=fit_seconds,
        model_file=model_file,
        extra_timings={"train_examples_per_second": float(train_rate), "epochs_run": len(trainer.history)},
    )


def divergence_causes(config: RunConfig) -> list[str]:
    """Plain-language likely causes of a diverged run, from its model parameters and training options."""
    options = TrainOptions.from_dict(config.training)
    activations = [a.strip() for a in str(config.params.get("activation", "")).split(",") if a.strip()]
    if not activations:  # the CNNs: LeNet as published uses sigmoid, the rest ReLU
        activations = ["sigmoid" if config.params.get("variant") == "classic" else "relu"]
    unbounded = [a for a in activations if a in UNBOUNDED_ACTIVATIONS]
    activation = unbounded[0] if unbounded else activations[0]
    return likely_causes(activation, options.init, options.optimizer, options.lr)
