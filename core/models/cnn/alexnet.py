"""AlexNet (Krizhevsky, Sutskever & Hinton, "ImageNet classification with deep convolutional neural networks",
2012): five convolutions and two 4096-wide dense layers with dropout, ReLU throughout; the network that won
ImageNet on two GPUs and started the deep learning era. Local response normalisation is left out everywhere
(batch norm later replaced it, and d2l leaves it out too).

Five networks share one builder; each is a layer plan (convolutions and max pools) plus two dense widths:

- `alexnet`: AlexNet as d2l builds it for Fashion-MNIST: 96 11x11 stride-4 filters, 3x3 stride-2 pools, 256 5x5,
  384, 384 and 256 3x3, dense 4096 and 4096 with dropout 0.5, on images resized to 224x224 (about 47M
  parameters, 0.9 GMAC per image).
- `alexnet-simplified`: the course logbook's simplified AlexNet: AlexNet's kernels and pools kept, three
  convolutions of 64, 128 and 256 filters, dense 1024 and 512; on 224x224 like `alexnet`.
- `alexnet-simplified28`: the logbook's AlexNet for 28x28: the same three widths and dense layers, with 3x3
  convolutions and 2x2 pools so that a 28x28 image is not shrunk to nothing (28 -> 14 -> 7 -> 3).
- `alexnet28` and `alexnet-small` (ours, older): all five convolutions, 3x3 first convolution and 2x2 pools at
  28x28; `alexnet28` keeps the published widths (about 30M parameters, most in the dense layers), `alexnet-small`
  has a third of the filters and a 512-wide head. Neither is one of the logbook's networks.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import partial
from typing import Any, NamedTuple

from core.models.cnn.resize import input_size_param
from core.models.mlp import LayerSizesParam, parse_layer_sizes
from core.models.registry import ModelSpec, Param, register_model


class Conv(NamedTuple):
    filters: int
    kernel: int
    stride: int = 1
    padding: int | None = None  # None: kernel // 2, which keeps the size at stride 1


class Pool(NamedTuple):
    kernel: int
    stride: int


def adapted_plan(filters: tuple[int, int, int, int, int]) -> tuple:
    """AlexNet's five convolutions at 28x28: a 3x3 first convolution and 2x2 pools (28 -> 14 -> 7 -> 3)."""
    c1, c2, c3, c4, c5 = filters
    return (Conv(c1, 3), Pool(2, 2), Conv(c2, 5), Pool(2, 2), Conv(c3, 3), Conv(c4, 3), Conv(c5, 3), Pool(2, 2))


# d2l's padding of 1 on the 11x11 convolution: 224 -> 54 -> 26 -> 12 -> 5, so 256 x 5 x 5 = 6,400 features.
D2L_PLAN = (
    *(Conv(96, 11, 4, 1), Pool(3, 2), Conv(256, 5), Pool(3, 2)),
    *(Conv(384, 3), Conv(384, 3), Conv(256, 3), Pool(3, 2)),
)
SIMPLIFIED_PLAN = (Conv(64, 11, 4, 1), Pool(3, 2), Conv(128, 5), Pool(3, 2), Conv(256, 3), Pool(3, 2))
SIMPLIFIED28_PLAN = (Conv(64, 3), Pool(2, 2), Conv(128, 3), Pool(2, 2), Conv(256, 3), Pool(2, 2))
ADAPTED_PLAN = adapted_plan((96, 256, 384, 384, 256))
SMALL_PLAN = adapted_plan((32, 64, 128, 128, 64))


def build_alexnet(
    params: dict,
    *,
    plan: tuple,
    model: str,
    n_classes: int,
    n_features: int,
    n_rows: int,
    seed: int,
    input_shape: tuple[int, ...],
) -> Any:
    """The convolutions and pools of `plan`, then the two dense layers of `params["dense"]` (one width for both,
    or "w1,w2"); `model` is the registered name, for messages."""
    import torch
    from torch import nn

    from core.models.cnn.layers import dense_head, feature_size, image_shape
    from core.models.cnn.resize import resize_layers

    channels, _, _ = image_shape(input_shape, model)
    torch.manual_seed(seed)
    layers: list[nn.Module] = resize_layers(params["input_size"])
    for step in plan:
        if isinstance(step, Pool):
            layers.append(nn.MaxPool2d(step.kernel, stride=step.stride))
            continue
        padding = step.kernel // 2 if step.padding is None else step.padding
        layers += [nn.Conv2d(channels, step.filters, step.kernel, stride=step.stride, padding=padding), nn.ReLU()]
        channels = step.filters
    features = nn.Sequential(*layers)
    flat = feature_size(features, input_shape, model)
    dense = params["dense"]
    widths = (dense, dense) if isinstance(dense, int) else parse_layer_sizes(dense, model, "dense")
    classifier = dense_head(flat, widths, params["dropout"], n_classes)
    return nn.Sequential(OrderedDict(features=features, classifier=classifier))


def _params(dense: int | str, input_size: int = 0) -> tuple[Param, ...]:
    if isinstance(dense, int):
        width = Param("dense", dense, "neurons in each of the two dense layers", minimum=1, maximum=8192, log=True)
    else:
        width = LayerSizesParam("dense", dense, "neurons of the two dense layers, comma-separated", count=2)
    return (
        width,
        Param("dropout", 0.5, "fraction of dense units dropped in training", minimum=0.0, maximum=0.9),
        input_size_param(input_size),
    )


def _register(name: str, title: str, plan: tuple, params: tuple[Param, ...], description: str, gpu: bool) -> None:
    register_model(
        ModelSpec(
            name=name,
            title=title,
            family="torch",
            kinds=("image",),
            builder=partial(build_alexnet, plan=plan, model=name),
            params=params,
            tags=frozenset({"gpu"}) if gpu else frozenset(),
            description=description,
        )
    )


_register(
    "alexnet",
    "AlexNet (224x224, as in d2l)",
    D2L_PLAN,
    _params("4096,4096", input_size=224),
    "AlexNet as d2l trains it on Fashion-MNIST: images resized to 224x224, 47M parameters and 0.9 GMAC per image; "
    "a GPU is strongly advised.",
    gpu=True,
)
_register(
    "alexnet-simplified",
    "AlexNet, simplified (logbook, 224x224)",
    SIMPLIFIED_PLAN,
    _params("1024,512", input_size=224),
    "The logbook's simplified AlexNet: AlexNet's kernels, three convolutions (64/128/256), dense 1024/512, "
    "on images resized to 224x224; a GPU is advised.",
    gpu=True,
)
_register(
    "alexnet-simplified28",
    "AlexNet for 28x28 (logbook)",
    SIMPLIFIED28_PLAN,
    _params("1024,512"),
    "The logbook's AlexNet for 28x28: three 3x3 convolutions (64/128/256) with 2x2 pools, dense 1024/512; "
    "trainable on a CPU.",
    gpu=False,
)
_register(
    "alexnet28",
    "AlexNet's widths at 28x28",
    ADAPTED_PLAN,
    _params(4096),
    "AlexNet's five published widths on 28x28 images (30M parameters, not the logbook's AlexNet-28: that is "
    "alexnet-simplified28): shows what a huge dense head costs; needs a GPU.",
    gpu=True,
)
_register(
    "alexnet-small",
    "AlexNet (small)",
    SMALL_PLAN,
    _params(512),
    "AlexNet's five-convolution plan at 28x28 with a third of the filters: the same ideas, trainable on a CPU.",
    gpu=False,
)
