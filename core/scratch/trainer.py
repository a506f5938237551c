"""The NumPy engine's Trainer: the same epoch loop, callbacks and contract as core.training.trainer's torch one.

Read it beside the torch Trainer: each epoch takes the same shuffled batches (core.scratch.batches), does
forward, loss, backward and an optimizer step on plain arrays, hands each batch loss to the callbacks, then lets
them add validation metrics, checkpoints, histograms, history and progress before the schedule moves the rate.
Callbacks stop training through `request_stop`; the loop checks the flag after every batch and every epoch.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from core.atomic import write_atomic
from core.scratch.batches import epoch_batches
from core.scratch.losses import SigmoidBinaryCrossEntropy, SoftmaxCrossEntropy
from core.scratch.network import Network
from core.scratch.optimizers import make_optimizer
from core.scratch.regularizers import L1
from core.scratch.schedules import make_schedule
from core.training.callbacks.base import Callback, CallbackList
from core.training.options import TrainOptions


class Trainer:
    """Trains `network` with `options`. Attributes are what callbacks may read (see core/training/callbacks/
    base.py): model, optimizer, run_dir, classes, epoch, batch, epochs, batches_per_epoch, X_val, y_val,
    history, should_stop, stop_status, stop_reason; and the weight methods at the end of the class."""

    def __init__(
        self,
        network: Network,
        options: TrainOptions,
        *,
        classes: tuple[str, ...],
        callbacks: list[Callback] = (),
        run_dir: Path | None = None,
        class_weights: np.ndarray | None = None,
        seed: int = 0,
    ):
        self.options = options
        self.model = network
        self.classes = tuple(classes)
        self.run_dir = run_dir
        self.callbacks = CallbackList(list(callbacks))
        self.optimizer = make_optimizer(
            options.optimizer, lr=options.lr, momentum=options.momentum, weight_decay=options.weight_decay
        )
        self.schedule = make_schedule(
            options.schedule,
            self.optimizer,
            epochs=options.epochs,
            step_size=options.step_size or None,
            gamma=options.gamma or None,
            patience=options.plateau_patience,
        )
        if network.output == "softmax":
            self.loss_fn = SoftmaxCrossEntropy(class_weights, options.label_smoothing)
        else:  # one-vs-rest: a yes/no target per class
            self.loss_fn = SigmoidBinaryCrossEntropy()
        self.l1 = L1(options.l1) if options.l1 else None
        self.rng = np.random.default_rng(seed)  # the batch order, as the torch Trainer's
        self.grads: list[np.ndarray | None] = [None] * len(network.parameters())
        self.epochs = options.epochs
        self.epoch = self.batch = self.batches_per_epoch = 0
        self.X_val = self.y_val = None
        self.history: list[dict] = []
        self.should_stop, self.stop_status, self.stop_reason = False, None, ""

    def request_stop(self, reason: str, status: str) -> None:
        """Ask the loop to stop after the current batch; the first request's reason and status are kept."""
        if not self.should_stop:
            self.should_stop, self.stop_status, self.stop_reason = True, status, reason

    def fit(self, X_train: np.ndarray, y_train: np.ndarray, X_val=None, y_val=None) -> list[dict]:
        """Train for `options.epochs` epochs or until a callback stops it; returns the history."""
        dtype = self.model.dtype
        X_train = np.asarray(X_train, dtype=dtype)
        self.X_val = None if X_val is None else np.asarray(X_val, dtype=dtype)
        self.y_val = y_val
        self.batches_per_epoch = -(-len(X_train) // self.options.batch_size)
        self.should_stop, self.stop_status, self.stop_reason = False, None, ""
        self.callbacks.call("on_train_begin", self, {})
        # A diverging network overflows; TerminateOnNaN ends the run and says why, so NumPy's warnings are noise.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            try:
                for epoch in range(1, self.epochs + 1):
                    self.epoch = epoch
                    self.callbacks.call("on_epoch_begin", self, {"epoch": epoch})
                    logs = self._train_one_epoch(X_train, np.asarray(y_train))
                    self.callbacks.call("on_epoch_end", self, logs)
                    self.schedule.step(logs.get(self.schedule.monitor) if self.schedule.monitor else None)
                    if self.should_stop:
                        break
                self.callbacks.call("on_train_end", self, {})
            except BaseException as exc:
                self.callbacks.call("on_exception", self, exc)
                raise
        return self.history

    def _train_one_epoch(self, X: np.ndarray, y: np.ndarray) -> dict:
        started = time.perf_counter()
        loss_sum, correct, seen = 0.0, 0, 0
        batches = epoch_batches(len(X), self.options.batch_size, self.rng)
        for self.batch, rows in enumerate(batches, 1):
            targets = y[rows]
            batch_loss, logits = self._step(X[rows], targets)
            batch_correct = int((logits.argmax(axis=1) == targets).sum())
            loss_sum += batch_loss * len(rows)
            correct += batch_correct
            seen += len(rows)
            logs = {"batch": self.batch, "loss": batch_loss, "correct": batch_correct, "examples": len(rows)}
            self.callbacks.call("on_batch_end", self, logs)
            if self.should_stop:
                break
        seconds = time.perf_counter() - started
        return {
            "epoch": self.epoch,
            "loss": loss_sum / max(seen, 1),
            "accuracy": correct / max(seen, 1),
            "seconds": seconds,
            "examples_per_second": seen / seconds if seconds > 0 else 0.0,
        }

    def _step(self, inputs: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
        """One optimisation step; returns the batch's data loss (without the L1 term) and its logits."""
        logits = self.model.forward(inputs, training=True)
        if isinstance(self.loss_fn, SoftmaxCrossEntropy):
            loss, grad = self.loss_fn(logits, targets)
        else:
            loss, grad = self.loss_fn(logits, np.eye(logits.shape[1], dtype=logits.dtype)[targets])
        self.model.backward(grad)
        # Read each step, not kept: initialising or loading a network may put new arrays in its layers.
        params = [array for _, array in self.model.parameters()]
        grads = self.model.gradients()
        if self.l1:  # on weights only (2 or more dimensions), as the torch Trainer
            grads = [g + self.l1.gradient(p) if p.ndim > 1 else g for p, g in zip(params, grads, strict=True)]
        self.grads = grads
        self.optimizer.step(params, grads)
        return loss, logits

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """N x C probabilities (float64) in eval mode."""
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return self.model.predict_proba(X)

    # --- the weights as callbacks see them (the same methods as the torch Trainer's)
    @property
    def learning_rate(self) -> float:
        return float(self.optimizer.lr)

    def named_arrays(self, gradients: bool = True) -> Iterator[tuple[str, np.ndarray, np.ndarray | None]]:
        """(name, values, gradient of the last step or None) for every trainable array (the arrays themselves)."""
        for (name, values), grad in zip(self.model.parameters(), self.grads, strict=True):
            yield name, values, grad if gradients else None

    def snapshot(self) -> dict[str, np.ndarray]:
        return self.model.state_dict()

    def restore(self, snapshot: dict[str, np.ndarray]) -> None:
        self.model.load_state_dict(snapshot)

    def holds(self, snapshot: dict[str, np.ndarray]) -> bool:
        current = self.model.state_dict()
        return current.keys() == snapshot.keys() and all(np.array_equal(current[k], snapshot[k]) for k in snapshot)

    def save_checkpoint(self, path: Path | str) -> Path:
        return save_weights(self.model, path)


def save_weights(network: Network, path: Path | str) -> Path:
    """The network's parameters and buffers as a safetensors file (arrays only, no pickle), written atomically."""
    from safetensors.numpy import save_file

    tensors = {name: np.ascontiguousarray(value) for name, value in network.state_dict().items()}
    return write_atomic(Path(path), lambda tmp: save_file(tensors, str(tmp)))


def load_weights(network: Network, path: Path | str) -> Network:
    """Load a file written by `save_weights` into `network` (every key must match); returns `network`."""
    from safetensors.numpy import load_file

    network.load_state_dict(load_file(str(path)))
    return network
