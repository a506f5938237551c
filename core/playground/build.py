"""A Playground setup as a NumPy-engine network, with each neuron's layer at hand for the views.

As in TensorFlow Playground, weights start uniform in [-0.5, 0.5] and biases at 0.1, and a class problem ends in
one tanh unit (its sign is the class), a regression in one linear unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.playground.setup import Setup
from core.scratch.activations import Activation, make_activation
from core.scratch.dense import Dense
from core.scratch.dropout import Dropout
from core.scratch.layer import Layer
from core.scratch.network import Network
from core.scratch.residual import Residual

WEIGHT_RANGE, START_BIAS = 0.5, 0.1
OUTPUT_ACTIVATION = {"classification": "tanh", "regression": "linear"}


@dataclass
class Unit:
    """One column of neurons in the diagram: its dense layer, its activation, and where its output leaves the
    network's layer list (after the skip connection, when there is one)."""

    name: str  # "hidden1", ..., "output"
    dense: Dense
    activation: Activation
    output_index: int  # position in Network.layers whose output is this column's


def _dense(n_in: int, n_out: int, rng: np.random.Generator, use_bias: bool = True) -> Dense:
    layer = Dense(n_in, n_out, init="uniform", scale=WEIGHT_RANGE, rng=rng, use_bias=use_bias)
    if use_bias:
        layer.params["bias"][:] = START_BIAS
    return layer


def build_network(setup: Setup, n_inputs: int, seed: int) -> tuple[Network, list[Unit], list[Dropout]]:
    """The network for `setup` with `n_inputs` features, its weights drawn from `seed`; its units (hidden
    columns, then the output) and its dropout layers (present even at rate 0, so the rate can change live)."""
    rng = np.random.default_rng(seed)
    layers: list[tuple[str, Layer]] = []
    units: list[Unit] = []
    dropouts: list[Dropout] = []
    width = n_inputs
    for number, (size, activation_name) in enumerate(zip(setup.hidden, setup.activations, strict=True), 1):
        dense, activation = _dense(width, size, rng), make_activation(activation_name, f"hidden layer {number}")
        if setup.residual:
            # A skip around the layer; a linear map (no bias) when the width changes, as ResNet's projection.
            shortcut = None if width == size else _dense(width, size, rng, use_bias=False)
            layers.append((f"block{number}", Residual([dense, activation], shortcut)))
        else:
            layers += [(f"hidden{number}", dense), (f"act{number}", activation)]
        units.append(Unit(f"hidden{number}", dense, activation, len(layers) - 1))
        dropout = Dropout(setup.dropout, np.random.default_rng([seed, number]))
        dropouts.append(dropout)
        layers.append((f"drop{number}", dropout))
        width = size
    dense, activation = _dense(width, 1, rng), make_activation(OUTPUT_ACTIVATION[setup.problem])
    layers += [("output", dense), ("output_act", activation)]
    units.append(Unit("output", dense, activation, len(layers) - 1))
    return Network(layers, output="identity", dtype="float64"), units, dropouts
