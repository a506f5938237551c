"""Penalties on the size of the weights, added to the loss so that training prefers small or sparse weights.

They apply to weights (arrays of 2 or more dimensions), not to biases or batch-norm shifts: a bias does not
multiply an input, so shrinking it does not make the function simpler.
"""

from __future__ import annotations

import numpy as np


class L1:
    """penalty = rate * sum |w|; gradient rate * sign(w) (0 at w = 0). Pushes weights to exactly 0: sparse
    networks, features switched off."""

    def __init__(self, rate: float) -> None:
        self.rate = float(rate)

    def penalty(self, weights: list[np.ndarray]) -> float:
        return self.rate * float(sum(np.abs(w).sum() for w in weights))

    def gradient(self, w: np.ndarray) -> np.ndarray:
        return self.rate * np.sign(w)


class L2:
    """penalty = rate / 2 * sum w^2; gradient rate * w. Shrinks every weight in proportion to its size; with
    plain SGD this is the same step as torch's weight_decay = rate (and TensorFlow Playground's L2)."""

    def __init__(self, rate: float) -> None:
        self.rate = float(rate)

    def penalty(self, weights: list[np.ndarray]) -> float:
        return 0.5 * self.rate * float(sum((w * w).sum() for w in weights))

    def gradient(self, w: np.ndarray) -> np.ndarray:
        return self.rate * w


REGULARIZERS = {"l1": L1, "l2": L2}
