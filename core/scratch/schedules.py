"""Learning-rate schedules: the rate of each epoch, set on the optimizer after each epoch ends.

The same names and defaults as core.training.optim's torch schedules (a test runs both side by side), written
as closed forms of the number of epochs done, t, and the starting rate lr0.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from core.errors import TrainboardError


class Schedule:
    """`step(metric)` after each epoch: t += 1 and optimizer.lr = rate(t); `metric` is ignored."""

    monitor: str | None = None  # the epoch's log step() reads (none)

    def __init__(self, optimizer, rate: Callable[[int], float]) -> None:
        self.optimizer, self.rate, self.t = optimizer, rate, 0

    def step(self, metric: float | None = None) -> None:
        self.t += 1
        self.optimizer.lr = self.rate(self.t)


class Plateau:
    """Reduce on plateau (torch's ReduceLROnPlateau, mode 'min', relative threshold 1e-4, no cooldown): an epoch
    improves when its metric is below best * (1 - 1e-4); after more than `patience` epochs in a row without an
    improvement the rate is multiplied by `factor` and the count starts again. Epochs without a metric are not
    counted."""

    monitor = "val_loss"
    threshold = 1e-4
    eps = 1e-8  # a cut smaller than this is not made (torch's eps)

    def __init__(self, optimizer, factor: float, patience: int) -> None:
        self.optimizer, self.factor, self.patience = optimizer, factor, patience
        self.best, self.bad_epochs = math.inf, 0

    def step(self, metric: float | None = None) -> None:
        if metric is None:
            return
        if metric < self.best * (1 - self.threshold):
            self.best, self.bad_epochs = metric, 0
        else:
            self.bad_epochs += 1
        if self.bad_epochs > self.patience:
            new = self.optimizer.lr * self.factor
            if self.optimizer.lr - new > self.eps:
                self.optimizer.lr = new
            self.bad_epochs = 0


class KerasCallbacks:
    """The Keras callbacks notebook's rule (core.training.schedules.KerasCallbacksLR, where the convention and
    the study's figures are): as epoch t ends, x0.9 when its validation accuracy did not beat the best so far,
    and x0.95 when epoch t + 1 is a third one (3, 6, 9, ...). An epoch without an accuracy is not counted as a
    failure to improve."""

    monitor = "val_accuracy"

    def __init__(self, optimizer) -> None:
        self.optimizer, self.t, self.best = optimizer, 0, -math.inf

    def step(self, metric: float | None = None) -> None:
        self.t += 1
        if metric is not None:
            if metric > self.best:
                self.best = metric
            else:
                self.optimizer.lr *= 0.9
        if (self.t + 1) % 3 == 0:
            self.optimizer.lr *= 0.95


def _every_epoch_factor(t: int) -> float:
    # t epochs done: x0.9 after every epoch and an extra x0.95 after every third (the torch engine's rule).
    return 0.9**t * 0.95 ** (t // 3)


def make_schedule(
    name: str,
    optimizer,
    *,
    epochs: int,
    step_size: int | None = None,
    gamma: float | None = None,
    patience: int | None = None,
) -> Schedule | Plateau | KerasCallbacks:
    """The named schedule over `optimizer`, from its current rate; None arguments take the schedule's default
    (step: step_size max(1, epochs // 3), gamma 0.1; exponential: gamma 0.9; plateau: gamma 0.1, patience 3;
    inverse_time: gamma (the decay rate) 1, step_size (the decay steps, epochs) 1)."""
    lr0 = optimizer.lr
    rates: dict[str, Callable[[int], float]] = {
        "constant": lambda t: lr0,
        "step": lambda t: lr0 * (0.1 if gamma is None else gamma) ** (t // (step_size or max(1, epochs // 3))),
        "exponential": lambda t: lr0 * (0.9 if gamma is None else gamma) ** t,
        "cosine": lambda t: lr0 * (1 + math.cos(math.pi * t / epochs)) / 2,  # torch's CosineAnnealingLR, eta_min 0
        # Keras's InverseTimeDecay counted in epochs (staircase off).
        "inverse_time": lambda t: lr0 / (1 + (1.0 if gamma is None else gamma) * t / (step_size or 1)),
        "reference_every_epoch": lambda t: lr0 * _every_epoch_factor(t),
    }
    # The rules that read the epoch's validation metric keep state of their own.
    stateful: dict[str, Callable[[], Plateau | KerasCallbacks]] = {
        "plateau": lambda: Plateau(optimizer, 0.1 if gamma is None else gamma, 3 if patience is None else patience),
        "reference": lambda: KerasCallbacks(optimizer),
    }
    if name in stateful:
        return stateful[name]()
    if name not in rates:
        raise TrainboardError(f"schedule {name!r} is not one of {', '.join([*rates, *stateful])}")
    return Schedule(optimizer, rates[name])
