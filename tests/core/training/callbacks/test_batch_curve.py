"""BatchCurve: a point every N batches or every few seconds (scripted clock), row-weighted means of the batches'
own loss and hits, the rest of an epoch written at its end, a file a reader never sees half a line of, and both
engines' batch logs holding what it needs without an extra forward pass."""

import math

import numpy as np
import pytest
import torch

from core.errors import TrainboardError
from core.models import create_model
from core.training.callbacks import BatchCurve, Callback, CallbackList, HistoryWriter, read_batch_curve
from core.training.callbacks.batch_curve import BATCH_CURVE_FILE
from core.training.options import TrainOptions
from tests.core.training.callbacks.fake_trainer import FakeTrainer


class Clock:
    """Scripted monotonic seconds: `start` at train begin, then one entry per call after it."""

    def __init__(self, times):
        self.times = iter(times)

    def __call__(self):
        return next(self.times)


def run_batches(callback, trainer, epochs: list[list[tuple]]) -> list[dict]:
    """Train begin, then per epoch its batches' (loss, correct, examples) and an epoch end; returns the epoch logs."""
    callbacks = CallbackList([callback])
    callbacks.call("on_train_begin", trainer, {})
    ended = []
    for epoch, batches in enumerate(epochs, start=1):
        trainer.epoch = epoch
        for batch, (loss, correct, examples) in enumerate(batches, start=1):
            logs = {"batch": batch, "loss": loss, "examples": examples}
            if correct is not None:
                logs["correct"] = correct
            callbacks.call("on_batch_end", trainer, logs)
        logs = {"epoch": epoch}
        callbacks.call("on_epoch_end", trainer, logs)
        ended.append(logs)
    return ended


def test_fast_batches_give_a_point_every_twentieth_of_an_epoch(tmp_path):
    # 40 batches an epoch, 0.01 s each: 2 s never pass, so the count decides: ceil(40 / 20) = 2 batches a point.
    trainer = FakeTrainer(run_dir=tmp_path, epochs=1, batches_per_epoch=40)
    callback = BatchCurve(clock=Clock([0.0] + [0.01 * i for i in range(1, 41)]))
    losses = [(1.0, 1, 4), (0.5, 2, 4)] * 20
    run_batches(callback, trainer, [losses])
    points = callback.points
    assert [p["epoch"] for p in points] == pytest.approx([0.05 * i for i in range(1, 21)])
    assert all(p["loss"] == pytest.approx(0.75) and p["accuracy"] == pytest.approx(3 / 8) for p in points)
    assert read_batch_curve(tmp_path) == points


def test_slow_batches_give_a_point_every_two_seconds():
    # 100 batches an epoch (a point every 5 by count), 1.5 s each: time decides, every second batch (3 s >= 2 s).
    trainer = FakeTrainer(epochs=1, batches_per_epoch=100)
    callback = BatchCurve(clock=Clock([10.0] + [10.0 + 1.5 * i for i in range(1, 7)]))
    callbacks = CallbackList([callback])
    callbacks.call("on_train_begin", trainer, {})
    trainer.epoch = 1
    for batch, (loss, correct) in enumerate([(2.0, 0), (1.0, 8), (0.9, 4), (0.7, 6), (0.6, 7), (0.5, 8)], start=1):
        callbacks.call("on_batch_end", trainer, {"batch": batch, "loss": loss, "correct": correct, "examples": 8})
    assert callback.points == [
        {"epoch": 0.02, "seconds": 3.0, "loss": pytest.approx(1.5), "accuracy": 0.5},
        {"epoch": 0.04, "seconds": 6.0, "loss": pytest.approx(0.8), "accuracy": 0.625},
        {"epoch": 0.06, "seconds": 9.0, "loss": pytest.approx(0.55), "accuracy": 0.9375},
    ]


def test_means_weigh_batches_by_rows_and_an_epoch_end_writes_the_rest(tmp_path):
    # 3 batches an epoch, at most 1 point per epoch by count, and a slow clock: only the epoch ends write points.
    # Epoch 2 stops after 2 of its 3 batches (as a user's stop would): its point is at 1 + 2/3 epochs.
    trainer = FakeTrainer(run_dir=tmp_path, epochs=2, batches_per_epoch=3)
    callback = BatchCurve(every_seconds=100.0, points_per_epoch=1, clock=Clock([0.0, 1.0, 2.0, 3.0, 5.0, 6.0]))
    ended = run_batches(callback, trainer, [[(1.0, 1, 10), (1.0, 1, 10), (0.4, 5, 5)], [(0.5, 2, 4), (0.2, 4, 4)]])
    assert callback.points == [
        {"epoch": 1.0, "seconds": 3.0, "loss": pytest.approx(0.88), "accuracy": pytest.approx(7 / 25)},
        {"epoch": pytest.approx(5 / 3), "seconds": 6.0, "loss": pytest.approx(0.35), "accuracy": 0.75},
    ]
    assert [logs["elapsed_seconds"] for logs in ended] == [3.0, 6.0], "the end of each epoch's last batch"
    assert read_batch_curve(tmp_path) == callback.points


def test_a_missing_accuracy_and_a_nan_loss_become_none():
    trainer = FakeTrainer(epochs=1, batches_per_epoch=2)
    callback = BatchCurve(points_per_epoch=2, clock=Clock([0.0, 0.1, 0.2]))
    run_batches(callback, trainer, [[(0.5, None, 4), (math.nan, 2, 4)]])
    assert [(p["loss"], p["accuracy"]) for p in callback.points] == [(0.5, None), (None, 0.5)]


def test_a_reader_leaves_out_a_line_still_being_written_and_a_new_run_starts_a_new_curve(tmp_path):
    assert read_batch_curve(tmp_path) == []
    trainer = FakeTrainer(run_dir=tmp_path, epochs=1, batches_per_epoch=1)
    run_batches(BatchCurve(clock=Clock([0.0, 1.0])), trainer, [[(0.5, 1, 2)]])
    with open(tmp_path / BATCH_CURVE_FILE, "a") as handle:
        handle.write('{"epoch": 1.5, "seco')  # what a reader may meet mid-way through an append
    assert [p["epoch"] for p in read_batch_curve(tmp_path)] == [1.0]
    callback = BatchCurve(clock=Clock([0.0]))
    callback.on_train_begin(trainer, {})
    assert read_batch_curve(tmp_path) == [] and callback.points == []


def test_settings_are_checked():
    with pytest.raises(TrainboardError, match="points_per_epoch"):
        BatchCurve(points_per_epoch=0)
    with pytest.raises(TrainboardError, match="every_seconds"):
        BatchCurve(every_seconds=0)


class BatchLogs(Callback):
    def __init__(self):
        self.logs = []

    def on_batch_end(self, trainer, logs):
        self.logs.append(dict(logs))


def _torch_trainer(callbacks):
    from core.training.trainer import Trainer

    model = create_model("mlp", {"hidden": "8"}, n_classes=3, n_features=4, n_rows=100, input_shape=(4,))
    options = TrainOptions.from_dict({"epochs": 2, "batch_size": 16, "lr": 0.05})
    trainer = Trainer(model, options, classes=("a", "b", "c"), device=torch.device("cpu"), callbacks=callbacks)
    forwards = []
    trainer.model.register_forward_hook(lambda *_: forwards.append(1))
    return trainer, forwards


def _numpy_trainer(callbacks):
    from core.scratch.trainer import Trainer

    network = create_model("numpy-mlp", {"hidden": "8"}, n_classes=3, n_features=4, n_rows=100, input_shape=(4,))
    options = TrainOptions.from_dict({"epochs": 2, "batch_size": 16, "lr": 0.05})
    trainer = Trainer(network, options, classes=("a", "b", "c"), callbacks=callbacks)
    forwards = []
    forward = network.forward
    network.forward = lambda *args, **kwargs: forwards.append(1) or forward(*args, **kwargs)
    return trainer, forwards


@pytest.mark.parametrize("make_trainer", [_torch_trainer, _numpy_trainer], ids=["torch", "numpy"])
def test_both_engines_hand_each_batchs_own_hits_to_the_callbacks(make_trainer):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((100, 4)).astype(np.float32)
    y = (X[:, 0] > 0).astype(np.int64) + (X[:, 1] > 1).astype(np.int64)
    recorder, curve = BatchLogs(), BatchCurve(points_per_epoch=7)  # 7 batches an epoch: a point after each
    trainer, forwards = make_trainer([recorder, curve, HistoryWriter()])
    if make_trainer is _torch_trainer:
        history = trainer.fit(torch.from_numpy(X), torch.from_numpy(y))
    else:
        history = trainer.fit(X, y)
    assert len(forwards) == 14, "one forward pass per training batch, none for the curve"
    assert [log["examples"] for log in recorder.logs] == [16] * 6 + [4] + [16] * 6 + [4]
    assert all(isinstance(log["correct"], int) and 0 <= log["correct"] <= log["examples"] for log in recorder.logs)
    for epoch, logs in enumerate([recorder.logs[:7], recorder.logs[7:]]):
        rows = sum(log["examples"] for log in logs)
        assert sum(log["correct"] for log in logs) / rows == pytest.approx(history[epoch]["accuracy"])
        assert sum(log["loss"] * log["examples"] for log in logs) / rows == pytest.approx(history[epoch]["loss"])
    assert [p["accuracy"] for p in curve.points] == pytest.approx(
        [log["correct"] / log["examples"] for log in recorder.logs]
    )
    assert [p["epoch"] for p in curve.points][6::7] == [1.0, 2.0]
    assert 0 < history[0]["elapsed_seconds"] <= history[1]["elapsed_seconds"]
