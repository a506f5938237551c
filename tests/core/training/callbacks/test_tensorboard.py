"""TensorBoardLogger writes event files that TensorBoard itself reads back."""

import math

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from core.training.callbacks import CallbackList, TensorBoardLogger
from tests.core.training.callbacks.fake_trainer import FakeTrainer

EVERYTHING = {"scalars": 0, "histograms": 0, "tensors": 0, "images": 0, "audio": 0, "compressedHistograms": 0}


def test_two_epochs_of_scalars_and_histograms(tmp_path):
    trainer = FakeTrainer(run_dir=tmp_path)
    callback = TensorBoardLogger()
    callback.on_train_begin(trainer, {})
    for epoch, loss in ((1, 0.7), (2, 0.5)):
        trainer.epoch = epoch
        trainer.take_step()
        logs = {"epoch": epoch, "loss": loss, "val_accuracy": 0.5 + epoch / 10, "lr": 0.05}
        logs |= {"val_roc_auc": None, "val_loss": math.nan, "stopped": True}
        callback.on_epoch_end(trainer, logs)
    callback.on_train_end(trainer, {})
    assert callback.writer is None
    folder = tmp_path / "tensorboard"
    assert any(p.name.startswith("events.out.tfevents") for p in folder.iterdir())

    events = EventAccumulator(str(folder), size_guidance=EVERYTHING)
    events.Reload()
    tags = events.Tags()
    assert set(tags["scalars"]) == {"loss", "val_accuracy", "lr"}  # no epoch, None, NaN or bool
    assert [(e.step, round(e.value, 6)) for e in events.Scalars("loss")] == [(1, 0.7), (2, 0.5)]
    assert set(tags["histograms"]) == {"weights/0.weight", "weights/0.bias", "gradients/0.weight", "gradients/0.bias"}
    assert [e.step for e in events.Histograms("gradients/0.weight")] == [1, 2]


def test_exception_closes_the_writer(tmp_path):
    trainer = FakeTrainer(run_dir=tmp_path)
    callback = TensorBoardLogger(subdir="tb")
    callback.on_train_begin(trainer, {})
    assert callback.writer is not None and (tmp_path / "tb").is_dir()
    CallbackList([callback]).call("on_exception", trainer, RuntimeError("x"))
    assert callback.writer is None


def test_nothing_without_a_run_folder():
    trainer = FakeTrainer()
    callback = TensorBoardLogger()
    callback.on_train_begin(trainer, {})
    trainer.epoch = 1
    callback.on_epoch_end(trainer, {"loss": 0.5})
    assert callback.writer is None


def test_nan_weights_are_left_out_of_histograms(tmp_path):
    trainer = FakeTrainer(run_dir=tmp_path)
    trainer.set_weights(math.nan)
    callback = TensorBoardLogger()
    callback.on_train_begin(trainer, {})
    trainer.epoch = 1
    callback.on_epoch_end(trainer, {"loss": math.nan})  # must not raise
    callback.on_train_end(trainer, {})
