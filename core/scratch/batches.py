"""The order examples are seen in: one shuffle of the training rows per epoch, cut into batches.

Both engines take their batches from here (the torch Trainer turns the same index arrays into tensors), so a
torch run and a NumPy run with the same seed see the same examples in the same batches in the same order.
"""

from __future__ import annotations

import numpy as np

from core.errors import TrainboardError


def epoch_order(n: int, batch_size: int, rng: np.random.Generator | None) -> np.ndarray:
    """The order of the n training rows in one epoch (int64): rng.permutation(n), or 0..n-1 when `rng` is None.
    Consecutive runs of `batch_size` of it are the batches (the last may be shorter)."""
    if batch_size < 1:
        raise TrainboardError(f"batch size {batch_size}: must be >= 1")
    return np.arange(n) if rng is None else rng.permutation(n)


def epoch_batches(n: int, batch_size: int, rng: np.random.Generator | None) -> list[np.ndarray]:
    """The index array of each batch of one epoch, in order (views of epoch_order)."""
    order = epoch_order(n, batch_size, rng)
    return [order[start : start + batch_size] for start in range(0, n, batch_size)]
