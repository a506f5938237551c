"""Torch building blocks the CNN families share: two combinators (branches side by side, a residual sum) and the
shape checks every builder makes. The family files import this module inside their builders, so that
registering the models imports no torch.
"""

from __future__ import annotations

import torch
from torch import nn

from core.models.registry import ModelError

# The smallest-image search stops here: a network that cannot take a 512x512 image is broken, not picky.
LARGEST_PROBE_SIDE = 512


class Parallel(nn.Module):
    """Runs every branch on the same input and concatenates their outputs on the channel axis (dim 1):
    the shape of an Inception block. All branches must keep the height and width."""

    def __init__(self, *branches: nn.Module) -> None:
        super().__init__()
        self.branches = nn.ModuleList(branches)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([branch(x) for branch in self.branches], dim=1)


class Residual(nn.Module):
    """relu(body(x) + shortcut(x)): a ResNet (v1) block. The shortcut is the identity unless the body
    changes the shape, in which case it is the projection given."""

    def __init__(self, body: nn.Module, shortcut: nn.Module | None = None) -> None:
        super().__init__()
        self.body = body
        self.shortcut = shortcut if shortcut is not None else nn.Identity()
        self.relu = nn.ReLU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.relu(self.body(x) + self.shortcut(x))


def image_shape(input_shape: tuple[int, ...], model: str) -> tuple[int, int, int]:
    """`input_shape` as (channels, height, width); ModelError when it is not the shape of an image."""
    if len(input_shape) != 3 or min(input_shape) < 1:
        raise ModelError(f"{model}: needs images of shape (channels, height, width), got input shape {input_shape}")
    channels, height, width = input_shape
    return channels, height, width


def feature_size(features: nn.Module, input_shape: tuple[int, ...], model: str) -> int:
    """How many numbers `features` outputs per image of `input_shape` (C, H, W), found by passing one blank
    image through it. Images too small for its convolutions and pools are a ModelError that names the
    smallest square image it takes, or, when `features` starts with an input resize, the smallest input_size."""
    channels, height, width = image_shape(input_shape, model)
    size = _output_size(features, channels, height, width)
    if size is not None:
        return size
    resize = isinstance(features, nn.Sequential) and len(features) > 0 and isinstance(features[0], nn.Upsample)
    layers = features[1:] if resize else features  # with an input resize, the size to change is input_size's
    needed = next(
        (side for side in range(1, LARGEST_PROBE_SIDE + 1) if _output_size(layers, channels, side, side)),
        None,
    )
    if resize:
        advice = f"; it needs at least {needed}" if needed is not None else ""
        raise ModelError(f"{model}: parameter 'input_size': {features[0].size[0]} is too small{advice}")
    advice = f"; it needs at least {needed}x{needed} (parameter input_size can resize them)" if needed else ""
    raise ModelError(f"{model}: images of {height}x{width} are too small{advice}")


def _output_size(features: nn.Module, channels: int, height: int, width: int) -> int | None:
    """Numbers per image out of `features` for a blank (channels, height, width) image; None if it cannot
    take one (a kernel or pool larger than what reaches it, or nothing left)."""
    was_training = features.training
    features.eval()  # batch norm cannot normalise a batch of one in training mode; eval also draws no randoms
    try:
        with torch.no_grad():
            output = features(torch.zeros(1, channels, height, width))
    except RuntimeError:
        return None
    finally:
        features.train(was_training)
    return output.numel() or None


def dense_head(flat: int, widths: tuple[int, ...], dropout: float, n_classes: int) -> nn.Sequential:
    """AlexNet's and VGG's classifier: flatten, a ReLU layer with dropout for each of `widths`, then the classes."""
    layers: list[nn.Module] = [nn.Flatten()]
    for n_in, n_out in zip((flat, *widths[:-1]), widths, strict=True):
        layers += [nn.Linear(n_in, n_out), nn.ReLU(), nn.Dropout(dropout)]
    return nn.Sequential(*layers, nn.Linear(widths[-1] if widths else flat, n_classes))
