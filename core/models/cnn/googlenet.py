"""GoogLeNet (Szegedy et al., "Going deeper with convolutions", 2014): Inception blocks, each looking at the
image through 1x1, 3x3 and 5x5 convolutions and a max pool side by side and concatenating what they see,
with cheap 1x1 convolutions in front to keep the channel count down. It beat VGG at ImageNet 2014 with a
twelfth of AlexNet's parameters.

`googlenet-small` keeps the idea at 28x28: GoogLeNet's 7x7 stride-2 stem and its early pools would shrink the
image to 7x7 before the first block, so the stem is one 3x3 convolution at full resolution; then the blocks
3a and 3b, a 3x3 stride-2 max pool, blocks 4a and 4b, global average pooling, dropout and one linear layer
(the original's auxiliary classifiers are left out). Every convolution is followed by batch norm and ReLU
(batch norm came with Inception v2). All branch widths are GoogLeNet's scaled by `width` / 64, where 64 is
the original's 1x1 branch in block 3a.

`googlenet` is GoogLeNet as d2l trains it on Fashion-MNIST resized to 96x96: the published stem (7x7 stride 2,
max pool, 1x1 and 3x3 convolutions, max pool: 96 -> 12 before block 3a), all nine Inception blocks (3a-3b,
4a-4e, 5a-5b) at their published widths with max pools between the groups, global average pooling and one
linear layer; ReLU after every convolution and no batch norm, dropout or auxiliary classifiers, as in d2l.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from core.models.cnn.resize import input_size_param
from core.models.registry import ModelSpec, Param, register_model

STEM_CHANNELS = 32
# GoogLeNet's own widths per block: 1x1, (3x3 reduce, 3x3), (5x5 reduce, 5x5), pool projection
INCEPTION_3A = (64, 96, 128, 16, 32, 32)
INCEPTION_3B = (128, 128, 192, 32, 96, 64)
INCEPTION_4A = (192, 96, 208, 16, 48, 64)
INCEPTION_4B = (160, 112, 224, 24, 64, 64)
INCEPTION_4C = (128, 128, 256, 24, 64, 64)
INCEPTION_4D = (112, 144, 288, 32, 64, 64)
INCEPTION_4E = (256, 160, 320, 32, 128, 128)
INCEPTION_5A = (256, 160, 320, 32, 128, 128)
INCEPTION_5B = (384, 192, 384, 48, 128, 128)
POOL = "pool"  # a 3x3 stride-2 max pool (padding 1) between the groups of blocks
D2L_BLOCKS = (
    *(INCEPTION_3A, INCEPTION_3B, POOL),
    *(INCEPTION_4A, INCEPTION_4B, INCEPTION_4C, INCEPTION_4D, INCEPTION_4E, POOL),
    *(INCEPTION_5A, INCEPTION_5B),
)
ORIGINAL_WIDTH = INCEPTION_3A[0]


def build_googlenet_small(
    params: dict, *, n_classes: int, n_features: int, n_rows: int, seed: int, input_shape: tuple[int, ...]
) -> Any:
    import torch
    from torch import nn

    from core.models.cnn.layers import Parallel, feature_size, image_shape
    from core.models.cnn.resize import resize_layers

    channels, _, _ = image_shape(input_shape, "googlenet-small")
    scale = params["width"] / ORIGINAL_WIDTH

    def conv(c_in: int, c_out: int, kernel: int) -> nn.Sequential:
        # no bias: the batch norm that follows has its own shift
        return nn.Sequential(
            nn.Conv2d(c_in, c_out, kernel_size=kernel, padding=kernel // 2, bias=False),
            nn.BatchNorm2d(c_out),
            nn.ReLU(),
        )

    def inception(c_in: int, widths: tuple[int, ...]) -> tuple[nn.Module, int]:
        c1, r3, c3, r5, c5, pool = (max(1, round(w * scale)) for w in widths)
        block = Parallel(
            conv(c_in, c1, 1),
            nn.Sequential(conv(c_in, r3, 1), conv(r3, c3, 3)),
            nn.Sequential(conv(c_in, r5, 1), conv(r5, c5, 5)),
            nn.Sequential(nn.MaxPool2d(3, stride=1, padding=1), conv(c_in, pool, 1)),
        )
        return block, c1 + c3 + c5 + pool

    torch.manual_seed(seed)
    stem = conv(channels, STEM_CHANNELS, 3)
    block_3a, width = inception(STEM_CHANNELS, INCEPTION_3A)
    block_3b, width = inception(width, INCEPTION_3B)
    block_4a, width = inception(width, INCEPTION_4A)
    block_4b, width = inception(width, INCEPTION_4B)
    features = nn.Sequential(
        *resize_layers(params["input_size"]),
        stem,
        block_3a,
        block_3b,
        nn.MaxPool2d(3, stride=2, padding=1),
        block_4a,
        block_4b,
        nn.AdaptiveAvgPool2d(1),
    )
    flat = feature_size(features, input_shape, "googlenet-small")
    classifier = nn.Sequential(nn.Flatten(), nn.Dropout(params["dropout"]), nn.Linear(flat, n_classes))
    return nn.Sequential(OrderedDict(features=features, classifier=classifier))


register_model(
    ModelSpec(
        name="googlenet-small",
        title="GoogLeNet (small)",
        family="torch",
        kinds=("image",),
        builder=build_googlenet_small,
        params=(
            Param(
                "width",
                16,
                "filters of the first block's 1x1 branch; the others scale with it (GoogLeNet's own: 64)",
                minimum=1,
                maximum=128,
                log=True,
            ),
            Param("dropout", 0.4, "fraction of pooled features dropped in training", minimum=0.0, maximum=0.9),
            input_size_param(),
        ),
        description="Inception blocks see 1x1, 3x3 and 5x5 patterns at once: good accuracy for few parameters.",
    )
)


def build_googlenet(
    params: dict, *, n_classes: int, n_features: int, n_rows: int, seed: int, input_shape: tuple[int, ...]
) -> Any:
    import torch
    from torch import nn

    from core.models.cnn.layers import Parallel, feature_size, image_shape
    from core.models.cnn.resize import resize_layers

    channels, _, _ = image_shape(input_shape, "googlenet")

    def conv(c_in: int, c_out: int, kernel: int, stride: int = 1) -> nn.Sequential:
        return nn.Sequential(nn.Conv2d(c_in, c_out, kernel, stride=stride, padding=kernel // 2), nn.ReLU())

    def pool() -> nn.MaxPool2d:
        return nn.MaxPool2d(3, stride=2, padding=1)

    def inception(c_in: int, widths: tuple[int, ...]) -> tuple[nn.Module, int]:
        c1, r3, c3, r5, c5, projection = widths
        block = Parallel(
            conv(c_in, c1, 1),
            nn.Sequential(conv(c_in, r3, 1), conv(r3, c3, 3)),
            nn.Sequential(conv(c_in, r5, 1), conv(r5, c5, 5)),
            nn.Sequential(nn.MaxPool2d(3, stride=1, padding=1), conv(c_in, projection, 1)),
        )
        return block, c1 + c3 + c5 + projection

    torch.manual_seed(seed)
    layers: list[nn.Module] = resize_layers(params["input_size"])
    layers += [conv(channels, 64, 7, 2), pool(), conv(64, 64, 1), conv(64, 192, 3), pool()]
    width = 192
    for step in D2L_BLOCKS:
        if step == POOL:
            layers.append(pool())
            continue
        block, width = inception(width, step)
        layers.append(block)
    features = nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1))
    flat = feature_size(features, input_shape, "googlenet")
    classifier = nn.Sequential(nn.Flatten(), nn.Linear(flat, n_classes))
    return nn.Sequential(OrderedDict(features=features, classifier=classifier))


register_model(
    ModelSpec(
        name="googlenet",
        title="GoogLeNet (96x96, as in d2l)",
        family="torch",
        kinds=("image",),
        builder=build_googlenet,
        params=(input_size_param(96),),
        tags=frozenset({"gpu"}),
        description="GoogLeNet's nine Inception blocks as d2l trains them, on images resized to 96x96: "
        "6.0M parameters, 0.28 GMAC per image; a GPU is strongly advised.",
    )
)
