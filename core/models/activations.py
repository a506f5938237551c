"""Activation functions by name, for the networks of the zoo and the page's select boxes.

Importing this module imports torch; the registration modules (mlp.py, cnn/) import it only when they build.
"""

from __future__ import annotations

from collections.abc import Callable

from torch import nn

from core.models.registry import ModelError

# name -> a factory making a fresh module (modules hold no state here, but one instance per layer keeps
# printed models and hooks per layer unambiguous)
ACTIVATIONS: dict[str, Callable[[], nn.Module]] = {
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "relu": nn.ReLU,
    "leaky_relu": lambda: nn.LeakyReLU(negative_slope=0.01),
    "elu": nn.ELU,  # alpha 1: smooth, saturating at -1 for negative inputs
    "gelu": nn.GELU,
    "linear": nn.Identity,  # no non-linearity: stacked layers collapse to one linear map
}


def make_activation(name: str, model_name: str = "") -> nn.Module:
    """A new activation module for `name` (case and surrounding spaces ignored); ModelError, prefixed with
    `model_name`, when the name is not in ACTIVATIONS."""
    key = name.strip().lower()
    if key not in ACTIVATIONS:
        where = f"{model_name}: activation" if model_name else "activation"
        raise ModelError(f"{where} {name!r} is not one of {', '.join(ACTIVATIONS)}")
    return ACTIVATIONS[key]()
