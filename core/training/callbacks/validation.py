"""Validation scores at every epoch end, computed by the same `core.evaluate.evaluate` as every other run."""

from __future__ import annotations

from typing import Any

import numpy as np

from core.evaluate import Metrics, evaluate
from core.training.callbacks.base import Callback

# logs key -> Metrics attribute
VALIDATION_KEYS = {
    "val_loss": "log_loss",
    "val_accuracy": "accuracy",
    "val_f1_micro": "f1_micro",
    "val_f1_macro": "f1_macro",
    "val_roc_auc": "roc_auc",
}


class ValidationMetrics(Callback):
    """Adds val_loss (log loss, nats), val_accuracy, val_f1_micro, val_f1_macro and val_roc_auc (None where
    undefined) to the epoch logs when the trainer has a validation set. `last` holds the latest `Metrics`."""

    def __init__(self) -> None:
        self.last: Metrics | None = None

    def on_train_begin(self, trainer: Any, logs: dict) -> None:
        self.last = None

    def on_epoch_end(self, trainer: Any, logs: dict) -> None:
        if trainer.X_val is None:
            return
        proba = trainer.predict_proba(trainer.X_val)
        if not np.isfinite(proba).all():
            # Diverged weights give NaN probabilities, which evaluate() rejects; NaN scores let TerminateOnNaN
            # name the cause instead of the run failing here with a less helpful message.
            logs.update(dict.fromkeys(VALIDATION_KEYS, float("nan")))
            return
        self.last = evaluate(proba, _numpy(trainer.y_val), trainer.classes)
        logs.update({key: getattr(self.last, name) for key, name in VALIDATION_KEYS.items()})


def _numpy(values: Any) -> np.ndarray:
    if hasattr(values, "detach"):  # a torch tensor, possibly on an accelerator
        return values.detach().cpu().numpy()
    return np.asarray(values)
