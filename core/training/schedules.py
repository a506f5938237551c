"""Learning-rate schedules, as a registry over torch's own lr_scheduler classes (and two rules torch lacks).

`make_schedule` is the only way in; `lr_sequence` runs the real optimizer and schedule on a dummy parameter so
a page can draw the learning rate of every epoch before training.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch.optim import lr_scheduler

from core.errors import TrainboardError
from core.training.optim import make_optimizer, registry_entry


@dataclass(frozen=True)
class ScheduleSpec:
    name: str
    title: str
    description: str
    build: Callable[..., object]  # build(optimizer, *, epochs, step_size, gamma, patience); None: the default
    monitor: str | None = None  # the epoch's log the rule reads (step(metric)); None: it reads nothing


class _Plateau(lr_scheduler.ReduceLROnPlateau):
    """torch's ReduceLROnPlateau, left alone in an epoch without a validation loss (nothing to compare)."""

    def step(self, metrics=None, epoch=None):  # noqa: D102 - torch's signature
        if metrics is not None:
            super().step(metrics)


class KerasCallbacksLR:
    """The Keras callbacks notebook's rule. The rate epoch k (1, 2, ...) trains with, the one Keras printed as
    "lr" for that epoch, is lr0 * 0.9^(epochs before k whose validation accuracy did not beat the best so far)
    * 0.95^(k // 3): x0.9 after each epoch without an improvement (Keras's monitor: strictly greater; the first
    epoch always improves) and x0.95 for epochs 3, 6, 9, ... whatever the accuracy (applied as epochs 2, 5, 8
    end, like a Keras LearningRateScheduler that cuts at the start of every third epoch). The two factors
    commute. This is the reading that reproduces the study's figures (tests/core/training/test_schedules.py):
    from 0.1, 0.1 * 0.9^2 * 0.95 = 0.0769499 in epoch 5 (two of epochs 1-4 without improvement) and
    0.1 * 0.9^3 * 0.95^3 = 0.06250264 in epoch 9 (three of 1-8); from 0.01, 0.01 * 0.9 * 0.95^2 = 8.1225e-3
    in epoch 7 (one of 1-6). An epoch without a validation accuracy is not counted as a failure to improve (a
    preview without metrics shows only the x0.95 steps)."""

    not_improved_factor, every_third_factor, period = 0.9, 0.95, 3

    def __init__(self, optimizer: torch.optim.Optimizer) -> None:
        self.optimizer = optimizer
        self.epochs_done, self.best = 0, -math.inf

    def step(self, metric: float | None = None) -> None:
        """Called as epoch `epochs_done + 1` ends with its validation accuracy: sets the next epoch's rate."""
        self.epochs_done += 1
        factor = 1.0
        if metric is not None:
            if metric > self.best:
                self.best = metric
            else:  # NaN lands here too: it is not an improvement
                factor *= self.not_improved_factor
        if (self.epochs_done + 1) % self.period == 0:  # the next epoch is a third one
            factor *= self.every_third_factor
        for group in self.optimizer.param_groups:
            group["lr"] *= factor

    def state_dict(self) -> dict:
        return {"epochs_done": self.epochs_done, "best": self.best}

    def load_state_dict(self, state: dict) -> None:
        self.epochs_done, self.best = state["epochs_done"], state["best"]


def _default(value, default):
    return default if value is None else value


def _constant(optimizer, *, epochs, step_size, gamma, patience):
    return lr_scheduler.LambdaLR(optimizer, lambda t: 1.0)


def _step(optimizer, *, epochs, step_size, gamma, patience):
    return lr_scheduler.StepLR(
        optimizer, step_size=_default(step_size, max(1, epochs // 3)), gamma=_default(gamma, 0.1)
    )


def _exponential(optimizer, *, epochs, step_size, gamma, patience):
    return lr_scheduler.ExponentialLR(optimizer, gamma=_default(gamma, 0.9))


def _cosine(optimizer, *, epochs, step_size, gamma, patience):
    return lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)


def _plateau(optimizer, *, epochs, step_size, gamma, patience):
    return _Plateau(optimizer, mode="min", factor=_default(gamma, 0.1), patience=_default(patience, 3))


def inverse_time_factor(t: int, decay_rate: float, decay_steps: int) -> float:
    # Keras's InverseTimeDecay (staircase off) counted in epochs: lr0 / (1 + decay_rate * t / decay_steps).
    return 1.0 / (1.0 + decay_rate * t / decay_steps)


def _inverse_time(optimizer, *, epochs, step_size, gamma, patience):
    rate, steps = _default(gamma, 1.0), _default(step_size, 1)
    return lr_scheduler.LambdaLR(optimizer, lambda t: inverse_time_factor(t, rate, steps))


def every_epoch_factor(t: int) -> float:
    # t epochs done: x0.9 after every epoch and an extra x0.95 after every third (no validation needed).
    return 0.9**t * 0.95 ** (t // 3)


def _every_epoch(optimizer, *, epochs, step_size, gamma, patience):
    return lr_scheduler.LambdaLR(optimizer, every_epoch_factor)


def _keras_callbacks(optimizer, *, epochs, step_size, gamma, patience):
    return KerasCallbacksLR(optimizer)


SCHEDULES: dict[str, ScheduleSpec] = {
    spec.name: spec
    for spec in (
        ScheduleSpec("constant", "Constant", "The same learning rate in every epoch.", _constant),
        ScheduleSpec("step", "Step decay", "Multiplied by gamma (0.1) every step_size epochs (epochs // 3).", _step),
        ScheduleSpec("exponential", "Exponential decay", "Multiplied by gamma (0.9) after every epoch.", _exponential),
        ScheduleSpec(
            "cosine", "Cosine annealing", "Half a cosine from the initial rate towards 0 over the run.", _cosine
        ),
        ScheduleSpec(
            "plateau",
            "Reduce on plateau",
            "Multiplied by gamma (0.1) when the validation loss has not improved for patience (3) epochs.",
            _plateau,
            monitor="val_loss",
        ),
        ScheduleSpec(
            "inverse_time",
            "Inverse-time decay",
            "Keras's InverseTimeDecay by epoch: lr / (1 + gamma (1) * epoch / step_size (1)).",
            _inverse_time,
        ),
        ScheduleSpec(
            "reference",
            "Reference study (Keras callbacks)",
            "x0.9 after each epoch whose validation accuracy did not improve; x0.95 for epochs 3, 6, 9, ...",
            _keras_callbacks,
            monitor="val_accuracy",
        ),
        ScheduleSpec(
            "reference_every_epoch",
            "x0.9 every epoch",
            "x0.9 after every epoch and an extra x0.95 after every third, whatever the validation accuracy.",
            _every_epoch,
        ),
    )
}


class Schedule:
    """Wraps one scheduler; the trainer calls step(logs.get(schedule.monitor)) once after each epoch."""

    def __init__(self, name: str, scheduler, monitor: str | None = None):
        self.name = name
        self.scheduler = scheduler
        self.monitor = monitor

    def step(self, metric: float | None = None) -> None:
        """Advance one epoch. `metric` is the epoch's value of `monitor` (None when it has none); schedules
        without a monitor ignore it."""
        if self.monitor is None:
            self.scheduler.step()
        else:
            self.scheduler.step(metric)

    def state_dict(self) -> dict:
        return self.scheduler.state_dict()

    def load_state_dict(self, state: dict) -> None:
        self.scheduler.load_state_dict(state)


def make_schedule(
    name: str,
    optimizer: torch.optim.Optimizer,
    *,
    epochs: int,
    step_size: int | None = None,
    gamma: float | None = None,
    patience: int | None = None,
) -> Schedule:
    """The named schedule over `optimizer` for a run of `epochs` epochs; None arguments take the schedule's
    default (step: step_size max(1, epochs // 3), gamma 0.1; exponential: gamma 0.9; plateau: gamma 0.1,
    patience 3; inverse_time: gamma (the decay rate) 1, step_size (the decay steps, epochs) 1)."""
    spec = registry_entry(SCHEDULES, "schedule", name)
    if epochs < 1:
        raise TrainboardError(f"epochs {epochs}: must be >= 1")
    if step_size is not None and step_size < 1:
        raise TrainboardError(f"step size {step_size}: must be >= 1")
    if gamma is not None and not 0 < gamma <= 1:
        raise TrainboardError(f"gamma {gamma}: must be in (0, 1]")
    if name == "plateau" and gamma == 1:
        raise TrainboardError("gamma 1: the plateau schedule needs gamma in (0, 1)")
    if patience is not None and patience < 0:
        raise TrainboardError(f"patience {patience}: must be >= 0")
    scheduler = spec.build(optimizer, epochs=epochs, step_size=step_size, gamma=gamma, patience=patience)
    return Schedule(name, scheduler, spec.monitor)


def lr_sequence(
    name: str,
    epochs: int,
    lr: float,
    *,
    optimizer: str = "sgd",
    metrics: list[float] | None = None,
    **schedule_kw,
) -> list[float]:
    """The learning rate used in each epoch 1..epochs, from the real optimizer and schedule on a dummy
    parameter. `metrics` are scripted values of the schedule's monitor, one per epoch (validation losses for
    plateau, validation accuracies for reference); without them no epoch has a validation metric."""
    if metrics is not None and len(metrics) < epochs:
        raise TrainboardError(f"metrics: {len(metrics)} values for {epochs} epochs")
    dummy = torch.zeros(1, requires_grad=True)
    opt = make_optimizer(optimizer, [dummy], lr=lr)
    schedule = make_schedule(name, opt, epochs=epochs, **schedule_kw)
    rates = []
    for epoch in range(epochs):
        rates.append(opt.param_groups[0]["lr"])
        opt.step()  # no gradient, so nothing moves; it keeps torch from warning about the call order
        schedule.step(None if metrics is None else metrics[epoch])
    return rates
