"""A stand-in for the Trainer with the attributes callbacks see (see the design contract), a real tiny model
and optimizer, and drivers that feed callbacks scripted logs the way the epoch loop would."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import torch
from torch import nn

from core.training.callbacks import CallbackList
from core.training.weights import TorchWeights


class FakeTrainer(TorchWeights):
    def __init__(self, run_dir: Path | None = None, epochs: int = 10, batches_per_epoch: int = 4, n_features: int = 3):
        torch.manual_seed(0)
        self.model = nn.Sequential(nn.Linear(n_features, 2))
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=0.05)
        self.device = torch.device("cpu")
        self.run_dir = run_dir
        self.classes = ("no", "yes")
        self.epoch = 0
        self.batch = 0
        self.epochs = epochs
        self.batches_per_epoch = batches_per_epoch
        self.X_val = None
        self.y_val = None
        self.history: list[dict] = []
        self.should_stop = False
        self.stop_status: str | None = None
        self.stop_reason = ""

    def request_stop(self, reason: str, status: str) -> None:
        if self.should_stop:  # the first request wins
            return
        self.should_stop, self.stop_status, self.stop_reason = True, status, reason

    def predict_proba(self, X: torch.Tensor) -> np.ndarray:
        self.model.eval()
        with torch.no_grad():
            return torch.softmax(self.model(X).double(), dim=1).numpy()  # float64, as the Trainer's

    def set_weights(self, value: float) -> None:
        """Every parameter filled with `value`: a weight state that names the epoch it came from."""
        with torch.no_grad():
            for param in self.model.parameters():
                param.fill_(value)

    def take_step(self) -> float:
        """One real SGD step on random data, leaving gradients in .grad; returns the loss."""
        self.model.train()
        self.optimizer.zero_grad()
        X, y = torch.randn(8, self.model[0].in_features), torch.randint(0, 2, (8,))
        loss = nn.functional.cross_entropy(self.model(X), y)
        loss.backward()
        self.optimizer.step()
        return float(loss.detach())


def run_epochs(callbacks: Iterable, trainer: FakeTrainer, rows: Sequence[dict], weights_per_epoch=False) -> list[dict]:
    """Train begin, then one epoch end per row of logs (epoch numbers added), stopping like the trainer does when
    a callback asks; then train end. With `weights_per_epoch`, epoch e's weights are all e. Returns the logs."""
    callbacks = CallbackList(callbacks)
    callbacks.call("on_train_begin", trainer, {})
    seen = []
    for epoch, row in enumerate(rows, start=1):
        trainer.epoch = epoch
        callbacks.call("on_epoch_begin", trainer, {})
        if weights_per_epoch:
            trainer.set_weights(float(epoch))
        logs = {"epoch": epoch, **row}
        callbacks.call("on_epoch_end", trainer, logs)
        seen.append(logs)
        if trainer.should_stop:
            break
    end_logs: dict = {}
    callbacks.call("on_train_end", trainer, end_logs)
    seen.append(end_logs)
    return seen


def stop_epoch(callback, values: Sequence[float], key: str = "val_loss") -> int | None:
    """The epoch at which `callback` stops a run whose `key` takes `values` epoch by epoch (None: never)."""
    trainer = FakeTrainer()
    run_epochs([callback], trainer, [{key: value} for value in values])
    return trainer.epoch if trainer.should_stop else None
