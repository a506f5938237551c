"""Activation functions as layers: y = f(x) elementwise (softmax: along each row), and dL/dx = dL/dy * f'(x).

Each backward uses what its forward kept (the input, or the output when f' is easier to write from it), which
is also why a framework keeps activations in memory between the two passes.
"""

from __future__ import annotations

import math

import numpy as np

from core.errors import TrainboardError
from core.scratch.layer import Layer


class Activation(Layer):
    kind = "Activation"

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        self.x = x
        self.y = self.f(x)
        return self.y

    def backward(self, grad: np.ndarray) -> np.ndarray | None:
        return self.df(grad) if self.input_grad else None

    def f(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def df(self, grad: np.ndarray) -> np.ndarray:
        """dL/dx from grad = dL/dy, using self.x and self.y of the last forward."""
        raise NotImplementedError


class Linear(Activation):
    """y = x; dL/dx = dL/dy. Without a non-linearity, stacked dense layers collapse into one linear map."""

    kind = "Linear"

    def f(self, x):
        return x

    def df(self, grad):
        return grad


class ReLU(Activation):
    """y = max(x, 0); dL/dx = dL/dy where x > 0, else 0 (also at x = 0, as torch). A unit whose input stays
    negative gets no gradient at all: it has died."""

    kind = "ReLU"

    def f(self, x):
        return np.maximum(x, 0)

    def df(self, grad):
        return grad * (self.x > 0)


class LeakyReLU(Activation):
    """y = x for x > 0, slope * x otherwise (slope 0.01); dL/dx = dL/dy times 1 or slope. The small slope keeps
    a gradient flowing through negative inputs, so units cannot die."""

    kind = "LeakyReLU"

    def __init__(self, slope: float = 0.01) -> None:
        super().__init__()
        self.slope = slope

    def f(self, x):
        return np.where(x > 0, x, self.slope * x)

    def df(self, grad):
        return np.where(self.x > 0, grad, self.slope * grad)


class ELU(Activation):
    """y = x for x > 0, alpha * (exp(x) - 1) otherwise (alpha 1); dL/dx = dL/dy times 1, or y + alpha (which is
    alpha * exp(x)). Smooth at 0 and saturating at -alpha, so mean activations stay nearer zero than ReLU's."""

    kind = "ELU"

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        self.alpha = alpha

    def f(self, x):
        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0)))

    def df(self, grad):
        return np.where(self.x > 0, grad, grad * (self.y + self.alpha))


class Tanh(Activation):
    """y = tanh(x) in (-1, 1); dL/dx = dL/dy * (1 - y^2). Zero-centred, but it saturates: for |x| > 3 the
    gradient is below 0.01."""

    kind = "Tanh"

    def f(self, x):
        return np.tanh(x)

    def df(self, grad):
        return grad * (1 - self.y * self.y)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-x)) without overflow: with e = exp(-|x|), 1 / (1 + e) for x >= 0 and e / (1 + e) below, so
    the exponent is never positive and tiny outputs keep their precision."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1, e) / (1 + e)


class Sigmoid(Activation):
    """y = 1 / (1 + exp(-x)) in (0, 1); dL/dx = dL/dy * y * (1 - y). The gradient is at most 0.25, so deep
    sigmoid stacks learn slowly (vanishing gradients)."""

    kind = "Sigmoid"

    def f(self, x):
        return sigmoid(x)

    def df(self, grad):
        return grad * self.y * (1 - self.y)


def softmax(x: np.ndarray) -> np.ndarray:
    """exp(x_i) / sum_j exp(x_j) along the last axis; the row maximum is subtracted first (the result is the
    same, and exp never overflows)."""
    shifted = x - x.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)


class Softmax(Activation):
    """y_i = exp(x_i) / sum_j exp(x_j) along each row: probabilities. Every output depends on every input, so
    dL/dx_i = y_i * (dL/dy_i - sum_j dL/dy_j * y_j). For training, core.scratch.losses fuses softmax with
    cross-entropy, whose combined gradient is simply (y - onehot) / N."""

    kind = "Softmax"

    def f(self, x):
        return softmax(x)

    def df(self, grad):
        return self.y * (grad - (grad * self.y).sum(axis=-1, keepdims=True))


class GELU(Activation):
    """y = x * Phi(x), Phi the standard normal CDF; dL/dx = dL/dy * (Phi(x) + x * phi(x)), phi its density.
    NumPy has no erf, so Phi uses scipy.special.erf (the exact form, as torch's default)."""

    kind = "GELU"

    def f(self, x):
        from scipy.special import erf

        self.cdf = 0.5 * (1 + erf(x / math.sqrt(2)))
        return x * self.cdf

    def df(self, grad):
        density = np.exp(-0.5 * self.x * self.x) / math.sqrt(2 * math.pi)
        return grad * (self.cdf + self.x * density)


ACTIVATIONS: dict[str, type[Activation]] = {
    "linear": Linear,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "elu": ELU,
    "tanh": Tanh,
    "sigmoid": Sigmoid,
    "softmax": Softmax,
    "gelu": GELU,
}


def make_activation(name: str, where: str = "activation") -> Activation:
    """A new activation layer for `name` (case and spaces ignored); TrainboardError naming `where` otherwise."""
    key = str(name).strip().lower()
    if key not in ACTIVATIONS:
        raise TrainboardError(f"{where}: {name!r} is not one of {', '.join(ACTIVATIONS)}")
    return ACTIVATIONS[key]()
