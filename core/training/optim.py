"""Optimizers and learning-rate schedules, as registries of torch's own classes.

`make_optimizer` and `make_schedule` are the only ways in; `lr_sequence` runs the real optimizer and
schedule on a dummy parameter so a page can draw the learning rate of every epoch before training.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import torch
from torch.optim import lr_scheduler

from core.errors import TrainboardError
from core.training.options import OPTIMIZER_STATE_COPIES


@dataclass(frozen=True)
class OptimizerSpec:
    name: str
    title: str
    description: str
    build: Callable[..., torch.optim.Optimizer]  # build(parameters, *, lr, momentum, weight_decay)

    @property
    def state_copies(self) -> int:
        """Tensors of optimizer state kept per parameter (for memory estimates)."""
        return OPTIMIZER_STATE_COPIES[self.name]


@dataclass(frozen=True)
class ScheduleSpec:
    name: str
    title: str
    description: str
    build: Callable[..., lr_scheduler.LRScheduler | lr_scheduler.ReduceLROnPlateau]
    # build(optimizer, *, epochs, step_size, gamma, patience); None arguments mean the schedule's default


def _sgd(parameters, *, lr, momentum, weight_decay):
    return torch.optim.SGD(parameters, lr=lr, momentum=0.0, weight_decay=weight_decay)


def _momentum(parameters, *, lr, momentum, weight_decay):
    return torch.optim.SGD(parameters, lr=lr, momentum=momentum, weight_decay=weight_decay)


def _nesterov(parameters, *, lr, momentum, weight_decay):
    return torch.optim.SGD(parameters, lr=lr, momentum=momentum, nesterov=True, weight_decay=weight_decay)


def _rmsprop(parameters, *, lr, momentum, weight_decay):
    return torch.optim.RMSprop(parameters, lr=lr, momentum=momentum, weight_decay=weight_decay)


class KerasRMSprop(torch.optim.Optimizer):
    """Keras's RMSprop, which torch.optim does not offer: v <- rho v + (1 - rho) g^2, p <- p - lr g / sqrt(v + eps)
    with rho 0.9 and eps 1e-7 inside the root (torch's RMSprop adds its eps outside, which moves parameters with
    tiny gradients several times further), no momentum; weight_decay adds weight_decay * p to g."""

    def __init__(self, params, lr: float = 1e-3, rho: float = 0.9, eps: float = 1e-7, weight_decay: float = 0.0):
        super().__init__(params, {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay})

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                grad = p.grad if not group["weight_decay"] else p.grad.add(p, alpha=group["weight_decay"])
                state = self.state[p]
                if not state:
                    state["velocity"] = torch.zeros_like(p)
                velocity = state["velocity"]
                velocity.mul_(group["rho"]).addcmul_(grad, grad, value=1 - group["rho"])
                p.addcdiv_(grad, velocity.add(group["eps"]).sqrt_(), value=-group["lr"])


def _rmsprop_keras(parameters, *, lr, momentum, weight_decay):
    return KerasRMSprop(parameters, lr=lr, weight_decay=weight_decay)


def _adam(parameters, *, lr, momentum, weight_decay):
    return torch.optim.Adam(parameters, lr=lr, weight_decay=weight_decay)


def _adamw(parameters, *, lr, momentum, weight_decay):
    return torch.optim.AdamW(parameters, lr=lr, weight_decay=weight_decay)


def _nadam(parameters, *, lr, momentum, weight_decay):
    return torch.optim.NAdam(parameters, lr=lr, weight_decay=weight_decay)


OPTIMIZERS: dict[str, OptimizerSpec] = {
    spec.name: spec
    for spec in (
        OptimizerSpec("sgd", "SGD", "Plain stochastic gradient descent: w -= lr * g.", _sgd),
        OptimizerSpec(
            "momentum",
            "SGD with momentum",
            "SGD on a running sum of gradients (buffer = m * buffer + g).",
            _momentum,
        ),
        OptimizerSpec(
            "nesterov", "Nesterov momentum", "Momentum that steps along g + m * buffer (a look-ahead).", _nesterov
        ),
        OptimizerSpec(
            "rmsprop", "RMSprop", "Divides each step by a running root mean square of the gradients.", _rmsprop
        ),
        OptimizerSpec(
            "rmsprop_keras",
            "RMSprop (Keras)",
            "Keras's RMSprop: rho 0.9, eps 1e-7 inside the root, no momentum (the reference studies' optimizer).",
            _rmsprop_keras,
        ),
        OptimizerSpec("adam", "Adam", "Adaptive moments: running mean and variance of the gradients.", _adam),
        OptimizerSpec("adamw", "AdamW", "Adam with decoupled weight decay (w -= lr * wd * w).", _adamw),
        OptimizerSpec("nadam", "NAdam", "Adam with Nesterov momentum.", _nadam),
    )
}


def make_optimizer(
    name: str, parameters: Iterable, *, lr: float, momentum: float = 0.9, weight_decay: float = 0.0
) -> torch.optim.Optimizer:
    """The named optimizer over `parameters`. `weight_decay` is torch's L2 term added to the gradient
    (decoupled for adamw); `momentum` is used by momentum, nesterov and rmsprop and ignored by the others."""
    spec = _lookup(OPTIMIZERS, "optimizer", name)
    if not lr > 0:
        raise TrainboardError(f"learning rate {lr}: must be > 0")
    if not 0 <= momentum < 1:
        raise TrainboardError(f"momentum {momentum}: must be in [0, 1)")
    if not weight_decay >= 0:
        raise TrainboardError(f"weight decay {weight_decay}: must be >= 0")
    return spec.build(parameters, lr=lr, momentum=momentum, weight_decay=weight_decay)


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
    return lr_scheduler.ReduceLROnPlateau(
        optimizer, mode="min", factor=_default(gamma, 0.1), patience=_default(patience, 3)
    )


def _reference_factor(t: int) -> float:
    # t epochs done: x0.9 after every epoch and an extra x0.95 after every third.
    return 0.9**t * 0.95 ** (t // 3)


def _reference(optimizer, *, epochs, step_size, gamma, patience):
    return lr_scheduler.LambdaLR(optimizer, _reference_factor)


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
        ),
        ScheduleSpec(
            "reference",
            "Reference study",
            "x0.9 every epoch and an extra x0.95 every third epoch, as in the reference study.",
            _reference,
        ),
    )
}


class Schedule:
    """Wraps one torch lr_scheduler; the trainer calls step(metric) once after each epoch."""

    def __init__(self, name: str, scheduler: lr_scheduler.LRScheduler | lr_scheduler.ReduceLROnPlateau):
        self.name = name
        self.scheduler = scheduler

    def step(self, metric: float | None = None) -> None:
        """Advance one epoch. Plateau uses `metric` (the validation loss) and is not stepped when it is None;
        the other schedules ignore it."""
        if isinstance(self.scheduler, lr_scheduler.ReduceLROnPlateau):
            if metric is not None:
                self.scheduler.step(metric)
        else:
            self.scheduler.step()

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
    patience 3)."""
    spec = _lookup(SCHEDULES, "schedule", name)
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
    return Schedule(name, scheduler)


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
    parameter. `metrics` are scripted validation losses, one per epoch (used by plateau)."""
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


def _lookup(registry: dict, field: str, name: str):
    if name not in registry:
        raise TrainboardError(f"{field} {name!r} is not one of {', '.join(registry)}")
    return registry[name]
