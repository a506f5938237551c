"""A fully connected layer: every output is a weighted sum of every input, plus a bias."""

from __future__ import annotations

import numpy as np

from core.scratch.init import GIVEN, draw_layer, given
from core.scratch.layer import Layer


class Dense(Layer):
    """y = x W + b.

    Shapes: x (N, n_in), W (n_in, n_out), b (n_out,), y (N, n_out); N is the batch.
    Backward, from g = dL/dy (N, n_out):
        dL/dW = x^T g          (n_in, n_out): each weight's gradient sums input x output-gradient over the batch
        dL/db = sum_N g        (n_out,)
        dL/dx = g W^T          (N, n_in): what the layer below receives

    `init` names a core.scratch.init initialiser drawn from `rng`, or "given" with `weights` (and `bias`, default
    zeros): the logbook's spreadsheet exercises start from set weights."""

    kind = "Dense"

    def __init__(
        self,
        n_in: int,
        n_out: int,
        *,
        init: str = "default",
        scale: float = 0.05,
        rng: np.random.Generator | None = None,
        weights=None,
        bias=None,
        use_bias: bool = True,
    ) -> None:
        super().__init__()
        self.n_in, self.n_out, self.use_bias = int(n_in), int(n_out), use_bias
        self.params["weight"] = np.zeros((self.n_in, self.n_out))
        if use_bias:
            self.params["bias"] = np.zeros(self.n_out)
        if weights is not None or init == GIVEN:
            self.params["weight"] = given(weights, (self.n_in, self.n_out), "Dense weights")
            if use_bias:
                self.params["bias"] = given(np.zeros(self.n_out) if bias is None else bias, (self.n_out,), "Dense bias")
        else:
            self.initialise(init, scale, rng if rng is not None else np.random.default_rng())

    def initialise(self, init: str, scale: float, rng: np.random.Generator) -> None:
        """Draw new weights (and bias) with initialiser `init`, keeping the dtype."""
        dtype = self.params["weight"].dtype
        weights, bias = draw_layer(init, (self.n_in, self.n_out), self.n_in, self.n_out, self.n_out, scale, rng)
        self.params["weight"] = weights.astype(dtype)
        if self.use_bias:
            self.params["bias"] = bias.astype(dtype)

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        self.x = x
        y = x @ self.params["weight"]
        if self.use_bias:
            y += self.params["bias"]
        return y

    def backward(self, grad: np.ndarray) -> np.ndarray | None:
        self.grads["weight"] = self.x.T @ grad
        if self.use_bias:
            self.grads["bias"] = grad.sum(axis=0)
        return grad @ self.params["weight"].T if self.input_grad else None

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        if tuple(input_shape) != (self.n_in,):
            raise ValueError(f"Dense({self.n_in}, {self.n_out}) gets inputs of shape {tuple(input_shape)}")
        return (self.n_out,)
