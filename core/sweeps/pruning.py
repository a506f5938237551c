"""The callback that lets Optuna's pruner stop an unpromising network trial between epochs.

After each epoch it reports the objective's validation figure to the trial; when the pruner says stop, it asks
the trainer to stop with status 'pruned'. The run then ends 'stopped' with the reason (core/training/
network_run.py), and the sweep tells Optuna the trial was pruned. Both engines call it (the torch Trainer and
the NumPy engine share the callbacks)."""

from __future__ import annotations

from typing import Any

import numpy as np

from core.sweeps.config import OBJECTIVES
from core.training.callbacks.base import Callback

PRUNED_STATUS = "pruned"


def _balanced_accuracy(trainer: Any) -> float:
    # Not among the epoch logs' validation keys: computed here from one more pass over the validation rows.
    from sklearn.metrics import balanced_accuracy_score

    y_val = trainer.y_val
    y_true = y_val.detach().cpu().numpy() if hasattr(y_val, "detach") else np.asarray(y_val)
    return float(balanced_accuracy_score(y_true, trainer.predict_proba(trainer.X_val).argmax(axis=1)))


class TrialPruning(Callback):
    """Reports `objective`'s per-epoch validation value to `trial` (anything with report(value, step) and
    should_prune()); `pruned_at` is the epoch it stopped the run at, or None."""

    def __init__(self, trial: Any, objective: str) -> None:
        self.trial = trial
        self.objective = OBJECTIVES[objective]
        self.pruned_at: int | None = None
        self.reported: list[float] = []

    def on_train_begin(self, trainer: Any, logs: dict) -> None:
        self.pruned_at, self.reported = None, []

    def on_epoch_end(self, trainer: Any, logs: dict) -> None:
        if trainer.X_val is None or trainer.should_stop:  # no validation figure, or ending for another reason
            return
        key = self.objective.epoch_key
        value = logs.get(key) if key else _balanced_accuracy(trainer)
        if value is None or not np.isfinite(value):
            return  # a diverged epoch: TerminateOnNaN ends the run
        self.reported.append(float(value))
        self.trial.report(float(value), step=trainer.epoch)
        # The last epoch is never pruned: the run is as good as finished, and its full score tells the sampler more.
        if trainer.epoch < trainer.epochs and self.trial.should_prune():
            self.pruned_at = trainer.epoch
            reason = f"pruned by the sweep at epoch {trainer.epoch} ({self.objective.title} {value:.4g})"
            trainer.request_stop(reason, PRUNED_STATUS)
