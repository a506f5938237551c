"""LeNet-5 (LeCun, Bottou, Bengio & Haffner, "Gradient-based learning applied to document recognition", 1998):
the convolutional network that read cheques, two convolutions with pooling and three dense layers.

"classic" keeps the published design as it is usually re-implemented (sigmoid activations, 2x2 average
pooling; the paper's scaled tanh and trainable subsampling are left out), "modern" swaps in ReLU and max
pooling, the two changes that made deeper networks trainable. The first convolution pads by 2 so that a
28x28 image is treated like the paper's 32x32 input; any image of at least 12x12 works.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from core.models.cnn.resize import input_size_param
from core.models.registry import ModelSpec, Param, register_model


def build_lenet(
    params: dict, *, n_classes: int, n_features: int, n_rows: int, seed: int, input_shape: tuple[int, ...]
) -> Any:
    import torch
    from torch import nn

    from core.models.cnn.layers import feature_size, image_shape
    from core.models.cnn.resize import resize_layers

    channels, _, _ = image_shape(input_shape, "lenet")
    classic = params["variant"] == "classic"
    activation = nn.Sigmoid if classic else nn.ReLU
    pool = nn.AvgPool2d if classic else nn.MaxPool2d
    batch_norm = params["batch_norm"]

    def conv(c_in: int, c_out: int, padding: int) -> list[nn.Module]:
        norm = [nn.BatchNorm2d(c_out)] if batch_norm else []
        return [nn.Conv2d(c_in, c_out, kernel_size=5, padding=padding), *norm, activation(), pool(2)]

    def dense(n_in: int, n_out: int) -> list[nn.Module]:
        norm = [nn.BatchNorm1d(n_out)] if batch_norm else []
        return [nn.Linear(n_in, n_out), *norm, activation()]

    torch.manual_seed(seed)
    resize = resize_layers(params["input_size"])
    features = nn.Sequential(*resize, *conv(channels, 6, padding=2), *conv(6, 16, padding=0))
    flat = feature_size(features, input_shape, "lenet")
    classifier = nn.Sequential(nn.Flatten(), *dense(flat, 120), *dense(120, 84), nn.Linear(84, n_classes))
    return nn.Sequential(OrderedDict(features=features, classifier=classifier))


register_model(
    ModelSpec(
        name="lenet",
        title="LeNet-5",
        family="torch",
        kinds=("image",),
        builder=build_lenet,
        params=(
            Param(
                "variant",
                "classic",
                "classic: sigmoid and average pooling as published; modern: ReLU and max pooling",
                choices=("classic", "modern"),
            ),
            Param("batch_norm", False, "normalise each layer's outputs over the batch, before the activation"),
            input_size_param(),
        ),
        description="The first successful CNN, small and quick; choose it to see convolutions beat the MLP on images.",
    )
)
