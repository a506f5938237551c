"""What a worker runs for a torch model: the same data as every other family, then analysis, the Trainer
with its callbacks, and the same evaluation on the best checkpoint.

Files a torch run leaves in its folder: analysis.json (the per-layer table), history.json/.csv (one row per
epoch, written as it trains), histograms.json, tensorboard/ (event files), best.safetensors and
model.safetensors (weights, no pickle), training.json (device, epochs run, why it stopped), and what every
run has (metrics.json, dataset.json, predictions.npz).
"""

from __future__ import annotations

import time

import numpy as np
import torch

from core.errors import TrainboardError
from core.models import ModelError, create_model
from core.models.analysis import analyse_model
from core.models.init import apply_init
from core.models.memory import check_fits, out_of_memory_advice
from core.runs import artifacts
from core.training import callbacks as cb
from core.training.callbacks.terminate_on_nan import UNBOUNDED_ACTIVATIONS, likely_causes
from core.training.config import RunConfig
from core.training.data import as_tensors
from core.training.devices import describe_device, free_memory_bytes, resolve_device
from core.training.execute import PreparedData, StopRequested, prepare_data, record_results, stepper
from core.training.optim import OPTIMIZERS
from core.training.options import TrainOptions
from core.training.trainer import Trainer
from core.training.weights import load_weights, save_weights

MODEL_WEIGHTS = "model.safetensors"
BEST_WEIGHTS = "best.safetensors"
# Share of the run's progress bar before training starts (loading and preprocessing) and after it ends.
TRAIN_START, TRAIN_END = 0.10, 0.95


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


def features_tensor(X: np.ndarray, shape: tuple[int, ...], device: torch.device) -> torch.Tensor:
    """Preprocessed rows as the float32 batch the network takes, on `device` (labels are not needed)."""
    return as_tensors(to_model_layout(X, shape), np.zeros(len(X), np.int64), shape, device)[0]


def class_weights(y: np.ndarray, n_classes: int) -> torch.Tensor:
    """Inverse-frequency weights (scikit-learn's 'balanced'), 0 for classes absent from the training rows."""
    counts = np.bincount(y, minlength=n_classes).astype(np.float64)
    weights = np.divide(len(y), n_classes * counts, out=np.zeros(n_classes), where=counts > 0)
    return torch.tensor(weights, dtype=torch.float32)


def build_callbacks(options: TrainOptions, report, should_stop) -> list[cb.Callback]:
    """The run's callbacks in the order they must see each epoch's logs (the history writer last)."""
    chosen: list[cb.Callback] = [cb.TerminateOnNaN(), cb.ValidationMetrics(), cb.LearningRateLogger()]
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
    chosen += [cb.ProgressReporter(report, should_stop), cb.HistoryWriter()]
    return chosen


def execute_torch(run_id: str, store, config: RunConfig) -> None:
    step = stepper(run_id, store)
    options = TrainOptions.from_dict(config.training)
    device = resolve_device(options.device)
    data = prepare_data(config, step)
    run_dir = store.artifacts_dir(run_id)
    shape = input_shape_of(data)
    X_train, y_train = data.parts["train"]

    # The builder seeds torch with config.seed, so the initialiser below draws from the same seeded stream.
    model = create_model(
        config.model,
        config.params,
        n_classes=data.n_classes,
        n_features=int(np.prod(shape)),
        n_rows=len(X_train),
        seed=config.seed,
        input_shape=shape,
    )
    apply_init(model, options.init, options.init_scale)
    analysis = analyse_model(model, shape, options.batch_size)
    artifacts.write_json(run_dir, "analysis.json", analysis.to_dict())
    state_copies = OPTIMIZERS[options.optimizer].state_copies
    check_fits(config.model, analysis, state_copies, free_memory_bytes(device), device.type)

    step("training", TRAIN_START, f"{config.model} on {describe_device(device)}")

    def report(fraction: float, message: str) -> None:
        store.progress(run_id, "training", TRAIN_START + (TRAIN_END - TRAIN_START) * fraction, message)

    trainer = Trainer(
        model,
        options,
        classes=data.dataset.classes,
        device=device,
        callbacks=build_callbacks(options, report, lambda: store.stop_requested(run_id)),
        run_dir=run_dir,
        class_weights=class_weights(y_train, data.n_classes) if options.class_weights else None,
        seed=config.seed,
    )
    started = time.perf_counter()
    try:
        # The whole split goes to the device once (on CUDA: GPU-resident); batches are slices of it.
        tensors = {
            part: as_tensors(to_model_layout(X, shape), y, shape, device, channels_last=trainer.channels_last)
            for part, (X, y) in data.parts.items()
        }
        trainer.fit(*tensors["train"], *tensors["val"])
    except torch.OutOfMemoryError:
        raise ModelError(out_of_memory_advice(config.model, options.batch_size, device.type)) from None
    fit_seconds = time.perf_counter() - started
    summary = {
        "device": describe_device(device),
        "mixed_precision": str(trainer.amp_dtype).removeprefix("torch.") if trainer.amp else "off",
        "channels_last": trainer.channels_last,
        "epochs_planned": options.epochs,
        "epochs_run": len(trainer.history),
        "stop_status": trainer.stop_status,
        "stop_reason": trainer.stop_reason,
    }
    if trainer.stop_status == "diverged":
        artifacts.write_json(run_dir, "training.json", summary)
        raise Diverged(trainer.stop_reason)
    if trainer.stop_status == "user":
        # The curves so far stay in the run folder; evaluating could outlast the stop's grace period.
        artifacts.write_json(run_dir, "training.json", summary)
        raise StopRequested(f"stopped by the user after {len(trainer.history)} of {options.epochs} epochs")

    step("evaluating", TRAIN_END, "validation and test rows")
    best = run_dir / BEST_WEIGHTS
    if best.exists() and not (options.patience and options.restore_best):
        # Evaluate the epoch with the best validation accuracy: the choice uses validation rows only.
        load_weights(trainer.model, best, device=device)
        summary["evaluated_epoch"] = trainer.history[-1].get("best_epoch")
    model_file = run_dir / MODEL_WEIGHTS
    save_weights(trainer.model, model_file)
    artifacts.write_json(run_dir, "training.json", summary)
    train_rate = np.mean([row["examples_per_second"] for row in trainer.history]) if trainer.history else 0.0
    record_results(
        run_id,
        store,
        data,
        lambda X: trainer.predict_proba(features_tensor(X, shape, device)),
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
