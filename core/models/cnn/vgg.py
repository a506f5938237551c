"""VGG (Simonyan & Zisserman, "Very deep convolutional networks for large-scale image recognition", 2014):
the idea that depth made of nothing but 3x3 convolutions and 2x2 max pools beats bigger kernels.

`vgg-small` follows the VGG-11 layer plan ("configuration A") with every width divided by `width_divisor`
(4 by default: 16 to 128 filters instead of 64 to 512), since the full widths and the 4096-wide head were
sized for 224x224 photos. A 28x28 image is halved to 1x1 after four pools, so a pool that would get less than
2x2 is left out instead of failing. Batch norm is on by default: the original predates it, and its authors
trained their deeper nets by starting from the weights of trained shallower ones, which batch norm makes
unnecessary.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from core.models.cnn.resize import input_size_param
from core.models.registry import ModelSpec, Param, register_model

POOL = "M"
VGG11_PLAN = (64, POOL, 128, POOL, 256, 256, POOL, 512, 512, POOL, 512, 512, POOL)


def build_vgg_small(
    params: dict, *, n_classes: int, n_features: int, n_rows: int, seed: int, input_shape: tuple[int, ...]
) -> Any:
    import torch
    from torch import nn

    from core.models.cnn.layers import dense_head, feature_size, image_shape
    from core.models.cnn.resize import resize_layers, resized_shape

    image_shape(input_shape, "vgg-small")
    channels, height, width = resized_shape(input_shape, params["input_size"])
    torch.manual_seed(seed)
    layers: list[nn.Module] = resize_layers(params["input_size"])
    for step in VGG11_PLAN:
        if step == POOL:
            if min(height, width) >= 2:  # 3x3 convolutions with padding 1 keep the size; only pools shrink it
                layers.append(nn.MaxPool2d(2))
                height, width = height // 2, width // 2
            continue
        filters = max(1, step // params["width_divisor"])
        layers.append(nn.Conv2d(channels, filters, kernel_size=3, padding=1))
        if params["batch_norm"]:
            layers.append(nn.BatchNorm2d(filters))
        layers.append(nn.ReLU())
        channels = filters
    features = nn.Sequential(*layers)
    flat = feature_size(features, input_shape, "vgg-small")
    dense, dropout = params["dense"], params["dropout"]
    classifier = dense_head(flat, (dense, dense), dropout, n_classes)
    return nn.Sequential(OrderedDict(features=features, classifier=classifier))


register_model(
    ModelSpec(
        name="vgg-small",
        title="VGG-11 (narrow)",
        family="torch",
        kinds=("image",),
        builder=build_vgg_small,
        params=(
            Param(
                "width_divisor", 4, "divides every layer's filters (1: VGG-11's own 64 to 512)", minimum=1, maximum=64
            ),
            Param("dense", 256, "neurons in each of the two dense layers", minimum=1, maximum=4096, log=True),
            Param("dropout", 0.5, "fraction of dense units dropped in training", minimum=0.0, maximum=0.9),
            Param("batch_norm", True, "normalise each convolution's outputs over the batch, before the ReLU"),
            input_size_param(),
        ),
        tags=frozenset({"gpu"}),
        description="Eight 3x3 convolutions deep (VGG-11, narrowed): choose it to see depth pay off; best on a GPU.",
    )
)
