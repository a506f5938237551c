"""Batch normalisation: each feature (or channel) is standardised over the batch, then scaled and shifted."""

from __future__ import annotations

import numpy as np

from core.scratch.layer import Layer


class BatchNorm(Layer):
    """For each feature j (a column of (N, F) input, or a channel of (N, C, H, W) input, over N*H*W values):

        training:  mu = mean(x_j), var = mean((x_j - mu)^2)  (the batch's own, biased)
                   xhat = (x_j - mu) / sqrt(var + eps),  y = gamma_j * xhat + beta_j
                   running_mean <- (1 - m) running_mean + m mu
                   running_var  <- (1 - m) running_var + m var * n / (n - 1)   (unbiased, as torch)
        eval:      xhat uses running_mean and running_var instead, so a prediction does not depend on its batch

    Backward in training (n values per feature, g = dL/dy, dxhat = g * gamma):
        dL/dgamma = sum(g * xhat),  dL/dbeta = sum(g)
        dL/dx = (n dxhat - sum(dxhat) - xhat * sum(dxhat * xhat)) / (n sqrt(var + eps))
    The two sums are there because mu and var depend on every x of the batch. In eval mode the statistics are
    constants, and dL/dx = g * gamma / sqrt(running_var + eps).

    gamma and beta are saved as "weight" and "bias", the running statistics as buffers (torch's names);
    momentum m = 0.1 and eps = 1e-5 are torch's defaults."""

    kind = "BatchNorm"

    def __init__(self, n_features: int, momentum: float = 0.1, eps: float = 1e-5) -> None:
        super().__init__()
        self.n_features, self.momentum, self.eps = int(n_features), momentum, eps
        self.params["weight"] = np.ones(self.n_features)
        self.params["bias"] = np.zeros(self.n_features)
        self.buffers["running_mean"] = np.zeros(self.n_features)
        self.buffers["running_var"] = np.ones(self.n_features)

    def _axes_and_shape(self, x: np.ndarray) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The axes a feature's statistics run over, and the shape that broadcasts per-feature values onto x."""
        if x.ndim == 2:
            return (0,), (1, -1)
        return (0, *range(2, x.ndim)), (1, -1) + (1,) * (x.ndim - 2)

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        axes, shape = self._axes_and_shape(x)
        self.training, self.axes, self.shape = training, axes, shape
        if training:
            mean, var = x.mean(axis=axes), x.var(axis=axes)
            n = x.size // self.n_features
            m = self.momentum
            running = self.buffers
            running["running_mean"] = (1 - m) * running["running_mean"] + m * mean
            running["running_var"] = (1 - m) * running["running_var"] + m * var * (n / (n - 1) if n > 1 else 1.0)
        else:
            mean, var = self.buffers["running_mean"], self.buffers["running_var"]
        self.inv_std = (1.0 / np.sqrt(var + self.eps)).astype(x.dtype, copy=False)
        self.xhat = (x - mean.reshape(shape)) * self.inv_std.reshape(shape)
        return self.xhat * self.params["weight"].reshape(shape) + self.params["bias"].reshape(shape)

    def backward(self, grad: np.ndarray) -> np.ndarray | None:
        axes, shape = self.axes, self.shape
        self.grads["weight"] = (grad * self.xhat).sum(axis=axes)
        self.grads["bias"] = grad.sum(axis=axes)
        if not self.input_grad:
            return None
        dxhat = grad * self.params["weight"].reshape(shape)
        inv_std = self.inv_std.reshape(shape)
        if not self.training:
            return dxhat * inv_std
        n = grad.size // self.n_features
        total = dxhat.sum(axis=axes).reshape(shape)
        along = (dxhat * self.xhat).sum(axis=axes).reshape(shape)
        return (n * dxhat - total - self.xhat * along) * (inv_std / n)
