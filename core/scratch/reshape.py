"""Flatten: images become rows, so that dense layers can follow convolutions."""

from __future__ import annotations

import math

import numpy as np

from core.scratch.layer import Layer


class Flatten(Layer):
    """y = x reshaped to (N, C*H*W), in C, H, W order (as torch's Flatten), so the first dense layer after a
    convolution sees every channel of every pixel. Backward reshapes the gradient back to x's shape; nothing
    is learned. The result is a view of x when x's memory allows it."""

    kind = "Flatten"

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        self.shape = x.shape
        return x.reshape(len(x), -1)

    def backward(self, grad: np.ndarray) -> np.ndarray | None:
        return grad.reshape(self.shape) if self.input_grad else None

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        return (math.prod(input_shape),)
