"""Optimizers, as a registry of torch's own classes plus Keras's RMSprop; `make_optimizer` is the only way in.

The learning-rate schedules are in core/training/schedules.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import torch

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
    spec = registry_entry(OPTIMIZERS, "optimizer", name)
    if not lr > 0:
        raise TrainboardError(f"learning rate {lr}: must be > 0")
    if not 0 <= momentum < 1:
        raise TrainboardError(f"momentum {momentum}: must be in [0, 1)")
    if not weight_decay >= 0:
        raise TrainboardError(f"weight decay {weight_decay}: must be >= 0")
    return spec.build(parameters, lr=lr, momentum=momentum, weight_decay=weight_decay)


def registry_entry(registry: dict, field: str, name: str):
    """registry[name], or one line naming `field` and the choices."""
    if name not in registry:
        raise TrainboardError(f"{field} {name!r} is not one of {', '.join(registry)}")
    return registry[name]
