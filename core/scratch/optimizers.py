"""Optimizers: how each parameter moves, given its gradient. Written to match torch.optim step for step, with
torch's hyperparameters and defaults, plus Keras's RMSprop (the reference studies trained with Keras).

`step(params, grads)` updates every array of `params` in place (the layers hold those very arrays) from the
matching array of `grads`; state (momentum buffers, moment estimates) is kept per position in the list.
A weight_decay > 0 adds weight_decay * p to the gradient first (torch's coupled L2), except in AdamW, which
shrinks the parameter directly (decoupled). `lr` may be changed between steps by a schedule.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from core.errors import TrainboardError


class Optimizer:
    def __init__(self, lr: float, weight_decay: float = 0.0) -> None:
        if not lr > 0:
            raise TrainboardError(f"learning rate {lr}: must be > 0")
        if not weight_decay >= 0:
            raise TrainboardError(f"weight decay {weight_decay}: must be >= 0")
        self.lr, self.weight_decay = float(lr), float(weight_decay)
        self.state: list[dict] = []
        self.steps = 0

    def step(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        if not self.state:
            self.state = [{} for _ in params]
        self.steps += 1
        for p, g, state in zip(params, grads, self.state, strict=True):
            if self.weight_decay and not getattr(self, "decoupled", False):
                g = g + self.weight_decay * p
            self.update(p, g, state)

    def update(self, p: np.ndarray, g: np.ndarray, state: dict) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Without momentum: p <- p - lr g.
    With momentum m: b <- m b + (1 - dampening) g (b = g at the first step), then p <- p - lr b; with nesterov,
    p <- p - lr (g + m b), a step from where momentum is about to carry the parameter."""

    def __init__(
        self, lr: float, momentum: float = 0.0, dampening: float = 0.0, weight_decay: float = 0.0, nesterov=False
    ) -> None:
        super().__init__(lr, weight_decay)
        if not 0 <= momentum < 1:
            raise TrainboardError(f"momentum {momentum}: must be in [0, 1)")
        self.momentum, self.dampening, self.nesterov = momentum, dampening, nesterov

    def update(self, p, g, state):
        if self.momentum:
            if "buffer" not in state:
                state["buffer"] = g.copy()
            else:
                buffer = state["buffer"]
                buffer *= self.momentum
                buffer += (1 - self.dampening) * g
            g = g + self.momentum * state["buffer"] if self.nesterov else state["buffer"]
        p -= self.lr * g


class RMSprop(Optimizer):
    """torch's form: v <- alpha v + (1 - alpha) g^2; p <- p - lr g / (sqrt(v) + eps). Centered: divides by
    sqrt(v - mean(g)^2) instead. With momentum m: b <- m b + g / (sqrt(v) + eps), p <- p - lr b.
    torch's defaults: lr 0.01, alpha 0.99, eps 1e-8, momentum 0."""

    def __init__(
        self,
        lr: float = 0.01,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
    ) -> None:
        super().__init__(lr, weight_decay)
        self.alpha, self.eps, self.momentum, self.centered = alpha, eps, momentum, centered

    def update(self, p, g, state):
        if "square_avg" not in state:
            state["square_avg"] = np.zeros_like(p)
            if self.centered:
                state["grad_avg"] = np.zeros_like(p)
        square_avg = state["square_avg"]
        square_avg *= self.alpha
        square_avg += (1 - self.alpha) * g * g
        if self.centered:
            grad_avg = state["grad_avg"]
            grad_avg *= self.alpha
            grad_avg += (1 - self.alpha) * g
            denom = np.sqrt(square_avg - grad_avg * grad_avg) + self.eps
        else:
            denom = np.sqrt(square_avg) + self.eps
        if self.momentum > 0:
            buffer = state.setdefault("buffer", np.zeros_like(p))
            buffer *= self.momentum
            buffer += g / denom
            p -= self.lr * buffer
        else:
            p -= self.lr * g / denom


class KerasRMSprop(Optimizer):
    """Keras's form: v <- rho v + (1 - rho) g^2; p <- p - lr g / sqrt(v + eps). It differs from torch's in where
    eps sits (inside the root) and in its defaults: lr 0.001, rho 0.9, eps 1e-7, no momentum, the optimizer the
    reference studies used. With momentum m: b <- m b + lr g / sqrt(v + eps), p <- p - b."""

    def __init__(
        self, lr: float = 0.001, rho: float = 0.9, eps: float = 1e-7, weight_decay: float = 0.0, momentum=0.0
    ) -> None:
        super().__init__(lr, weight_decay)
        self.rho, self.eps, self.momentum = rho, eps, momentum

    def update(self, p, g, state):
        velocity = state.setdefault("velocity", np.zeros_like(p))
        velocity *= self.rho
        velocity += (1 - self.rho) * g * g
        increment = self.lr * g / np.sqrt(velocity + self.eps)
        if self.momentum > 0:
            buffer = state.setdefault("buffer", np.zeros_like(p))
            buffer *= self.momentum
            buffer += increment
            increment = buffer
        p -= increment


class Adam(Optimizer):
    """m <- beta1 m + (1 - beta1) g; v <- beta2 v + (1 - beta2) g^2 (running mean and mean square of g);
    with t the step number, p <- p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps). The two
    corrections undo the bias of m and v towards their zero start. AMSGrad divides by the largest v so far.
    torch's defaults: lr 0.001, betas (0.9, 0.999), eps 1e-8."""

    decoupled = False

    def __init__(
        self, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8, weight_decay: float = 0.0, amsgrad=False
    ) -> None:
        super().__init__(lr, weight_decay)
        self.beta1, self.beta2 = betas
        self.eps, self.amsgrad = eps, amsgrad

    def update(self, p, g, state):
        if "exp_avg" not in state:
            state["exp_avg"], state["exp_avg_sq"] = np.zeros_like(p), np.zeros_like(p)
        if self.decoupled:
            p *= 1 - self.lr * self.weight_decay
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m += (1 - self.beta1) * (g - m)
        v *= self.beta2
        v += (1 - self.beta2) * g * g
        if self.amsgrad:
            state["max_exp_avg_sq"] = np.maximum(state.get("max_exp_avg_sq", v), v)
            v = state["max_exp_avg_sq"]
        t = self.steps
        denom = np.sqrt(v)
        denom /= math.sqrt(1 - self.beta2**t)
        denom += self.eps
        p -= (self.lr / (1 - self.beta1**t)) * m / denom


class AdamW(Adam):
    """Adam with decoupled weight decay: p <- p (1 - lr weight_decay) before the Adam step, instead of adding
    weight_decay p to the gradient (Loshchilov & Hutter). torch's default weight_decay is 0.01."""

    decoupled = True

    def __init__(self, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8, weight_decay: float = 1e-2, **kw):
        super().__init__(lr, betas, eps, weight_decay, **kw)


class NAdam(Optimizer):
    """Adam with Nesterov momentum, as torch.optim.NAdam: with mu_t = beta1 (1 - 0.5 * 0.96^(t psi)) (psi the
    momentum decay, 0.004) and P_t = mu_1 ... mu_t,
        p <- p - lr (1 - mu_t) / (1 - P_t) * g / d - lr mu_{t+1} / (1 - P_t mu_{t+1}) * m / d,
    d = sqrt(v / (1 - beta2^t)) + eps: a look-ahead mix of this gradient and the momentum.
    torch's defaults: lr 0.002, betas (0.9, 0.999), eps 1e-8, momentum_decay 0.004."""

    def __init__(
        self, lr: float = 2e-3, betas=(0.9, 0.999), eps: float = 1e-8, weight_decay: float = 0.0, momentum_decay=4e-3
    ) -> None:
        super().__init__(lr, weight_decay)
        self.beta1, self.beta2 = betas
        self.eps, self.momentum_decay = eps, momentum_decay

    def update(self, p, g, state):
        if "exp_avg" not in state:
            state["exp_avg"], state["exp_avg_sq"], state["mu_product"] = np.zeros_like(p), np.zeros_like(p), 1.0
        t, beta1 = self.steps, self.beta1
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (t * self.momentum_decay))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * self.momentum_decay))
        state["mu_product"] *= mu
        mu_product = state["mu_product"]
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m += (1 - beta1) * (g - m)
        v *= self.beta2
        v += (1 - self.beta2) * g * g
        denom = np.sqrt(v / (1 - self.beta2**t))
        denom += self.eps
        p -= (self.lr * (1 - mu) / (1 - mu_product)) * g / denom
        p -= (self.lr * mu_next / (1 - mu_product * mu_next)) * m / denom


# name -> build(lr, momentum, weight_decay): the names and arguments of core.training.optim's torch registry,
# so that the same training options mean the same optimizer in both engines (a test checks the names agree).
OPTIMIZERS: dict[str, Callable[..., Optimizer]] = {
    "sgd": lambda lr, momentum, weight_decay: SGD(lr, weight_decay=weight_decay),
    "momentum": lambda lr, momentum, weight_decay: SGD(lr, momentum=momentum, weight_decay=weight_decay),
    "nesterov": lambda lr, momentum, weight_decay: SGD(lr, momentum=momentum, weight_decay=weight_decay, nesterov=True),
    "rmsprop": lambda lr, momentum, weight_decay: RMSprop(lr, momentum=momentum, weight_decay=weight_decay),
    "rmsprop_keras": lambda lr, momentum, weight_decay: KerasRMSprop(lr, weight_decay=weight_decay),
    "adam": lambda lr, momentum, weight_decay: Adam(lr, weight_decay=weight_decay),
    "adamw": lambda lr, momentum, weight_decay: AdamW(lr, weight_decay=weight_decay),
    "nadam": lambda lr, momentum, weight_decay: NAdam(lr, weight_decay=weight_decay),
}


def make_optimizer(name: str, *, lr: float, momentum: float = 0.9, weight_decay: float = 0.0) -> Optimizer:
    if name not in OPTIMIZERS:
        raise TrainboardError(f"optimizer {name!r} is not one of {', '.join(OPTIMIZERS)}")
    if not 0 <= momentum < 1:
        raise TrainboardError(f"momentum {momentum}: must be in [0, 1)")
    return OPTIMIZERS[name](lr, momentum, weight_decay)
