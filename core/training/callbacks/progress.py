"""Progress of a run for whoever started it (the worker writes it where the page can poll it), and the
user's stop button turned into a stop request."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from core.training.callbacks.base import Callback


class ProgressReporter(Callback):
    """Calls `report(fraction, message)` with the fraction of planned batches done (0..1): after a batch at most
    once every `every_seconds` (of `clock`, monotonic seconds), and at every epoch end. Each time it reports it
    asks `should_stop()`, and on True asks the trainer to stop (status "user")."""

    def __init__(
        self,
        report: Callable[[float, str], None],
        should_stop: Callable[[], bool],
        every_seconds: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.report = report
        self.should_stop = should_stop
        self.every_seconds = every_seconds
        self.clock = clock
        self._last_report: float | None = None

    def on_train_begin(self, trainer: Any, logs: dict) -> None:
        self._last_report = None

    def on_batch_end(self, trainer: Any, logs: dict) -> None:
        now = self.clock()
        if self._last_report is not None and now - self._last_report < self.every_seconds:
            return
        self._last_report = now
        batch, batches = logs.get("batch", trainer.batch), max(trainer.batches_per_epoch, 1)
        fraction = (trainer.epoch - 1 + batch / batches) / trainer.epochs
        message = f"epoch {trainer.epoch}/{trainer.epochs}, batch {batch}/{batches}, loss {logs['loss']:.4f}"
        self._report(trainer, fraction, message)

    def on_epoch_end(self, trainer: Any, logs: dict) -> None:
        self._last_report = self.clock()
        parts = [f"loss {logs['loss']:.4f}"] if logs.get("loss") is not None else []
        # The reference study's callback printed micro-F1 and ROC AUC after every epoch: so do we.
        for key in ("val_accuracy", "val_f1_micro", "val_roc_auc"):
            if logs.get(key) is not None:
                parts.append(f"{key} {logs[key]:.4f}")
        message = f"epoch {trainer.epoch}/{trainer.epochs} done" + (f": {', '.join(parts)}" if parts else "")
        self._report(trainer, trainer.epoch / trainer.epochs, message)

    def _report(self, trainer: Any, fraction: float, message: str) -> None:
        self.report(min(max(fraction, 0.0), 1.0), message)
        if self.should_stop():
            trainer.request_stop("stopped by the user", "user")
