"""Losses: a number for how wrong a batch of outputs is, and its gradient with respect to those outputs.

Each loss is called as `loss(outputs, targets)` and returns (value, dL/d(outputs)), because the gradient falls
out of the same intermediate values; every loss averages over the batch, as torch's default reduction does.
"""

from __future__ import annotations

import numpy as np

from core.scratch.activations import sigmoid


def log_softmax(z: np.ndarray) -> np.ndarray:
    """log(softmax(z)) along each row, as z - logsumexp(z) with the row maximum taken out first: stable for
    logits in the thousands, where exp(z) itself would overflow."""
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


class SoftmaxCrossEntropy:
    """Softmax and cross-entropy fused, from logits z (N, C) and class indices y (N,):

        L = mean_i -log p[i, y_i],  p = softmax(z)          dL/dz = (p - onehot(y)) / N

    Fused because it is both simpler and stabler than the two apart: the gradient needs no division by p.
    With label smoothing e the target is q = (1 - e) onehot + e / C, L = mean_i -sum_c q[i, c] log p[i, c], and
    dL/dz = (p - q) / N. With class weights w, each example counts w[y_i] times and the mean divides by
    sum_i w[y_i] (torch's CrossEntropyLoss with `weight` and `label_smoothing`)."""

    def __init__(self, class_weights: np.ndarray | None = None, label_smoothing: float = 0.0) -> None:
        self.class_weights = None if class_weights is None else np.asarray(class_weights, dtype=np.float64)
        self.label_smoothing = float(label_smoothing)

    def __call__(self, logits: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
        n, n_classes = logits.shape
        rows = np.arange(n)
        log_p = log_softmax(logits)
        p = np.exp(log_p)
        if self.class_weights is None and not self.label_smoothing:
            grad = p
            grad[rows, targets] -= 1
            grad /= n
            return float(-log_p[rows, targets].mean()), grad
        e = self.label_smoothing
        w = np.ones(n_classes) if self.class_weights is None else self.class_weights
        w_target = w[targets]  # (N,)
        total = w_target.sum()
        smooth = -(log_p * w).sum(axis=1)  # sum_c w_c (-log p_ic)
        loss = ((1 - e) * (w_target * -log_p[rows, targets]) + e / n_classes * smooth).sum() / total
        grad = p * ((1 - e) * w_target + e / n_classes * w.sum())[:, None] - e / n_classes * w
        grad[rows, targets] -= (1 - e) * w_target
        return float(loss), (grad / total).astype(logits.dtype, copy=False)


class SigmoidBinaryCrossEntropy:
    """Sigmoid and binary cross-entropy fused, from logits z and targets t in [0, 1] of the same shape:

        L = mean over every element of -(t log s + (1 - t) log(1 - s)),  s = sigmoid(z)
          = mean of max(z, 0) - z t + log(1 + exp(-|z|))   (the same, without overflow)
        dL/dz = (s - t) / (number of elements)

    For one logit per example (a yes/no output) or one per class (one-vs-rest), as torch's BCEWithLogitsLoss."""

    def __call__(self, logits: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
        t = np.asarray(targets, dtype=logits.dtype).reshape(logits.shape)
        loss = np.maximum(logits, 0) - logits * t + np.log1p(np.exp(-np.abs(logits)))
        return float(loss.mean()), (sigmoid(logits) - t) / logits.size


class MeanSquaredError:
    """L = mean over every element of (y - t)^2, and dL/dy = 2 (y - t) / (number of elements); for regression
    outputs (the Playground's plane and multi-gaussian data)."""

    def __call__(self, outputs: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
        diff = outputs - np.asarray(targets, dtype=outputs.dtype).reshape(outputs.shape)
        return float((diff * diff).mean()), diff * (2.0 / diff.size)


class HalfSquaredError:
    """L = mean over every element of (y - t)^2 / 2, and dL/dy = (y - t) / (number of elements): TensorFlow
    Playground's loss (its "test loss 0.177" is this number, for a tanh output and targets -1 and +1)."""

    def __call__(self, outputs: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
        diff = outputs - np.asarray(targets, dtype=outputs.dtype).reshape(outputs.shape)
        return float(0.5 * (diff * diff).mean()), diff * (1.0 / diff.size)


LOSSES = {
    "softmax_cross_entropy": SoftmaxCrossEntropy,
    "sigmoid_cross_entropy": SigmoidBinaryCrossEntropy,
    "mse": MeanSquaredError,
    "half_squared_error": HalfSquaredError,
}
