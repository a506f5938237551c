"""LearningRateLogger reports the optimizer's current rate."""

import torch

from core.training.callbacks import Callback, LearningRateLogger
from tests.core.training.callbacks.fake_trainer import FakeTrainer, run_epochs


def test_logs_the_rate_of_each_epoch_as_a_schedule_changes_it():
    trainer = FakeTrainer()
    schedule = torch.optim.lr_scheduler.StepLR(trainer.optimizer, step_size=1, gamma=0.5)

    class StepScheduleAfterCallbacks(Callback):  # what the trainer does after the callbacks
        def on_epoch_end(self, trainer, logs):
            trainer.take_step()
            schedule.step()

    logs = run_epochs([LearningRateLogger(), StepScheduleAfterCallbacks()], trainer, [{}, {}, {}])
    assert [row["lr"] for row in logs[:-1]] == [0.05, 0.025, 0.0125]
