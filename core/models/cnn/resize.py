"""The zoo's input resize: a model parameter, `input_size`, that scales every image to input_size x input_size
pixels (bilinear) as the network's first layer, the way d2l feeds Fashion-MNIST to AlexNet and VGG at 224 and to
GoogLeNet and ResNet at 96. Done inside the network rather than in the data pipeline so that the stored split,
the split hash and the batches stay as they are, and the per-layer analysis sees the size the layers really get
(its first row is the resize, with the resized shape and the memory the larger images take).

No torch at module level: the family modules import this to declare their parameters while registering.
"""

from __future__ import annotations

from typing import Any

from core.models.registry import Param

LARGEST_INPUT_SIZE = 512


def input_size_param(default: int = 0) -> Param:
    """`input_size`: pixels a side the images are resized to before the first layer; 0 takes them as they come."""
    return Param(
        "input_size",
        default,
        "resize images to this many pixels a side (bilinear) before the first layer; 0: as the data comes",
        minimum=0,
        maximum=LARGEST_INPUT_SIZE,
    )


def resize_layers(input_size: int) -> list[Any]:
    """[nn.Upsample to input_size x input_size] to put in front of a network, or [] for 0. A non-square image is
    stretched to the square, as torchvision's Resize((size, size)) does."""
    if not input_size:
        return []
    from torch import nn

    # align_corners=False is torchvision's Resize convention; Upsample (not a lambda around interpolate) so that
    # the analysis sees a module it can hook and name.
    return [nn.Upsample(size=(input_size, input_size), mode="bilinear", align_corners=False)]


def resized_shape(input_shape: tuple[int, ...], input_size: int) -> tuple[int, ...]:
    """The (C, H, W) the first real layer gets: `input_shape` with its height and width replaced when resizing."""
    if not input_size or len(input_shape) != 3:
        return tuple(input_shape)
    return (input_shape[0], input_size, input_size)
