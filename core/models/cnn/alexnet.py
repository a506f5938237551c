"""AlexNet (Krizhevsky, Sutskever & Hinton, "ImageNet classification with deep convolutional neural networks",
2012): five convolutions and two 4096-wide dense layers with dropout, ReLU throughout; the network that won
ImageNet on two GPUs and started the deep learning era.

Adapted to 28x28 images rather than upsampling them to 224x224 (64 times the pixels): the 11x11 stride-4 first
convolution and the 3x3 stride-2 pools were sized for 224x224 photos and would shrink a 28x28 image to
nothing, so the first convolution is 3x3 with stride 1 and the pools are 2x2 (28 -> 14 -> 7 -> 3). Local
response normalisation is left out (batch norm later replaced it). `alexnet28` keeps the published widths
(about 30M parameters, most of them in the dense layers); `alexnet-small` has the same plan with a fraction
of the filters and a 512-wide head.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import partial
from typing import Any

from core.models.registry import ModelSpec, Param, register_model

ALEXNET_FILTERS = (96, 256, 384, 384, 256)
SMALL_FILTERS = (32, 64, 128, 128, 64)


def build_alexnet(
    params: dict,
    *,
    filters: tuple[int, int, int, int, int],
    model: str,
    n_classes: int,
    n_features: int,
    n_rows: int,
    seed: int,
    input_shape: tuple[int, ...],
) -> Any:
    """AlexNet with the five convolutions `filters` wide; `model` is the registered name, for messages."""
    import torch
    from torch import nn

    from core.models.cnn.layers import dense_head, feature_size, image_shape

    channels, _, _ = image_shape(input_shape, model)
    c1, c2, c3, c4, c5 = filters

    def conv(c_in: int, c_out: int, kernel: int) -> list[nn.Module]:
        return [nn.Conv2d(c_in, c_out, kernel_size=kernel, padding=kernel // 2), nn.ReLU()]

    torch.manual_seed(seed)
    features = nn.Sequential(
        *conv(channels, c1, 3),
        nn.MaxPool2d(2),
        *conv(c1, c2, 5),
        nn.MaxPool2d(2),
        *conv(c2, c3, 3),
        *conv(c3, c4, 3),
        *conv(c4, c5, 3),
        nn.MaxPool2d(2),
    )
    flat = feature_size(features, input_shape, model)
    dense, dropout = params["dense"], params["dropout"]
    classifier = dense_head(flat, dense, dropout, n_classes)
    return nn.Sequential(OrderedDict(features=features, classifier=classifier))


def _params(dense: int) -> tuple[Param, ...]:
    return (
        Param("dense", dense, "neurons in each of the two dense layers", minimum=1, maximum=8192, log=True),
        Param("dropout", 0.5, "fraction of dense units dropped in training", minimum=0.0, maximum=0.9),
    )


register_model(
    ModelSpec(
        name="alexnet28",
        title="AlexNet (28x28)",
        family="torch",
        kinds=("image",),
        builder=partial(build_alexnet, filters=ALEXNET_FILTERS, model="alexnet28"),
        params=_params(4096),
        tags=frozenset({"gpu"}),
        description="AlexNet's published widths (30M parameters): shows what a huge dense head costs; needs a GPU.",
    )
)

register_model(
    ModelSpec(
        name="alexnet-small",
        title="AlexNet (small)",
        family="torch",
        kinds=("image",),
        builder=partial(build_alexnet, filters=SMALL_FILTERS, model="alexnet-small"),
        params=_params(512),
        description="AlexNet's layer plan with a third of the filters: the same ideas, trainable on a CPU.",
    )
)
