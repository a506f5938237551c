"""A plain three-layer convolutional network: the kind of small CNN a tutorial builds first, and a strong,
quick baseline on 28x28 images.

Three 3x3 convolutions with "same" padding (so only the pools shrink the image), 2x2 max pooling after the
first two (28 -> 14 -> 7), then one dense hidden layer with dropout. Batch norm, when asked for, sits
between each convolution and its ReLU, as in Ioffe & Szegedy (2015).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from core.models.cnn.resize import input_size_param
from core.models.mlp import LayerSizesParam, parse_layer_sizes
from core.models.registry import ModelError, ModelSpec, Param, register_model

N_CONV_LAYERS = 3


def build_cnn3(
    params: dict, *, n_classes: int, n_features: int, n_rows: int, seed: int, input_shape: tuple[int, ...]
) -> Any:
    import torch
    from torch import nn

    from core.models.cnn.layers import feature_size, image_shape
    from core.models.cnn.resize import resize_layers

    channels, _, _ = image_shape(input_shape, "cnn3")
    filters = parse_layer_sizes(params["filters"], "cnn3", "filters")
    if len(filters) != N_CONV_LAYERS:
        raise ModelError(
            f"cnn3: parameter 'filters': {params['filters']!r} gives {len(filters)} widths; "
            f"give {N_CONV_LAYERS}, one per convolution (e.g. 64,128,256)"
        )

    torch.manual_seed(seed)
    layers: list[nn.Module] = resize_layers(params["input_size"])
    for index, (c_in, c_out) in enumerate(zip((channels, *filters[:-1]), filters, strict=True)):
        layers.append(nn.Conv2d(c_in, c_out, kernel_size=3, padding=1))
        if params["batch_norm"]:
            layers.append(nn.BatchNorm2d(c_out))
        layers.append(nn.ReLU())
        if index < N_CONV_LAYERS - 1:
            layers.append(nn.MaxPool2d(2))
    features = nn.Sequential(*layers)
    flat = feature_size(features, input_shape, "cnn3")
    classifier = nn.Sequential(
        nn.Flatten(),
        nn.Linear(flat, params["dense"]),
        nn.ReLU(),
        nn.Dropout(params["dropout"]),
        nn.Linear(params["dense"], n_classes),
    )
    return nn.Sequential(OrderedDict(features=features, classifier=classifier))


register_model(
    ModelSpec(
        name="cnn3",
        title="Three-layer CNN",
        family="torch",
        kinds=("image",),
        builder=build_cnn3,
        params=(
            LayerSizesParam("filters", "64,128,256", "filters of the three convolutions, comma-separated"),
            Param("dense", 256, "neurons in the dense hidden layer", minimum=1, maximum=4096, log=True),
            Param("dropout", 0.5, "fraction of dense units dropped in training", minimum=0.0, maximum=0.9),
            Param("batch_norm", False, "normalise each convolution's outputs over the batch, before the ReLU"),
            input_size_param(),
        ),
        description="A plain three-layer CNN: the quick, strong default for small images such as Fashion-MNIST.",
    )
)
