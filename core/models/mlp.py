"""The PyTorch model zoo's multilayer perceptron: fully connected layers on the flattened input.

Registering costs no torch import (listing models must stay fast); the builder imports torch when called.
`parse_layer_sizes` reads the comma lists ("64,128,256") that the MLP and the CNNs take as parameters.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np

from core.models.registry import ModelError, ModelSpec, Param, register_model

# Spelled out here, not read from core.models.activations, so that listing models and checking parameters
# import no torch; a test checks the two agree.
ACTIVATION_NAMES = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "linear")


def parse_layer_sizes(text: str, model: str, param: str) -> tuple[int, ...]:
    """The positive integers of a comma list such as "64, 128, 256"; "" or "none" is the empty tuple.
    Anything else is a ModelError naming `model` and `param`."""
    cleaned = str(text).strip().lower()
    if cleaned in ("", "none"):
        return ()
    try:
        sizes = tuple(int(part) for part in cleaned.split(","))
    except ValueError:
        sizes = ()
    if not sizes or min(sizes) < 1:
        raise ModelError(
            f"{_where(model, param)}: {text!r} is not a comma-separated list of positive integers (e.g. 64,128)"
        )
    return sizes


def parse_activations(text: str, n_layers: int, model: str) -> tuple[str, ...]:
    """One activation name per hidden layer: a single name applies to all of them, a comma list must have
    exactly `n_layers` names. Names are checked by ActivationsParam and make_activation."""
    names = tuple(name.strip().lower() for name in str(text).split(","))
    if len(names) == 1:
        return names * n_layers
    if len(names) != n_layers:
        raise ModelError(
            f"{_where(model, 'activation')} lists {len(names)} activations for {n_layers} hidden layers; "
            "give one name for all or one per layer"
        )
    return names


@dataclass(frozen=True)
class LayerSizesParam(Param):
    """A comma list of positive integers ("64,128,256"), checked when the value is given so that the CLI and
    the page refuse bad text before anything is loaded; the value stays text. `count`: exactly that many."""

    count: int | None = None

    def parse(self, raw: Any, model: str = "") -> str:
        sizes = parse_layer_sizes(raw, model, self.name)
        if self.count is not None and len(sizes) != self.count:
            raise ModelError(f"{_where(model, self.name)}: needs {self.count} sizes (e.g. {self.default}), got {raw!r}")
        return str(raw).strip()


@dataclass(frozen=True)
class ActivationsParam(Param):
    """One activation name, or a comma list of them, each one of ACTIVATION_NAMES; the value stays text.
    Whether a list has one name per layer is checked when building, once the layers are known."""

    def parse(self, raw: Any, model: str = "") -> str:
        for name in str(raw).split(","):
            if name.strip().lower() not in ACTIVATION_NAMES:
                raise ModelError(
                    f"{_where(model, self.name)}: {name.strip()!r} is not one of {', '.join(ACTIVATION_NAMES)}"
                )
        return str(raw).strip()


def _where(model: str, param: str) -> str:
    # the same prefix as the registry's own Param messages
    return f"{model}: parameter '{param}'" if model else f"parameter '{param}'"


def build_mlp(
    params: dict, *, n_classes: int, n_features: int, n_rows: int, seed: int, input_shape: tuple[int, ...]
) -> Any:
    import torch
    from torch import nn

    from core.models.activations import make_activation
    from core.models.init import draw_into

    sizes = parse_layer_sizes(params["hidden"], "mlp", "hidden")
    activations = parse_activations(params["activation"], len(sizes), "mlp")

    torch.manual_seed(seed)
    # Flatten first: the same network then takes (N, F) tables and (N, C, H, W) images. Layers are named
    # (hidden1, act1, ...) so the analysis table and the histograms say which layer is which.
    layers: dict[str, nn.Module] = {"flatten": nn.Flatten()}
    width = math.prod(input_shape)
    for number, (size, activation) in enumerate(zip(sizes, activations, strict=True), 1):
        layers[f"hidden{number}"] = nn.Linear(width, size)
        if params["batch_norm"]:
            layers[f"norm{number}"] = nn.BatchNorm1d(size)
        layers[f"act{number}"] = make_activation(activation, "mlp")
        if params["dropout"] > 0:
            layers[f"dropout{number}"] = nn.Dropout(params["dropout"])
        width = size
    layers["output"] = nn.Linear(width, n_classes)
    model = nn.Sequential(OrderedDict(layers))
    # torch's own start, but drawn by NumPy from the seed, layer by layer: numpy-mlp draws the same numbers.
    rng = np.random.default_rng(seed)
    for module in model.modules():
        if isinstance(module, nn.Linear):
            draw_into(module, "default", 0.0, rng)
    return model


# The MLP's parameters; the NumPy engine's numpy-mlp takes the very same (core/models/scratch.py).
MLP_PARAMS = (
    LayerSizesParam("hidden", "64,128,256", "neurons per hidden layer, comma-separated; none: no hidden layer"),
    ActivationsParam(
        "activation",
        "relu",
        f"activation of the hidden layers ({', '.join(ACTIVATION_NAMES)}): one name, or one per layer, comma-separated",
    ),
    Param("dropout", 0.0, "fraction of hidden units dropped in training", minimum=0.0, maximum=0.9),
    Param("batch_norm", False, "normalise each hidden layer's outputs over the batch"),
)

register_model(
    ModelSpec(
        name="mlp",
        title="Multilayer perceptron",
        family="torch",
        kinds=("tabular", "image"),
        builder=build_mlp,
        params=MLP_PARAMS,
        description="The first network to try on tables, and a baseline on images that ignores pixel neighbourhoods.",
    )
)
