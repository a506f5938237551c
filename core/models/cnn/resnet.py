"""ResNet (He, Zhang, Ren & Sun, "Deep residual learning for image recognition", 2015): blocks that learn a
correction added to their input, so that gradients reach the first layers through the shortcuts and networks
of 18 to 152 layers train as easily as shallow ones.

`resnet18` is ResNet-18: four stages of two BasicBlocks (two 3x3 convolutions with batch norm, plus the
shortcut), `width`, 2x, 4x and 8x `width` filters wide (64 to 512 as published). The ImageNet stem (7x7
stride-2 convolution and a max pool) would cut a 28x28 image to 7x7 before the first block, so, as is usual
for CIFAR-sized images, the stem is a single 3x3 stride-1 convolution and there is no max pool. Stages 2 to
4 halve the image with a stride-2 first convolution, and their shortcut is a 1x1 stride-2 convolution with
batch norm to match the shape. `stem` "imagenet" puts the published stem back (7x7 stride-2 convolution, 3x3
stride-2 max pool): that is d2l's ResNet-18 on Fashion-MNIST resized to 96x96 (stages at 24, 12, 6 and 3 pixels,
about the cost of the small stem at 28x28). Written out here because torchvision is not a dependency.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from core.models.cnn.resize import input_size_param
from core.models.registry import ModelSpec, Param, register_model

BLOCKS_PER_STAGE = (2, 2, 2, 2)  # ResNet-18; (3, 4, 6, 3) would be ResNet-34
WIDTH_FACTORS = (1, 2, 4, 8)


def build_resnet18(
    params: dict, *, n_classes: int, n_features: int, n_rows: int, seed: int, input_shape: tuple[int, ...]
) -> Any:
    import torch
    from torch import nn

    from core.models.cnn.layers import Residual, feature_size, image_shape
    from core.models.cnn.resize import resize_layers

    channels, _, _ = image_shape(input_shape, "resnet18")

    def conv_bn(c_in: int, c_out: int, kernel: int, stride: int = 1) -> list[nn.Module]:
        # no bias: the batch norm that follows has its own shift
        conv = nn.Conv2d(c_in, c_out, kernel_size=kernel, stride=stride, padding=kernel // 2, bias=False)
        return [conv, nn.BatchNorm2d(c_out)]

    def basic_block(c_in: int, c_out: int, stride: int) -> nn.Module:
        body = nn.Sequential(*conv_bn(c_in, c_out, 3, stride), nn.ReLU(), *conv_bn(c_out, c_out, 3))
        reshaped = stride != 1 or c_in != c_out
        return Residual(body, nn.Sequential(*conv_bn(c_in, c_out, 1, stride)) if reshaped else None)

    torch.manual_seed(seed)
    layers: list[nn.Module] = resize_layers(params["input_size"])
    if params["stem"] == "imagenet":
        layers += [*conv_bn(channels, params["width"], 7, 2), nn.ReLU(), nn.MaxPool2d(3, stride=2, padding=1)]
    else:
        layers += [*conv_bn(channels, params["width"], 3), nn.ReLU()]
    width = params["width"]
    for stage, (n_blocks, factor) in enumerate(zip(BLOCKS_PER_STAGE, WIDTH_FACTORS, strict=True)):
        stage_width = params["width"] * factor
        for index in range(n_blocks):
            stride = 2 if stage > 0 and index == 0 else 1
            layers.append(basic_block(width, stage_width, stride))
            width = stage_width
    layers.append(nn.AdaptiveAvgPool2d(1))
    features = nn.Sequential(*layers)
    flat = feature_size(features, input_shape, "resnet18")
    classifier = nn.Sequential(nn.Flatten(), nn.Linear(flat, n_classes))
    return nn.Sequential(OrderedDict(features=features, classifier=classifier))


register_model(
    ModelSpec(
        name="resnet18",
        title="ResNet-18",
        family="torch",
        kinds=("image",),
        builder=build_resnet18,
        params=(
            Param(
                "width",
                64,
                "filters of the first stage; the others have 2, 4 and 8 times as many (ResNet-18's own: 64)",
                minimum=1,
                maximum=128,
                log=True,
            ),
            Param(
                "stem",
                "cifar",
                "cifar: one 3x3 convolution, for small images; imagenet: 7x7 stride 2 and a max pool, as published",
                choices=("cifar", "imagenet"),
            ),
            input_size_param(),
        ),
        tags=frozenset({"gpu"}),
        description="Shortcuts let its 18 layers train easily; choose it on a GPU when accuracy matters most.",
    )
)
