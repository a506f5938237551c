"""Pooling: each output pixel summarises a k x k window of its channel (its maximum, or its mean)."""

from __future__ import annotations

import numpy as np

from core.scratch.conv import output_side, windows
from core.scratch.layer import Layer


class _Pool2D(Layer):
    def __init__(self, kernel: int = 2, stride: int | None = None) -> None:
        super().__init__()
        self.kernel = int(kernel)
        self.stride = int(stride) if stride is not None else self.kernel
        if self.kernel < 1 or self.stride < 1:
            raise ValueError(f"{type(self).__name__}: kernel and stride must be >= 1")

    def _out(self, height: int, width: int) -> tuple[int, int]:
        return output_side(height, self.kernel, self.stride, 0), output_side(width, self.kernel, self.stride, 0)

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        channels, height, width = input_shape
        return (channels, *self._out(height, width))

    def _combine(self, x: np.ndarray, ufunc: np.ufunc) -> np.ndarray:
        """`ufunc` (np.maximum, np.add) folded over the k * k window views of x: one output per window."""
        out_h, out_w = self._out(*x.shape[2:])
        y = None
        for _, _, view in windows(x, self.kernel, self.stride, out_h, out_w):
            # order="K" keeps x's memory layout (channels first after a Conv2D), which the next layer relies on
            y = view.copy(order="K") if y is None else ufunc(y, view, out=y)
        return y


class MaxPool2D(_Pool2D):
    """y[n, c, r, col] = max over offsets (i, j) < k of x[n, c, s*r + i, s*col + j]; stride s defaults to k.

    Shapes: x (N, C, H, W), y (N, C, Ho, Wo), Ho = (H - k) // s + 1. Nothing is learned.
    Backward: the whole gradient of an output goes to the one input that was its maximum (the first one, in
    row-major order, when several tie, as torch does); every other input of the window gets 0."""

    kind = "MaxPool2D"

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        self.x, self.y = x, self._combine(x, np.maximum)
        return self.y

    def backward(self, grad: np.ndarray) -> np.ndarray | None:
        if not self.input_grad:
            return None
        out_h, out_w = grad.shape[2:]
        dx = np.zeros_like(self.x)
        routed = np.zeros(self.y.shape, dtype=bool)  # outputs whose maximum has been found already
        for (_, _, view), (_, _, target) in zip(
            windows(self.x, self.kernel, self.stride, out_h, out_w),
            windows(dx, self.kernel, self.stride, out_h, out_w),
            strict=True,
        ):
            winner = (view == self.y) & ~routed
            routed |= winner
            target += grad * winner  # += : windows overlap when the stride is smaller than the kernel
        return dx


class AvgPool2D(_Pool2D):
    """y[n, c, r, col] = mean over offsets (i, j) < k of x[n, c, s*r + i, s*col + j]; stride s defaults to k.

    Shapes as MaxPool2D. Backward: each input of the window receives dL/dy / (k * k)."""

    kind = "AvgPool2D"

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        self.x = x
        y = self._combine(x, np.add)
        y *= 1.0 / (self.kernel * self.kernel)
        return y

    def backward(self, grad: np.ndarray) -> np.ndarray | None:
        if not self.input_grad:
            return None
        out_h, out_w = grad.shape[2:]
        dx = np.zeros_like(self.x)
        share = grad * (1.0 / (self.kernel * self.kernel))
        for _, _, target in windows(dx, self.kernel, self.stride, out_h, out_w):
            target += share
        return dx
