"""The NumPy Trainer with the shared callbacks: it learns, stops when asked, stops early, ends a diverging run as
diverged, and keeps the best weights, exactly as the torch Trainer's contract says."""

import math

import numpy as np
import pytest

from core.models import create_model
from core.scratch.trainer import Trainer
from core.training import callbacks as cb
from core.training.options import TrainOptions


def data(n=300, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 4))
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int) + (X[:, 2] > 1).astype(int)
    return X, y


def trainer_for(options: dict, callbacks=(), params=None, seed=0):
    network = create_model(
        "numpy-mlp", params or {"hidden": "16"}, n_classes=3, n_features=4, n_rows=300, seed=seed, input_shape=(4,)
    )
    return Trainer(
        network, TrainOptions.from_dict(options), classes=("a", "b", "c"), callbacks=list(callbacks), seed=seed
    )


def test_it_learns_and_writes_history_with_validation_metrics():
    X, y = data()
    trainer = trainer_for(
        {"epochs": 8, "batch_size": 32, "lr": 0.01},
        [cb.ValidationMetrics(), cb.LearningRateLogger(), cb.HistoryWriter()],
    )
    history = trainer.fit(X[:200], y[:200], X[200:], y[200:])
    assert [row["epoch"] for row in history] == list(range(1, 9))
    assert history[-1]["loss"] < history[0]["loss"] and history[-1]["val_accuracy"] > 0.8
    assert history[0]["lr"] == 0.01 and trainer.batches_per_epoch == 7


def test_early_stopping_and_restoring_the_best_weights():
    X, y = data()
    stopper = cb.EarlyStopping(monitor="val_loss", patience=2)
    trainer = trainer_for(
        {"epochs": 50, "batch_size": 16, "lr": 0.5, "optimizer": "sgd"},
        [cb.ValidationMetrics(), stopper, cb.HistoryWriter()],
    )
    history = trainer.fit(X[:200], y[:200], X[200:], y[200:])
    assert trainer.stop_status == "early" and len(history) < 50
    best = min(range(len(history)), key=lambda i: history[i]["val_loss"])
    assert stopper.best_epoch == best + 1
    if stopper.restored_epoch is not None:
        assert trainer.holds(stopper.best_weights)


def test_a_diverging_run_is_stopped_as_diverged_with_its_batch():
    X, y = data()
    trainer = trainer_for(
        {"epochs": 3, "batch_size": 16, "lr": 10.0, "optimizer": "sgd", "init": "uniform01"},
        [cb.TerminateOnNaN()],
        params={"hidden": "64,64"},
    )
    trainer.model.initialise("uniform01", 0.05, 0)
    trainer.fit(X * 100, y)
    assert trainer.stop_status == "diverged"
    assert "epoch 1, batch" in trainer.stop_reason


def test_a_stop_request_ends_the_run_after_the_current_batch():
    X, y = data()

    class StopAtThirdBatch(cb.Callback):
        def on_batch_end(self, trainer, logs):
            if logs["batch"] == 3:
                trainer.request_stop("stopped by the user", "user")

    trainer = trainer_for({"epochs": 5, "batch_size": 16}, [StopAtThirdBatch()])
    trainer.fit(X, y)
    assert (trainer.epoch, trainer.batch, trainer.stop_status) == (1, 3, "user")


def test_best_checkpoint_and_histograms_work_on_numpy_weights(tmp_path):
    X, y = data()
    checkpoint, histograms = cb.BestCheckpoint(), cb.GradientHistograms()
    trainer = trainer_for({"epochs": 3, "batch_size": 32}, [cb.ValidationMetrics(), checkpoint, histograms])
    trainer.run_dir = tmp_path
    trainer.fit(X[:200], y[:200], X[200:], y[200:])
    assert checkpoint.path == tmp_path / "best.safetensors" and checkpoint.path.exists()
    layers = histograms.records[-1]["layers"]
    assert set(layers) == {"hidden1.weight", "hidden1.bias", "output.weight", "output.bias"}
    assert all(layer["grad_norm"] > 0 for layer in layers.values())


def test_sigmoid_output_trains_one_vs_rest():
    X, y = data()
    network = create_model(
        "numpy-logreg", {"output": "sigmoid"}, n_classes=3, n_features=4, n_rows=300, seed=0, input_shape=(4,)
    )
    trainer = Trainer(
        network,
        TrainOptions.from_dict({"epochs": 20, "batch_size": 32, "lr": 0.05}),
        classes=("a", "b", "c"),
        callbacks=[cb.HistoryWriter()],
    )
    history = trainer.fit(X, y)
    assert history[-1]["loss"] < history[0]["loss"] and history[-1]["accuracy"] > 0.7
    assert not math.isnan(history[-1]["loss"])


@pytest.mark.parametrize("schedule", ["step", "plateau", "reference", "reference_every_epoch", "inverse_time"])
def test_schedules_move_the_rate_between_epochs(schedule):
    X, y = data()
    trainer = trainer_for(
        {"epochs": 6, "lr": 0.1, "schedule": schedule, "step_size": 2, "plateau_patience": 1},
        [cb.ValidationMetrics(), cb.LearningRateLogger(), cb.HistoryWriter()],
    )
    history = trainer.fit(X[:200], y[:200], X[200:], y[200:])
    rates = [row["lr"] for row in history]
    assert rates[0] == 0.1 and (rates[-1] < 0.1 or schedule == "plateau")


def test_the_reference_rule_reads_each_epochs_validation_accuracy():
    from core.training.schedules import lr_sequence

    X, y = data()
    trainer = trainer_for(
        {"epochs": 7, "lr": 0.1, "schedule": "reference"},
        [cb.ValidationMetrics(), cb.LearningRateLogger(), cb.HistoryWriter()],
    )
    history = trainer.fit(X[:200], y[:200], X[200:], y[200:])
    accuracies = [row["val_accuracy"] for row in history]
    assert [row["lr"] for row in history] == pytest.approx(lr_sequence("reference", 7, 0.1, metrics=accuracies))
