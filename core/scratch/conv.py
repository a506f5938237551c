"""A 2-D convolution, written as one matrix product (im2col), vectorised over the batch."""

from __future__ import annotations

import numpy as np

from core.scratch.init import GIVEN, draw_layer, given
from core.scratch.layer import Layer


def output_side(side: int, kernel: int, stride: int, padding: int) -> int:
    """How many kernel positions fit along one side: (side + 2 * padding - kernel) // stride + 1 (0 if none)."""
    return max(0, (side + 2 * padding - kernel) // stride + 1)


def windows(x_cnhw: np.ndarray, kernel: int, stride: int, out_h: int, out_w: int):
    """Yield (i, j, view): for each kernel offset (i, j), the input pixels that offset touches for every output
    position: x[:, :, i + stride * r, j + stride * c] for r < out_h, c < out_w, as a strided view (no copy).
    Convolution and pooling are both sums or maxima over these kernel * kernel views."""
    for i in range(kernel):
        for j in range(kernel):
            yield i, j, x_cnhw[:, :, i : i + stride * out_h : stride, j : j + stride * out_w : stride]


class Conv2D(Layer):
    """y[n, f, r, c] = b[f] + sum over channels ch and offsets (i, j) of W[f, ch, i, j] * xp[n, ch, s*r + i, s*c + j],
    where xp is x zero-padded by `padding` on each side and s is the stride.

    Shapes: x (N, C, H, W), W (F, C, k, k), b (F,), y (N, F, Ho, Wo) with Ho = (H + 2p - k) // s + 1.
    im2col: the k*k shifted views of xp are stacked into a matrix X_col (C*k*k, N*Ho*Wo), one column per output
    position, so the whole layer is one product: Y = W_mat X_col + b, with W_mat = W reshaped to (F, C*k*k).
    Backward, from G = dL/dy reshaped to (F, N*Ho*Wo):
        dL/dW = G X_col^T                   each weight sums input x gradient over every position it touched
        dL/db = G summed over positions
        dL/dX_col = W_mat^T G               then col2im: each column's values are added back to the pixels
                                            it was copied from (overlapping windows add up), giving dL/dx

    Why channels first in memory: the matrices above are laid out (channel, batch, row, column), so y is
    returned as a transposed *view* of the product (no copy) and the next convolution gets its input in the
    layout it wants. Every layer still sees the usual (N, C, H, W) shapes."""

    kind = "Conv2D"

    def __init__(
        self,
        c_in: int,
        c_out: int,
        kernel: int,
        *,
        stride: int = 1,
        padding: int = 0,
        init: str = "default",
        scale: float = 0.05,
        rng: np.random.Generator | None = None,
        weights=None,
        bias=None,
    ) -> None:
        super().__init__()
        self.c_in, self.c_out, self.kernel = int(c_in), int(c_out), int(kernel)
        self.stride, self.padding = int(stride), int(padding)
        if min(self.c_in, self.c_out, self.kernel, self.stride) < 1 or self.padding < 0:
            raise ValueError("Conv2D: channels, kernel and stride must be >= 1 and padding >= 0")
        shape = (self.c_out, self.c_in, self.kernel, self.kernel)
        if weights is not None or init == GIVEN:
            self.params["weight"] = given(weights, shape, "Conv2D weights")
            self.params["bias"] = given(np.zeros(self.c_out) if bias is None else bias, (self.c_out,), "Conv2D bias")
        else:
            self.params["weight"], self.params["bias"] = np.zeros(shape), np.zeros(self.c_out)
            self.initialise(init, scale, rng if rng is not None else np.random.default_rng())

    def initialise(self, init: str, scale: float, rng: np.random.Generator) -> None:
        dtype = self.params["weight"].dtype
        area = self.kernel * self.kernel
        weights, bias = draw_layer(
            init, self.params["weight"].shape, self.c_in * area, self.c_out * area, self.c_out, scale, rng
        )
        self.params["weight"], self.params["bias"] = weights.astype(dtype), bias.astype(dtype)

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        n, channels, height, width = x.shape
        k, s, p = self.kernel, self.stride, self.padding
        out_h, out_w = output_side(height, k, s, p), output_side(width, k, s, p)
        x_cnhw = x.transpose(1, 0, 2, 3)  # a view; contiguous when x came out of a Conv2D
        if p:
            padded = np.zeros((channels, n, height + 2 * p, width + 2 * p), dtype=x.dtype)
            padded[:, :, p : p + height, p : p + width] = x_cnhw
            x_cnhw = padded
        cols = np.empty((channels, k, k, n, out_h, out_w), dtype=x.dtype)
        for i, j, view in windows(x_cnhw, k, s, out_h, out_w):
            cols[:, i, j] = view
        self.cols = cols.reshape(channels * k * k, n * out_h * out_w)
        self.padded_shape, self.input_shape = x_cnhw.shape, x.shape
        y = self.params["weight"].reshape(self.c_out, -1) @ self.cols
        y += self.params["bias"][:, None]
        return y.reshape(self.c_out, n, out_h, out_w).transpose(1, 0, 2, 3)

    def backward(self, grad: np.ndarray) -> np.ndarray | None:
        n, _, out_h, out_w = grad.shape
        g = grad.transpose(1, 0, 2, 3).reshape(self.c_out, -1)  # free when grad has our layout
        weight = self.params["weight"]
        self.grads["weight"] = (g @ self.cols.T).reshape(weight.shape)
        self.grads["bias"] = g.sum(axis=1)
        if not self.input_grad:
            return None
        k, s, p = self.kernel, self.stride, self.padding
        dcols = (weight.reshape(self.c_out, -1).T @ g).reshape(self.c_in, k, k, n, out_h, out_w)
        dx = np.zeros(self.padded_shape, dtype=grad.dtype)
        for i, j, view in windows(dx, k, s, out_h, out_w):
            view += dcols[:, i, j]  # col2im: a view of dx, so this adds into dx itself
        height, width = self.input_shape[2:]
        return dx[:, :, p : p + height, p : p + width].transpose(1, 0, 2, 3)

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        channels, height, width = input_shape
        if channels != self.c_in:
            raise ValueError(f"Conv2D({self.c_in}, {self.c_out}) gets {channels} channels")
        k, s, p = self.kernel, self.stride, self.padding
        return (self.c_out, output_side(height, k, s, p), output_side(width, k, s, p))
