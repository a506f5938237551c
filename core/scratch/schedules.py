"""Learning-rate schedules: the rate of each epoch, set on the optimizer after each epoch ends.

The same names and defaults as core.training.optim's torch schedules (a test runs both side by side), written
as closed forms of the number of epochs done, t, and the starting rate lr0.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from core.errors import TrainboardError


class Schedule:
    """`step(metric)` after each epoch: t += 1 and optimizer.lr = rate(t). `metric` (the validation loss) is
    used by 'plateau' only."""

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


def _reference_factor(t: int) -> float:
    # t epochs done: x0.9 after every epoch and an extra x0.95 after every third (core.training.optim's rule).
    return 0.9**t * 0.95 ** (t // 3)


def make_schedule(
    name: str,
    optimizer,
    *,
    epochs: int,
    step_size: int | None = None,
    gamma: float | None = None,
    patience: int | None = None,
) -> Schedule | Plateau:
    """The named schedule over `optimizer`, from its current rate; None arguments take the schedule's default
    (step: step_size max(1, epochs // 3), gamma 0.1; exponential: gamma 0.9; plateau: gamma 0.1, patience 3)."""
    lr0 = optimizer.lr
    rates: dict[str, Callable[[int], float]] = {
        "constant": lambda t: lr0,
        "step": lambda t: lr0 * (0.1 if gamma is None else gamma) ** (t // (step_size or max(1, epochs // 3))),
        "exponential": lambda t: lr0 * (0.9 if gamma is None else gamma) ** t,
        "cosine": lambda t: lr0 * (1 + math.cos(math.pi * t / epochs)) / 2,  # torch's CosineAnnealingLR, eta_min 0
        "reference": lambda t: lr0 * _reference_factor(t),
    }
    if name == "plateau":
        return Plateau(optimizer, 0.1 if gamma is None else gamma, 3 if patience is None else patience)
    if name not in rates:
        raise TrainboardError(f"schedule {name!r} is not one of {', '.join([*rates, 'plateau'])}")
    return Schedule(optimizer, rates[name])
