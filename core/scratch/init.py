"""Where a layer's weights start, by name. The draws come from a NumPy generator, in a fixed order (each
weighted layer from input to output: its weights, then its bias when the initialiser draws one), so that a
seed names one start. The torch models draw from here too (core/models/init.py), which is how a torch `mlp`
and a `numpy-mlp` built with the same seed start from identical weights.

Shapes follow this engine's layers: a dense weight is (n_in, n_out), a convolution's (C_out, C_in, k, k).
The fans are as torch counts them: fan_in = inputs per output unit (n_in, or C_in * k * k), fan_out =
outputs per input unit (n_out, or C_out * k * k).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.errors import TrainboardError

# sample(shape, fan_in, fan_out, scale, rng) -> float64 array of `shape`
Sampler = Callable[[tuple[int, ...], int, int, float, np.random.Generator], np.ndarray]


@dataclass(frozen=True)
class Initializer:
    name: str
    title: str
    description: str  # the formula, for the page and the math panel
    sample: Sampler
    random_bias: bool = False  # draws the bias too (PyTorch's default); otherwise biases start at 0


def _uniform(bound: float, shape, rng) -> np.ndarray:
    return rng.uniform(-bound, bound, size=shape)


_ALL = (
    Initializer(
        "default",
        "PyTorch default",
        "weights and biases uniform in +-1/sqrt(fan_in): what torch's Linear and Conv2d start from",
        lambda shape, fan_in, fan_out, scale, rng: _uniform(1 / math.sqrt(fan_in), shape, rng),
        random_bias=True,
    ),
    Initializer(
        "uniform01",
        "Uniform [0, 1]",
        "every weight in [0, 1], all positive: the reference study's start that made ReLU networks diverge",
        lambda shape, fan_in, fan_out, scale, rng: rng.uniform(0.0, 1.0, size=shape),
    ),
    Initializer(
        "uniform",
        "Uniform [-scale, scale]",
        "weights uniform in [-scale, scale] (Keras's RandomUniform uses 0.05), whatever the layer's size",
        lambda shape, fan_in, fan_out, scale, rng: _uniform(scale, shape, rng),
    ),
    Initializer(
        "normal",
        "Normal (0, scale)",
        "weights normal with mean 0 and standard deviation scale, whatever the layer's size",
        lambda shape, fan_in, fan_out, scale, rng: rng.normal(0.0, scale, size=shape),
    ),
    Initializer(
        "xavier_uniform",
        "Xavier / Glorot uniform",
        "uniform in +-sqrt(6 / (fan_in + fan_out)): steady variance for tanh and sigmoid (Glorot & Bengio 2010)",
        lambda shape, fan_in, fan_out, scale, rng: _uniform(math.sqrt(6 / (fan_in + fan_out)), shape, rng),
    ),
    Initializer(
        "xavier_normal",
        "Xavier / Glorot normal",
        "normal with standard deviation sqrt(2 / (fan_in + fan_out)): as xavier_uniform, bell-shaped",
        lambda shape, fan_in, fan_out, scale, rng: rng.normal(0.0, math.sqrt(2 / (fan_in + fan_out)), size=shape),
    ),
    Initializer(
        "he_uniform",
        "He / Kaiming uniform",
        "uniform in +-sqrt(6 / fan_in): steady variance through ReLU layers (He et al. 2015)",
        lambda shape, fan_in, fan_out, scale, rng: _uniform(math.sqrt(6 / fan_in), shape, rng),
    ),
    Initializer(
        "he_normal",
        "He / Kaiming normal",
        "normal with standard deviation sqrt(2 / fan_in): as he_uniform, bell-shaped",
        lambda shape, fan_in, fan_out, scale, rng: rng.normal(0.0, math.sqrt(2 / fan_in), size=shape),
    ),
    Initializer(
        "zeros",
        "Zeros",
        "every weight 0: all units of a layer get the same gradient and never become different",
        lambda shape, fan_in, fan_out, scale, rng: np.zeros(shape),
    ),
    Initializer(
        "constant",
        "Constant",
        "every weight equal to scale: as zeros, the units of a layer stay identical",
        lambda shape, fan_in, fan_out, scale, rng: np.full(shape, float(scale)),
    ),
)
INITIALIZERS: dict[str, Initializer] = {init.name: init for init in _ALL}
# "given" is not drawn: the layer is built with its weights (Dense(2, 1, weights=[[1], [1]], bias=[-1.5])).
GIVEN = "given"


def get_initializer(name: str) -> Initializer:
    if name not in INITIALIZERS:
        raise TrainboardError(f"weight init {name!r} is not one of {', '.join(INITIALIZERS)}")
    return INITIALIZERS[name]


def draw_layer(
    name: str, shape: tuple[int, ...], fan_in: int, fan_out: int, n_bias: int, scale: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """(weights of `shape`, bias of n_bias) in float64 for one layer, drawn from `rng`: the weights first, then
    the bias when the initialiser draws one (zeros otherwise). `scale` is the range of "uniform", the standard
    deviation of "normal" and the value of "constant"; it must be positive for those."""
    init = get_initializer(name)
    if name in ("uniform", "normal") and not scale > 0:
        raise TrainboardError(f"weight init scale must be positive, got {scale}")
    weights = init.sample(tuple(shape), fan_in, fan_out, scale, rng)
    bias = _uniform(1 / math.sqrt(fan_in), (n_bias,), rng) if init.random_bias else np.zeros(n_bias)
    return weights, bias


def given(values, shape: tuple[int, ...], what: str) -> np.ndarray:
    """Explicit starting values as a float64 array of `shape`; TrainboardError naming `what` when they do not fit."""
    array = np.asarray(values, dtype=np.float64)
    if array.shape != tuple(shape):
        raise TrainboardError(f"{what}: given values have shape {array.shape}, the layer needs {tuple(shape)}")
    return array.copy()
