"""A residual (skip) connection: a block learns a change to its input rather than a new representation."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from core.scratch.layer import Layer


class Residual(Layer):
    """y = body(x) + shortcut(x), where body is a stack of layers and shortcut is the identity, or a layer
    (a Dense without bias, say) when the body changes the width.

    Backward: the gradient reaches x along both paths and the two add up:
        dL/dx = body'(x)^T dL/dy + shortcut'(x)^T dL/dy   (the second term is dL/dy itself for the identity)
    That second term is why deep residual stacks train: the gradient has a path that no layer can shrink."""

    kind = "Residual"

    def __init__(self, body: Sequence[Layer], shortcut: Layer | None = None) -> None:
        super().__init__()
        if not body:
            raise ValueError("Residual: the body needs at least one layer")
        self.body = list(body)
        self.shortcut = shortcut

    def sublayers(self) -> Iterator[tuple[str, Layer]]:
        for number, layer in enumerate(self.body):
            yield f"body{number}", layer
        if self.shortcut is not None:
            yield "shortcut", self.shortcut

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        y = x
        for layer in self.body:
            y = layer.forward(y, training)
        skip = x if self.shortcut is None else self.shortcut.forward(x, training)
        if y.shape != skip.shape:
            raise ValueError(f"Residual: the body gives {y.shape[1:]} but the shortcut {skip.shape[1:]}")
        return y + skip

    def backward(self, grad: np.ndarray) -> np.ndarray | None:
        through_body = grad
        for layer in reversed(self.body):
            through_body = layer.backward(through_body)
        skip = grad if self.shortcut is None else self.shortcut.backward(grad)
        return through_body + skip if self.input_grad else None

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        shape = tuple(input_shape)
        for layer in self.body:
            shape = layer.output_shape(shape)
        skip = tuple(input_shape) if self.shortcut is None else self.shortcut.output_shape(input_shape)
        if shape != skip:
            raise ValueError(f"Residual: the body gives {shape} but the shortcut {skip}; give a shortcut layer")
        return shape
