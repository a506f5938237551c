"""Weight initialisers by name: how the weights of a network's dense and convolutional layers start.

The choice matters more than it looks. The reference study's RandomUniform(0, 1) start ("uniform01") made its
ReLU networks diverge: every weight positive, so activations grow layer by layer. Xavier/Glorot (2010) keeps
the variance of activations and gradients steady for tanh and sigmoid, He/Kaiming (2015) for ReLU, by scaling
with the layer's fan-in and fan-out. "zeros" shows the symmetry problem: units that start equal get equal
gradients and stay equal. Names match INIT_NAMES in core.training.options (a test checks they agree).

The numbers themselves are drawn by the NumPy engine's initialisers (core/scratch/init.py) from a generator
seeded with the run's seed, layer by layer from input to output, so a torch model and its NumPy twin built with
the same seed start from the same weights.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from core.models.registry import ModelError
from core.scratch.init import INITIALIZERS, draw_layer

# The layers whose `weight` an initialiser sets; batch norm keeps its own start (scale 1, shift 0).
INITIALISED_LAYERS = (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d)
# The same names as the NumPy engine's ("default": whatever the model's builder gave it, torch's start).
INIT_NAMES = tuple(INITIALIZERS)


def draw_into(module: nn.Module, name: str, scale: float, rng: np.random.Generator) -> None:
    """Fill a Linear or Conv layer's weight (and bias) from core.scratch.init, as the NumPy engine's own layer
    would be filled: a Linear's weight is drawn as (in, out), the NumPy Dense layout, and stored transposed."""
    weight = module.weight
    if isinstance(module, nn.Linear):
        shape, fan_in, fan_out = (module.in_features, module.out_features), module.in_features, module.out_features
    else:
        area = math.prod(weight.shape[2:])
        shape, fan_in, fan_out = tuple(weight.shape), weight.shape[1] * area, weight.shape[0] * area
    values, bias = draw_layer(name, shape, fan_in, fan_out, weight.shape[0], scale, rng)
    if isinstance(module, nn.Linear):
        values = values.T
    with torch.no_grad():
        weight.copy_(torch.from_numpy(np.ascontiguousarray(values)))
        if module.bias is not None:
            module.bias.copy_(torch.from_numpy(bias))


def apply_init(model: nn.Module, name: str, scale: float = 0.05, seed: int = 0) -> int:
    """Initialise, in place, the `weight` of every Linear and Conv1d/2d/3d layer of `model` with initialiser
    `name`, drawn from NumPy seeded with `seed`, and set their biases to zero ("default" changes nothing).
    `scale` is the range of "uniform", the standard deviation of "normal" and the value of "constant".
    Returns how many weight tensors were initialised: 0 for "default", else one per such layer. An unknown
    name, or a scale that is not positive, is a ModelError."""
    if name not in INITIALIZERS:
        raise ModelError(f"weight init {name!r} is not one of {', '.join(INIT_NAMES)}")
    if not scale > 0:
        raise ModelError(f"weight init scale must be positive, got {scale}")
    if name == "default":
        return 0
    rng = np.random.default_rng(seed)
    count = 0
    for module in model.modules():
        if isinstance(module, INITIALISED_LAYERS):
            draw_into(module, name, scale, rng)
            count += 1
    return count
