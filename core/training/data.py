"""Training data as pre-loaded tensors: conversion from arrays, batching by index tensors, and
augmentation of whole batches. Nothing here loops over samples in Python, so a batch costs a few
tensor operations on whatever device it lives on."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from core.errors import TrainboardError
from core.scratch.batches import epoch_order


def as_tensors(
    X: np.ndarray,
    y: np.ndarray,
    input_shape: tuple[int, ...],
    device: torch.device | str = "cpu",
    channels_last: bool = False,
    dtype: str = "float32",
) -> tuple[torch.Tensor, torch.Tensor]:
    """X (N, F) as `dtype` (float32 or float64) (N, *input_shape) and y (N,) as int64 class indices, both on
    `device`. 4-D inputs use the channels_last memory format when asked. On the CPU, X may share memory with
    the array when it already has that dtype and is contiguous."""
    X = np.asarray(X)
    y = np.asarray(y)
    input_shape = tuple(int(d) for d in input_shape)
    if X.ndim < 1 or math.prod(X.shape[1:]) != math.prod(input_shape):
        raise TrainboardError(
            f"X has shape {X.shape}, which cannot be viewed as (N, {', '.join(map(str, input_shape))})"
        )
    if y.shape != (len(X),):
        raise TrainboardError(f"y has shape {y.shape}; it needs one label per row of X, shape ({len(X)},)")
    if not (np.issubdtype(y.dtype, np.integer) or y.dtype == bool):
        raise TrainboardError(f"y has dtype {y.dtype}; it needs integer class indices")
    features = torch.from_numpy(np.ascontiguousarray(X, dtype=np.dtype(dtype))).reshape(len(X), *input_shape)
    labels = torch.from_numpy(y.astype(np.int64, copy=False))
    features, labels = features.to(device), labels.to(device)
    if channels_last and features.ndim == 4:
        features = features.contiguous(memory_format=torch.channels_last)
    return features, labels


def batch_indices(
    n: int,
    batch_size: int,
    *,
    rng: np.random.Generator | None = None,
    device: torch.device | str = "cpu",
) -> list[torch.Tensor]:
    """Index tensors (int64, on `device`) covering 0..n-1 exactly once, `batch_size` each except the
    last, in the order of core.scratch.batches.epoch_order (shuffled by `rng`, in order when it is None):
    the NumPy engine, seeded alike, sees the very same batches."""
    # One transfer for the whole epoch, then views: cheaper than a copy per batch on a GPU.
    order = torch.from_numpy(epoch_order(n, batch_size, rng)).to(device)
    return list(order.split(batch_size))


@dataclass(frozen=True)
class Augment:
    """Random changes to a batch of images (N, C, H, W), applied in this order."""

    crop_padding: int = 0  # random crop of the original size from the image zero-padded by this many pixels
    hflip: bool = False  # flip each image left-right with probability 0.5
    erasing: float = 0.0  # probability per image of zeroing a random rectangle (area 2%-33%, aspect 0.3-3.3)
    rotation: float = 0.0  # rotate each image by an angle drawn from [-rotation, rotation] degrees
    zoom: float = 0.0  # scale each image by a factor drawn from [1 - zoom, 1 + zoom] (>1 zooms in)
    noise: float = 0.0  # standard deviation of gaussian noise added to every pixel, in the input's own units

    def __post_init__(self):
        if isinstance(self.crop_padding, bool) or not isinstance(self.crop_padding, int) or self.crop_padding < 0:
            raise TrainboardError(f"crop padding {self.crop_padding!r}: must be a whole number of pixels >= 0")
        if not isinstance(self.hflip, bool):
            raise TrainboardError(f"horizontal flip {self.hflip!r}: must be true or false")
        if not 0.0 <= self.erasing <= 1.0:
            raise TrainboardError(f"erasing {self.erasing!r}: must be a probability in [0, 1]")
        if not 0.0 <= self.rotation <= 180.0:
            raise TrainboardError(f"rotation {self.rotation!r}: must be degrees in [0, 180]")
        if not 0.0 <= self.zoom < 1.0:
            raise TrainboardError(f"zoom {self.zoom!r}: must be a fraction in [0, 1)")
        if not self.noise >= 0.0:
            raise TrainboardError(f"noise {self.noise!r}: must be a standard deviation >= 0")

    @property
    def active(self) -> bool:
        return any((self.crop_padding, self.hflip, self.erasing, self.rotation, self.zoom, self.noise))

    def describe(self) -> str:
        """'crop (pad 2), flip, rotation 15°, zoom 0.1, erasing 0.25, noise 0.05', or 'none'."""
        parts = []
        if self.crop_padding:
            parts.append(f"crop (pad {self.crop_padding})")
        if self.hflip:
            parts.append("flip")
        if self.rotation:
            parts.append(f"rotation {self.rotation:g}°")
        if self.zoom:
            parts.append(f"zoom {self.zoom:g}")
        if self.erasing:
            parts.append(f"erasing {self.erasing:g}")
        if self.noise:
            parts.append(f"noise {self.noise:g}")
        return ", ".join(parts) or "none"

    def __call__(self, x: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
        """A new augmented batch; `x` is left untouched. Random numbers come from `generator` (one
        small draw per image), so a seeded generator gives the same batch on every device."""
        if x.ndim != 4:
            raise TrainboardError(f"augmentation needs image batches (N, C, H, W); got shape {tuple(x.shape)}")
        out = x
        if self.crop_padding:
            out = _random_crop(out, self.crop_padding, generator)
        if self.hflip:
            out = _random_hflip(out, generator)
        if self.rotation or self.zoom:
            out = _random_affine(out, self.rotation, self.zoom, generator)
        if self.erasing:
            out = _random_erasing(out, self.erasing, generator)
        if self.noise:
            out = _gaussian_noise(out, self.noise, generator)
        if out is x:
            out = x.clone()
        if x.is_contiguous(memory_format=torch.channels_last) and not x.is_contiguous():
            out = out.contiguous(memory_format=torch.channels_last)
        return out


def _rng_device(generator: torch.Generator | None) -> torch.device:
    return generator.device if generator is not None else torch.device("cpu")


def _uniform(n: int, generator: torch.Generator | None, like: torch.Tensor) -> torch.Tensor:
    """n draws from U[0, 1) made on the generator's device, then moved next to `like` (float32)."""
    draws = torch.rand(n, generator=generator, device=_rng_device(generator))
    return draws.to(like.device)


def _random_crop(x: torch.Tensor, padding: int, generator: torch.Generator | None) -> torch.Tensor:
    n, _, height, width = x.shape
    padded = F.pad(x, (padding, padding, padding, padding))
    # Offsets 0..2p into the padded image: a shift of the original by p - offset in [-p, p].
    top = (_uniform(n, generator, x) * (2 * padding + 1)).long().clamp_(max=2 * padding)
    left = (_uniform(n, generator, x) * (2 * padding + 1)).long().clamp_(max=2 * padding)
    rows = top[:, None] + torch.arange(height, device=x.device)  # (N, H)
    cols = left[:, None] + torch.arange(width, device=x.device)  # (N, W)
    images = torch.arange(n, device=x.device)[:, None, None, None]
    channels = torch.arange(x.shape[1], device=x.device)[None, :, None, None]
    return padded[images, channels, rows[:, None, :, None], cols[:, None, None, :]]


def _random_hflip(x: torch.Tensor, generator: torch.Generator | None) -> torch.Tensor:
    flip = _uniform(len(x), generator, x) < 0.5
    return torch.where(flip[:, None, None, None], x.flip(-1), x)


def _random_erasing(x: torch.Tensor, probability: float, generator: torch.Generator | None) -> torch.Tensor:
    n, _, height, width = x.shape
    area = height * width * (0.02 + _uniform(n, generator, x) * (0.33 - 0.02))
    log_aspect = math.log(0.3) + _uniform(n, generator, x) * (math.log(3.3) - math.log(0.3))
    aspect = log_aspect.exp()
    # torchvision retries boxes that do not fit; clamping keeps one draw per image and always erases.
    box_h = (area * aspect).sqrt().round().long().clamp(1, height)
    box_w = (area / aspect).sqrt().round().long().clamp(1, width)
    # float32 products can round up to the bound itself, hence the minimum
    top = torch.minimum((_uniform(n, generator, x) * (height - box_h + 1)).long(), height - box_h)
    left = torch.minimum((_uniform(n, generator, x) * (width - box_w + 1)).long(), width - box_w)
    erase = _uniform(n, generator, x) < probability
    rows = torch.arange(height, device=x.device)
    cols = torch.arange(width, device=x.device)
    in_rows = (rows >= top[:, None]) & (rows < (top + box_h)[:, None])  # (N, H)
    in_cols = (cols >= left[:, None]) & (cols < (left + box_w)[:, None])  # (N, W)
    box = in_rows[:, :, None] & in_cols[:, None, :] & erase[:, None, None]  # (N, H, W)
    return x.masked_fill(box[:, None], 0)


def _random_affine(x: torch.Tensor, degrees: float, zoom: float, generator: torch.Generator | None) -> torch.Tensor:
    """Each image rotated by U(-degrees, degrees) and scaled by U(1 - zoom, 1 + zoom) about its centre, bilinear,
    zeros where the turned image leaves the frame (Keras' RandomRotation / RandomZoom with fill_mode constant)."""
    n, _, height, width = x.shape
    angle = (_uniform(n, generator, x) * 2 - 1) * math.radians(degrees)
    scale = 1 + (_uniform(n, generator, x) * 2 - 1) * zoom
    cos, sin = angle.cos() / scale, angle.sin() / scale  # sampling at 1/scale of the distance shows it scale times
    # affine_grid works in coordinates normalised to [-1, 1] on each axis; the aspect ratio makes the rotation one
    # of pixels, so that a non-square image is turned, not sheared.
    zeros = torch.zeros_like(cos)
    theta = torch.stack(
        (torch.stack((cos, -sin * height / width, zeros), 1), torch.stack((sin * width / height, cos, zeros), 1)), 1
    ).to(x.dtype)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


def _gaussian_noise(x: torch.Tensor, std: float, generator: torch.Generator | None) -> torch.Tensor:
    noise = torch.randn(x.shape, generator=generator, device=_rng_device(generator), dtype=x.dtype)
    return x + std * noise.to(x.device)
