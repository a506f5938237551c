"""The best weights so far, saved by the trainer's engine as safetensors (tensors only: loading runs no pickle)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.training.callbacks.monitor import Monitor


class BestCheckpoint(Monitor):
    """Saves the weights to `trainer.run_dir / filename` whenever `logs[monitor]` improves (only then), and
    adds `best_epoch` to the logs. Without a run folder the best weights are kept in memory (`best_state`).
    With `tie_breaker` (a lower-is-better key such as "val_loss"), an epoch that equals the best monitored value
    and lowers the tie-breaker also counts: on a small validation set accuracy ties for many epochs while the
    loss still improves, and the earliest of them is rarely the best model."""

    def __init__(
        self,
        monitor: str = "val_accuracy",
        mode: str = "max",
        filename: str = "best.safetensors",
        min_delta=0.0,
        tie_breaker: str | None = None,
    ):
        super().__init__(monitor, mode, min_delta)
        self.filename = filename
        self.tie_breaker = tie_breaker

    def reset(self) -> None:
        super().reset()
        self.best_state: dict | None = None  # the engine's own copy of the weights
        self.path: Path | None = None
        self.best_tie_value: float | None = None

    def _breaks_tie(self, current: float | None, logs: dict) -> bool:
        value = logs.get(self.tie_breaker) if self.tie_breaker else None
        if current is None or self.best is None or current != self.best or value is None:
            return False
        return self.best_tie_value is None or value < self.best_tie_value

    def on_epoch_end(self, trainer: Any, logs: dict) -> None:
        current = self.value(logs)
        if self.improved(current) or self._breaks_tie(current, logs):
            self.best, self.best_epoch = current, trainer.epoch
            self.best_tie_value = logs.get(self.tie_breaker) if self.tie_breaker else None
            if trainer.run_dir is None:
                self.best_state = trainer.snapshot()
            else:
                self.path = trainer.save_checkpoint(Path(trainer.run_dir) / self.filename)
        if self.best_epoch is not None:
            logs["best_epoch"] = self.best_epoch
