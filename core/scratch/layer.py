"""What every layer of the NumPy engine is: a forward pass, a backward pass, and the arrays it learns.

A network is a list of layers. `forward(x, training)` computes the layer's output from its input and keeps what
the backward pass will need; `backward(grad)` receives dL/d(output), stores dL/d(parameter) in `grads` and
returns dL/d(input) for the layer below. Nothing else is needed to train: the optimizer reads `params` and
`grads`, and the chain rule is just calling `backward` from the last layer to the first.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np


class Layer:
    """Base class: no parameters, identity shape. Subclasses fill `params` (trainable arrays, updated in place by
    the optimizer), `grads` (same keys, written by `backward`) and `buffers` (state that is saved but not
    trained, such as batch norm's running statistics).

    `input_grad` is False for the first layers of a network, whose input is the data: their backward pass
    may skip computing dL/d(input), which nobody reads (the network sets it)."""

    kind = "Layer"  # shown in the analysis table ("Dense", "Conv2D", ...)

    def __init__(self) -> None:
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.buffers: dict[str, np.ndarray] = {}
        self.input_grad = True

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad: np.ndarray) -> np.ndarray | None:
        raise NotImplementedError

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """The shape of one example's output for one example's input (no batch axis); elementwise by default."""
        return tuple(input_shape)

    def sublayers(self) -> Iterator[tuple[str, Layer]]:
        """Layers inside this one (a residual block's body), named; none by default."""
        return iter(())

    def astype(self, dtype: np.dtype) -> Layer:
        """Cast parameters and buffers to `dtype` in place (float32 for speed, float64 for exact checks)."""
        for store in (self.params, self.buffers):
            for name, value in store.items():
                store[name] = value.astype(dtype, copy=False)
        self.grads = {}
        for _, layer in self.sublayers():
            layer.astype(dtype)
        return self

    def __repr__(self) -> str:
        shapes = ", ".join(f"{name} {'x'.join(map(str, value.shape))}" for name, value in self.params.items())
        return f"{type(self).__name__}({shapes})"
