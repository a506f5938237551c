"""The NumPy engine's models (family "numpy"): logistic regression, the MLP and a LeNet-sized CNN, written from
scratch in core/scratch/ and trained by its own Trainer, beside the torch zoo and through the same run path.

numpy-mlp takes exactly the parameters of the torch `mlp` and names its layers the same way; built with the same
seed, the two start from the same weights (both draw PyTorch's default start from NumPy), so they can be
trained side by side and compared step for step. Registering imports the engine's layers: NumPy, nothing more.
"""

from __future__ import annotations

import math

import numpy as np

from core.models.mlp import MLP_PARAMS, LayerSizesParam, parse_activations, parse_layer_sizes
from core.models.registry import ModelError, ModelSpec, Param, register_model
from core.scratch.activations import make_activation
from core.scratch.batchnorm import BatchNorm
from core.scratch.conv import Conv2D
from core.scratch.dense import Dense
from core.scratch.dropout import Dropout
from core.scratch.network import Network, stack_output_shape
from core.scratch.pooling import AvgPool2D, MaxPool2D
from core.scratch.reshape import Flatten

CNN_ACTIVATIONS = ("relu", "sigmoid", "tanh", "leaky_relu", "elu")
# The smallest-image search stops here, as for the torch CNNs.
LARGEST_PROBE_SIDE = 512


def _dense_stack(sizes, activations, width: int, params: dict, rng, dropout_rng, prefix: str = "hidden"):
    """(name, layer) pairs of dense layers with their batch norm, activation and dropout, named as the torch mlp."""
    layers = []
    tail = "" if prefix == "hidden" else f"{prefix}_"  # hidden1, norm1, act1 as the mlp; dense1, dense_act1 in a CNN
    for number, (size, activation) in enumerate(zip(sizes, activations, strict=True), 1):
        layers.append((f"{prefix}{number}", Dense(width, size, rng=rng)))
        if params.get("batch_norm"):
            layers.append((f"{tail}norm{number}", BatchNorm(size)))
        layers.append((f"{tail}act{number}", make_activation(activation)))
        if params.get("dropout", 0) > 0:
            layers.append((f"{tail}dropout{number}", Dropout(params["dropout"], dropout_rng)))
        width = size
    return layers, width


def _rngs(seed: int):
    """The weights' generator (the same stream as the torch models' start) and a separate one for dropout masks."""
    return np.random.default_rng(seed), np.random.default_rng([1, seed])


def build_numpy_logreg(
    params: dict, *, n_classes: int, n_features: int, n_rows: int, seed: int, input_shape: tuple[int, ...]
) -> Network:
    rng, _ = _rngs(seed)
    layers = [("flatten", Flatten()), ("output", Dense(math.prod(input_shape), n_classes, rng=rng))]
    return Network(layers, output=params["output"])


def build_numpy_mlp(
    params: dict, *, n_classes: int, n_features: int, n_rows: int, seed: int, input_shape: tuple[int, ...]
) -> Network:
    sizes = parse_layer_sizes(params["hidden"], "numpy-mlp", "hidden")
    activations = parse_activations(params["activation"], len(sizes), "numpy-mlp")
    rng, dropout_rng = _rngs(seed)
    hidden, width = _dense_stack(sizes, activations, math.prod(input_shape), params, rng, dropout_rng)
    return Network([("flatten", Flatten()), *hidden, ("output", Dense(width, n_classes, rng=rng))])


def _cnn_features(channels: int, params: dict, rng) -> list:
    """conv 5x5 (padded by 2) - act - pool 2 - conv 5x5 - act - pool 2: LeNet-5's feature extractor."""
    filters = parse_layer_sizes(params["filters"], "numpy-cnn", "filters")
    pool = MaxPool2D if params["pool"] == "max" else AvgPool2D
    layers, c_in = [], channels
    for number, (c_out, padding) in enumerate(zip(filters, (2, 0), strict=True), 1):
        layers.append((f"conv{number}", Conv2D(c_in, c_out, 5, padding=padding, rng=rng)))
        if params["batch_norm"]:
            layers.append((f"norm{number}", BatchNorm(c_out)))
        layers += [(f"act{number}", make_activation(params["activation"])), (f"pool{number}", pool(2))]
        c_in = c_out
    return layers


def _features_fit(layers, shape: tuple[int, ...]) -> bool:
    try:
        stack_output_shape(layers, shape)
    except ValueError:
        return False
    return True


def build_numpy_cnn(
    params: dict, *, n_classes: int, n_features: int, n_rows: int, seed: int, input_shape: tuple[int, ...]
) -> Network:
    if len(input_shape) != 3 or min(input_shape) < 1:
        raise ModelError(f"numpy-cnn: needs images of shape (channels, height, width), got input shape {input_shape}")
    channels, height, width = input_shape
    rng, dropout_rng = _rngs(seed)
    features = _cnn_features(channels, params, rng)
    if not _features_fit(features, input_shape):
        side = next((s for s in range(1, LARGEST_PROBE_SIDE + 1) if _features_fit(features, (channels, s, s))), None)
        advice = f"; it needs at least {side}x{side}" if side else ""
        raise ModelError(f"numpy-cnn: images of {height}x{width} are too small for its convolutions and pools{advice}")
    flat = math.prod(stack_output_shape(features, input_shape))
    sizes = parse_layer_sizes(params["dense"], "numpy-cnn", "dense")
    dense, width = _dense_stack(sizes, (params["activation"],) * len(sizes), flat, params, rng, dropout_rng, "dense")
    return Network([*features, ("flatten", Flatten()), *dense, ("output", Dense(width, n_classes, rng=rng))])


ENGINE = "the from-scratch NumPy engine"

register_model(
    ModelSpec(
        name="numpy-logreg",
        title="Logistic regression, from scratch",
        family="numpy",
        kinds=("tabular", "image"),
        builder=build_numpy_logreg,
        params=(
            Param(
                "output",
                "softmax",
                "softmax: one distribution over the classes (multinomial); sigmoid: a yes/no per class (one-vs-rest)",
                choices=("softmax", "sigmoid"),
            ),
        ),
        description=f"One dense layer from the inputs to the classes, trained by gradient descent in {ENGINE}.",
    )
)

register_model(
    ModelSpec(
        name="numpy-mlp",
        title="Multilayer perceptron, from scratch",
        family="numpy",
        kinds=("tabular", "image"),
        builder=build_numpy_mlp,
        params=MLP_PARAMS,
        description=f"The mlp's layers written by hand in {ENGINE}; same parameters and seed: the same start.",
    )
)

register_model(
    ModelSpec(
        name="numpy-cnn",
        title="LeNet-sized CNN, from scratch",
        family="numpy",
        kinds=("image",),
        builder=build_numpy_cnn,
        params=(
            LayerSizesParam("filters", "6,16", "channels of the two 5x5 convolutions, comma-separated", count=2),
            LayerSizesParam("dense", "120,84", "units of the dense layers after the convolutions, comma-separated"),
            Param("activation", "relu", "activation after every convolution and dense layer", choices=CNN_ACTIVATIONS),
            Param("pool", "max", "2x2 pooling after each convolution: max or avg (LeNet-5's)", choices=("max", "avg")),
            Param("batch_norm", False, "normalise each layer's outputs over the batch, before the activation"),
        ),
        description=f"conv-pool-conv-pool-dense as LeNet-5 (modern: ReLU, max pooling), in {ENGINE}.",
    )
)
