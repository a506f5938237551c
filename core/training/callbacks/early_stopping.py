"""Stop training when a monitored metric has stopped improving (Keras's EarlyStopping semantics)."""

from __future__ import annotations

from typing import Any

from core.errors import TrainboardError
from core.training.callbacks.monitor import Monitor


class EarlyStopping(Monitor):
    """After `patience` epochs in a row without an improvement of `logs[monitor]` by more than `min_delta`,
    ask the trainer to stop (status "early"). An epoch whose value is None or NaN counts as no improvement;
    an epoch where the key is missing altogether is not counted (it warns once).

    With `restore_best_weights`, a copy of the weights (`trainer.snapshot()`) is kept at each improvement and put
    back into the model at train end, unless the model already holds them; `logs["restored_epoch"]` says when."""

    def __init__(
        self,
        monitor: str = "val_loss",
        patience: int = 5,
        min_delta: float = 0.0,
        mode: str = "auto",
        restore_best_weights: bool = True,
    ):
        if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
            raise TrainboardError(f"patience: must be a whole number of epochs >= 1, got {patience!r}")
        self.patience = patience
        self.restore_best_weights = restore_best_weights
        super().__init__(monitor, mode, min_delta)

    def reset(self) -> None:
        super().reset()
        self.wait = 0
        self.stopped_epoch: int | None = None
        self.restored_epoch: int | None = None
        self.best_weights: dict | None = None  # the engine's own copy (trainer.snapshot())

    def on_epoch_end(self, trainer: Any, logs: dict) -> None:
        current = self.value(logs)
        if self.monitor not in logs:
            return
        if self.update(current, trainer.epoch):
            self.wait = 0
            if self.restore_best_weights:
                self.best_weights = trainer.snapshot()
            return
        self.wait += 1
        if self.wait >= self.patience and self.stopped_epoch is None:
            self.stopped_epoch = trainer.epoch
            best = "no finite value" if self.best is None else f"{self.best:.4f} at epoch {self.best_epoch}"
            trainer.request_stop(
                f"early stopping: {self.monitor} did not improve by more than {self.min_delta} "
                f"for {self.patience} epochs; best {best}",
                "early",
            )

    def on_train_end(self, trainer: Any, logs: dict) -> None:
        if not self.restore_best_weights or self.best_weights is None:
            return
        # Compared rather than inferred from epoch numbers: a stop in the middle of an epoch changes the weights.
        if trainer.holds(self.best_weights):
            return
        trainer.restore(self.best_weights)
        self.restored_epoch = self.best_epoch
        logs["restored_epoch"] = self.best_epoch
