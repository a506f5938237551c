"""The learning rate of each epoch in the logs, so schedules show up in the history and TensorBoard."""

from __future__ import annotations

from typing import Any

from core.training.callbacks.base import Callback


class LearningRateLogger(Callback):
    """Adds `lr`: the first parameter group's learning rate, the one used during this epoch (the trainer steps
    its schedule after the callbacks have run)."""

    def on_epoch_end(self, trainer: Any, logs: dict) -> None:
        logs["lr"] = trainer.learning_rate
