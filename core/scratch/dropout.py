"""Dropout: in training, each unit is zeroed at random; the survivors are scaled up to keep the expected sum."""

from __future__ import annotations

import numpy as np

from core.scratch.layer import Layer


class Dropout(Layer):
    """Inverted dropout with drop probability p. Training: mask_i = 1 with probability 1 - p, else 0, and
    y = x * mask / (1 - p), so E[y] = x and nothing needs rescaling at test time. Eval: y = x.
    Backward: dL/dx = dL/dy * mask / (1 - p) (the same mask), or dL/dy in eval.

    The masks come from this layer's own generator (`rng`), so a seeded network drops the same units every
    run; they are not torch's masks, which is why dropout is the one layer a numpy-mlp and an mlp cannot
    share step for step."""

    kind = "Dropout"

    def __init__(self, p: float, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        if not 0 <= p < 1:
            raise ValueError(f"Dropout: p must be in [0, 1), got {p}")
        self.p = p
        self.rng = rng if rng is not None else np.random.default_rng()
        self.scale = None

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        if not training or self.p == 0:
            self.scale = None
            return x
        keep = self.rng.random(x.shape, dtype=np.float32) >= self.p
        self.scale = keep.astype(x.dtype) * (1.0 / (1 - self.p))
        return x * self.scale

    def backward(self, grad: np.ndarray) -> np.ndarray | None:
        if not self.input_grad:
            return None
        return grad if self.scale is None else grad * self.scale
