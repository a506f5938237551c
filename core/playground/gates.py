"""The logbook's spreadsheet exercises, on the NumPy engine: a perceptron learning AND, a 2-2-1 network
learning XOR (sigmoid against tanh hidden units) and a 2-bit to 4-class decoder (with and without a sigmoid
before the softmax).

As in a spreadsheet, one epoch is one row: the four input rows go forward with the current weights, that gives
the epoch's cost, and one gradient step on all four moves the weights (full-batch gradient descent, in the
rows' order, nothing random). Starting weights are given, or drawn from a seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.errors import TrainboardError
from core.scratch.activations import make_activation
from core.scratch.dense import Dense
from core.scratch.losses import MeanSquaredError, SoftmaxCrossEntropy
from core.scratch.network import Network
from core.scratch.optimizers import SGD

INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
AND_TARGETS = np.array([0.0, 0.0, 0.0, 1.0])
XOR_TARGETS = np.array([0.0, 1.0, 1.0, 0.0])
DECODER_CLASSES = np.array([0, 1, 2, 3])  # the two bits read as a number
# The 2-2-1 network's start when none is given: a fixed, asymmetric one (two equal hidden units never part).
# From it, with learning rate 1, tanh units pass a cost of 0.05 at epoch 104 and sigmoid units at epoch 920.
XOR_START = {"hidden_weights": [[0.8, -0.6], [0.7, -0.9]], "hidden_bias": [-0.3, 0.4], "output_weights": [[0.6], [0.6]]}


@dataclass(frozen=True)
class GateRun:
    """Cost per epoch (before that epoch's step), the first epoch (1-based) whose cost is below the threshold
    (None if none), every parameter after each epoch, and the outputs per input row at the end."""

    label: str
    costs: list[float]
    threshold: float
    first_below: int | None
    parameters: list[dict[str, float]]
    outputs: np.ndarray

    def to_dict(self) -> dict:
        return {
            "label": self.label,
            "costs": self.costs,
            "threshold": self.threshold,
            "first_below": self.first_below,
            "parameters": self.parameters,
            "outputs": self.outputs.round(6).tolist(),
        }


def _train(label, network, loss, targets, epochs, lr, threshold) -> GateRun:
    if not 1 <= epochs <= 100_000:
        raise TrainboardError(f"epochs {epochs}: must be 1-100000")
    if not 0 < lr <= 100:
        raise TrainboardError(f"learning rate {lr}: must be > 0 and at most 100")
    optimizer, costs, parameters = SGD(lr), [], []
    for _ in range(epochs):
        cost, grad = loss(network.forward(INPUTS, training=True), targets)
        network.backward(grad)
        optimizer.step([array for _, array in network.parameters()], network.gradients())
        costs.append(cost)
        parameters.append(_flat(network))
    first = next((epoch for epoch, cost in enumerate(costs, 1) if cost < threshold), None)
    return GateRun(label, costs, threshold, first, parameters, network.predict_proba(INPUTS))


def _flat(network: Network) -> dict[str, float]:
    """{"dense.weight[0,0]": ..., "dense.bias[0]": ...}: every parameter as one number (a spreadsheet row)."""
    flat = {}
    for name, array in network.parameters():
        for index, value in np.ndenumerate(array):
            flat[f"{name}[{','.join(map(str, index))}]"] = float(value)
    return flat


def perceptron_and(
    epochs: int = 70,
    lr: float = 0.1,
    weights=(0.0, 0.0),
    bias: float = 0.0,
    threshold: float = 0.09,
    activation: str = "linear",
) -> GateRun:
    """One unit y = f(w1 x1 + w2 x2 + b) learning AND with the mean squared error; f linear (the delta rule) or
    sigmoid."""
    if activation not in ("linear", "sigmoid"):
        raise TrainboardError(f"perceptron activation {activation!r}: must be linear or sigmoid")
    unit = Dense(2, 1, weights=np.reshape(weights, (2, 1)), bias=[bias])
    network = Network([("dense", unit), ("act", make_activation(activation, "perceptron activation"))], "identity")
    return _train(
        f"AND, {activation} unit", network.astype("float64"), MeanSquaredError(), AND_TARGETS, epochs, lr, threshold
    )


def xor_mlp(
    activation: str = "sigmoid",
    epochs: int = 2000,
    lr: float = 1.0,
    threshold: float = 0.05,
    hidden_weights=None,
    hidden_bias=None,
    output_weights=None,
    output_bias: float = 0.0,
) -> GateRun:
    """2 inputs, 2 hidden units (sigmoid or tanh), 1 sigmoid output, mean squared error against XOR."""
    if activation not in ("sigmoid", "tanh"):
        raise TrainboardError(f"XOR hidden activation {activation!r}: must be sigmoid or tanh")
    start = {
        "hidden_weights": XOR_START["hidden_weights"] if hidden_weights is None else hidden_weights,
        "hidden_bias": XOR_START["hidden_bias"] if hidden_bias is None else hidden_bias,
        "output_weights": XOR_START["output_weights"] if output_weights is None else output_weights,
    }
    network = Network(
        [
            ("hidden", Dense(2, 2, weights=start["hidden_weights"], bias=start["hidden_bias"])),
            ("hidden_act", make_activation(activation)),
            ("output", Dense(2, 1, weights=np.reshape(start["output_weights"], (2, 1)), bias=[output_bias])),
            ("output_act", make_activation("sigmoid")),
        ],
        "identity",
        dtype="float64",
    )
    return _train(f"XOR, {activation} hidden units", network, MeanSquaredError(), XOR_TARGETS, epochs, lr, threshold)


def decoder(
    sigmoid_before_softmax: bool = False,
    epochs: int = 500,
    lr: float = 1.0,
    threshold: float = 0.1,
    weights=None,
    bias=None,
) -> GateRun:
    """Two bits in, four classes out (softmax cross-entropy): the binary-to-decimal decoder. With a sigmoid
    before the softmax the logits stay in (0, 1), so no output can pass e / (e + 3) ≈ 0.475 and the cost cannot
    fall below about 0.74."""
    start = np.array([[0.1, -0.2, 0.3, 0.05], [-0.1, 0.2, 0.15, -0.3]]) if weights is None else weights
    layers = [("dense", Dense(2, 4, weights=start, bias=np.zeros(4) if bias is None else bias))]
    if sigmoid_before_softmax:
        layers.append(("sigmoid", make_activation("sigmoid")))
    label = "decoder, sigmoid before softmax" if sigmoid_before_softmax else "decoder, softmax only"
    network = Network(layers, "softmax", dtype="float64")
    return _train(label, network, SoftmaxCrossEntropy(), DECODER_CLASSES, epochs, lr, threshold)


GATES = {"AND": perceptron_and, "XOR": xor_mlp, "decoder": decoder}


# How many starting numbers each exercise takes, flat, in the order the page's fields and --weights/--bias list them.
START_SIZES = {"AND": (2, 1), "XOR": (6, 3), "decoder": (8, 4)}
START_HELP = {
    "AND": ("w1, w2", "b"),
    "XOR": ("hidden w11, w12, w21, w22, then output v1, v2", "hidden b1, b2, then output c"),
    "decoder": ("w[input, class] row by row: 2 x 4", "one per class: 4"),
}


def run_gate(
    name: str,
    *,
    epochs: int | None = None,
    lr: float | None = None,
    threshold: float | None = None,
    activation: str | None = None,
    sigmoid_before_softmax: bool = False,
    weights: list[float] | None = None,
    bias: list[float] | None = None,
) -> GateRun:
    """One exercise by name with its defaults where a value is None; starting weights as flat lists."""
    if name not in GATES:
        raise TrainboardError(f"gate {name!r} is not one of {', '.join(GATES)}")
    options = {k: v for k, v in (("epochs", epochs), ("lr", lr), ("threshold", threshold)) if v is not None}
    n_weights, n_bias = START_SIZES[name]
    for what, values, size, help_text in (
        ("weights", weights, n_weights, START_HELP[name][0]),
        ("bias", bias, n_bias, START_HELP[name][1]),
    ):
        if values is not None and len(values) != size:
            raise TrainboardError(f"{what}: {name} takes {size} numbers ({help_text}), got {len(values)}")
    if name == "AND":
        options |= {"activation": activation or "linear"}
        options |= {"weights": weights} if weights is not None else {}
        options |= {"bias": bias[0]} if bias is not None else {}
        return perceptron_and(**options)
    if name == "XOR":
        options |= {"activation": activation or "sigmoid"}
        if weights is not None:
            options |= {
                "hidden_weights": np.reshape(weights[:4], (2, 2)),
                "output_weights": np.reshape(weights[4:], (2, 1)),
            }
        if bias is not None:
            options |= {"hidden_bias": bias[:2], "output_bias": bias[2]}
        return xor_mlp(**options)
    if activation is not None:
        raise TrainboardError("activation: the decoder has none to choose; use --sigmoid-before-softmax")
    if weights is not None:
        options["weights"] = np.reshape(weights, (2, 4))
    if bias is not None:
        options["bias"] = bias
    return decoder(sigmoid_before_softmax, **options)
