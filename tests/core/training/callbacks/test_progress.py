"""ProgressReporter: throttled batch reports on an injected clock, epoch-end reports, and the user's stop."""

import pytest

from core.training.callbacks import ProgressReporter
from tests.core.training.callbacks.fake_trainer import FakeTrainer


class Clock:
    def __init__(self, times):
        self.times = iter(times)

    def __call__(self):
        return next(self.times)


def test_batch_reports_at_most_once_per_interval():
    reports = []
    trainer = FakeTrainer(epochs=2, batches_per_epoch=4)
    reporter = ProgressReporter(lambda f, m: reports.append((f, m)), lambda: False, 1.0, Clock([0, 0.5, 1.0, 1.2]))
    reporter.on_train_begin(trainer, {})
    trainer.epoch = 2
    for batch, loss in enumerate([0.9, 0.8, 0.7, 0.6], start=1):
        reporter.on_batch_end(trainer, {"batch": batch, "loss": loss})
    # t=0 reports (first), 0.5 too soon, 1.0 reports (1.0 since the last), 1.2 too soon
    # epoch 2 of 2, batch 1 of 4: (1 + 1/4) / 2 = 0.625; batch 3: (1 + 3/4) / 2 = 0.875
    assert reports == [(0.625, "epoch 2/2, batch 1/4, loss 0.9000"), (0.875, "epoch 2/2, batch 3/4, loss 0.7000")]


def test_every_batch_with_zero_interval_and_epoch_end_always():
    reports = []
    trainer = FakeTrainer(epochs=4, batches_per_epoch=2)
    reporter = ProgressReporter(lambda f, m: reports.append((f, m)), lambda: False, every_seconds=0)
    trainer.epoch = 1
    reporter.on_batch_end(trainer, {"batch": 1, "loss": 0.5})
    reporter.on_batch_end(trainer, {"batch": 2, "loss": 0.25})
    reporter.on_epoch_end(trainer, {"epoch": 1, "loss": 0.375, "val_accuracy": 0.8125})
    reporter.on_epoch_end(trainer, {"epoch": 1, "loss": 0.375, "val_accuracy": None})
    assert [f for f, _ in reports] == pytest.approx([0.125, 0.25, 0.25, 0.25])
    assert reports[2][1] == "epoch 1/4 done: loss 0.3750, val_accuracy 0.8125"
    assert reports[3][1] == "epoch 1/4 done: loss 0.3750"


def test_epoch_end_reports_the_studys_validation_scores():
    reports = []
    trainer = FakeTrainer(epochs=2, batches_per_epoch=1)
    reporter = ProgressReporter(lambda f, m: reports.append((f, m)), lambda: False)
    trainer.epoch = 1
    logs = {"epoch": 1, "loss": 0.5, "val_accuracy": 0.75, "val_f1_micro": 0.75, "val_roc_auc": 0.9125}
    reporter.on_epoch_end(trainer, logs)
    assert reports[0][1] == "epoch 1/2 done: loss 0.5000, val_accuracy 0.7500, val_f1_micro 0.7500, val_roc_auc 0.9125"


def test_user_stop_is_turned_into_a_stop_request():
    answers = iter([False, True])
    trainer = FakeTrainer()
    trainer.epoch = 1
    reporter = ProgressReporter(lambda f, m: None, lambda: next(answers), every_seconds=0)
    reporter.on_batch_end(trainer, {"batch": 1, "loss": 0.5})
    assert not trainer.should_stop
    reporter.on_batch_end(trainer, {"batch": 2, "loss": 0.5})
    assert (trainer.should_stop, trainer.stop_status, trainer.stop_reason) == (True, "user", "stopped by the user")


def test_should_stop_is_asked_only_when_reporting():
    asked = []
    trainer = FakeTrainer()
    trainer.epoch = 1
    reporter = ProgressReporter(lambda f, m: None, lambda: asked.append(1) or False, 10.0, Clock([0, 1, 2, 3]))
    for batch in (1, 2, 3):
        reporter.on_batch_end(trainer, {"batch": batch, "loss": 0.5})
    assert len(asked) == 1
    reporter.on_epoch_end(trainer, {"epoch": 1, "loss": 0.5})
    assert len(asked) == 2
