"""Is this epoch's value of a logged metric an improvement? Shared by early stopping and checkpointing."""

from __future__ import annotations

import math
import warnings
from typing import Any

from core.errors import TrainboardError
from core.training.callbacks.base import Callback

MODES = ("min", "max", "auto")
# With mode "auto", metrics whose name contains one of these grow as the model gets better.
HIGHER_IS_BETTER = ("acc", "auc", "f1")


def resolve_mode(monitor: str, mode: str) -> str:
    """ "min" or "max": `mode` itself, or for "auto" max when `monitor` names an accuracy, AUC or F1 score."""
    if mode not in MODES:
        raise TrainboardError(f"mode: must be one of {', '.join(MODES)}, got {mode!r}")
    if mode != "auto":
        return mode
    return "max" if any(hint in monitor.lower() for hint in HIGHER_IS_BETTER) else "min"


class Monitor(Callback):
    """Tracks the best value of `logs[monitor]`. An improvement beats the best by more than `min_delta`
    (in the metric's own units); the first finite value always improves; None, NaN and infinities never do.
    The state (`best`, `best_epoch`) is reset at train begin."""

    def __init__(self, monitor: str, mode: str = "auto", min_delta: float = 0.0):
        if not isinstance(min_delta, int | float) or not math.isfinite(min_delta) or min_delta < 0:
            raise TrainboardError(f"min_delta: must be a number >= 0, got {min_delta!r}")
        self.monitor = monitor
        self.mode = resolve_mode(monitor, mode)
        self.min_delta = float(min_delta)
        self.reset()

    def reset(self) -> None:
        self.best: float | None = None
        self.best_epoch: int | None = None
        self._warned_missing = False

    def on_train_begin(self, trainer: Any, logs: dict) -> None:
        self.reset()

    def value(self, logs: dict) -> float | None:
        """`logs[monitor]` as a float (possibly NaN), or None when it is None or missing (missing warns once)."""
        if self.monitor not in logs:
            if not self._warned_missing:
                self._warned_missing = True
                available = ", ".join(sorted(logs)) or "none"
                warnings.warn(
                    f"{type(self).__name__}: metric {self.monitor!r} is not in the epoch logs (available: {available})",
                    RuntimeWarning,
                    stacklevel=2,
                )
            return None
        current = logs[self.monitor]
        return None if current is None else float(current)

    def improved(self, current: float | None) -> bool:
        if current is None or not math.isfinite(current):
            return False
        if self.best is None:
            return True
        if self.mode == "min":
            return current < self.best - self.min_delta
        return current > self.best + self.min_delta

    def update(self, current: float | None, epoch: int) -> bool:
        """Record `current` as the best (at `epoch`) when it improves; returns whether it did."""
        if not self.improved(current):
            return False
        self.best, self.best_epoch = current, epoch
        return True
