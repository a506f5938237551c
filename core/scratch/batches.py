"""The order examples are seen in: one shuffle of the training rows per epoch, cut into batches.

Both engines take their batches from here (the torch Trainer turns the same index arrays into tensors), so a
torch run and a NumPy run with the same seed see the same examples in the same batches in the same order.
"""

from __future__ import annotations

import numpy as np

from core.errors import TrainboardError


def epoch_batches(n: int, batch_size: int, rng: np.random.Generator | None) -> list[np.ndarray]:
    """Index arrays (int64) covering 0..n-1 exactly once, `batch_size` each except the last: in the order of
    rng.permutation(n), or 0..n-1 in order when `rng` is None."""
    if batch_size < 1:
        raise TrainboardError(f"batch size {batch_size}: must be >= 1")
    order = np.arange(n) if rng is None else rng.permutation(n)
    return [order[start : start + batch_size] for start in range(0, n, batch_size)]
