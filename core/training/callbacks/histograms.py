"""Per-layer weight and gradient histograms and norms at each epoch end, for spotting vanishing or exploding
gradients on the page."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from core.errors import TrainboardError
from core.runs.artifacts import dumps, write_text
from core.training.callbacks.base import Callback

HISTOGRAMS_FILE = "histograms.json"


class GradientHistograms(Callback):
    """At each epoch end, for each trainable parameter (`trainer.named_arrays()`): a `bins`-bin histogram of its
    values and their L2 norm, and the same for its gradient when it has one (the epoch's last batch's gradient). Appends
    {"epoch": e, "layers": {name: {...}}} to `records`, sets `logs["grad_norm"]` (L2 norm over all gradients,
    None when there are none) and writes all records to run_dir/histograms.json when there is a run folder.

    Non-finite values are left out of a histogram and counted in "nonfinite"; their norm is None."""

    def __init__(self, bins: int = 30):
        if isinstance(bins, bool) or not isinstance(bins, int) or bins < 1:
            raise TrainboardError(f"bins: must be a whole number >= 1, got {bins!r}")
        self.bins = bins
        self.records: list[dict] = []

    def on_train_begin(self, trainer: Any, logs: dict) -> None:
        self.records = []

    def on_epoch_end(self, trainer: Any, logs: dict) -> None:
        layers = {}
        grad_squares: list[float] = []
        for name, values, grad in trainer.named_arrays():
            weights = _summary(values, self.bins)
            layer = {"weight_norm": weights["norm"], "weights": weights["histogram"]}
            if grad is not None:
                grads = _summary(grad, self.bins)
                layer |= {"grad_norm": grads["norm"], "gradients": grads["histogram"]}
                grad_squares.append(math.nan if grads["norm"] is None else grads["norm"] ** 2)
            layers[name] = layer
        self.records.append({"epoch": trainer.epoch, "layers": layers})
        logs["grad_norm"] = math.sqrt(sum(grad_squares)) if grad_squares else None
        if trainer.run_dir is not None:
            # Compact JSON: the file is rewritten every epoch and grows with epochs x layers x bins.
            write_text(Path(trainer.run_dir), HISTOGRAMS_FILE, dumps(self.records))


def read_histograms(run_dir: Path | str) -> list[dict]:
    """The records GradientHistograms wrote for a run, oldest epoch first; [] when it wrote none."""
    path = Path(run_dir) / HISTOGRAMS_FILE
    if not path.is_file():
        return []
    return json.loads(path.read_text(encoding="utf-8"))


def _summary(array: np.ndarray, bins: int) -> dict:
    values = np.asarray(array, dtype=np.float64).ravel()
    finite = values[np.isfinite(values)]
    counts, edges = np.histogram(finite, bins=bins)
    norm = float(np.linalg.norm(values))
    return {
        "norm": norm if math.isfinite(norm) else None,
        "histogram": {"counts": counts.tolist(), "edges": edges.tolist(), "nonfinite": int(values.size - finite.size)},
    }
