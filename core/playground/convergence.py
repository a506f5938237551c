""" "How often does it converge?": the same setup and data trained from many starting weights, in a background
thread, so the page can show the spread of final test losses while it grows.

Only the NumPy engine runs here, on arrays this object owns; the thread never touches Streamlit.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace

import numpy as np

from core.errors import TrainboardError
from core.playground.data import PointSet
from core.playground.session import Playground
from core.playground.setup import Setup

DEFAULT_SEEDS = 20


@dataclass(frozen=True)
class SeedResult:
    seed: int
    test_loss: float
    diverged: bool


class ConvergenceStudy:
    """Train `setup` for `epochs` from weight seeds 0..seeds-1 (the data stays the same)."""

    def __init__(self, setup: Setup, epochs: int, seeds: int = DEFAULT_SEEDS, points: PointSet | None = None):
        if not 1 <= seeds <= 500:
            raise TrainboardError(f"seeds {seeds}: must be 1-500")
        if not 1 <= epochs <= 10_000:
            raise TrainboardError(f"epochs {epochs}: must be 1-10000")
        self.setup, self.epochs, self.seeds, self._points = setup.checked(), epochs, seeds, points
        self.results: list[SeedResult] = []
        self.error: str | None = None
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None

    def run(self) -> ConvergenceStudy:
        """Train every seed here, in order (the thread's body; also what the CLI and tests call)."""
        try:
            for seed in range(self.seeds):
                if self._cancel.is_set():
                    return self
                playground = Playground(replace(self.setup, weight_seed=seed), self._points)
                playground.step(self.epochs)
                self.results.append(SeedResult(seed, playground.history[-1][2], playground.diverged is not None))
        except Exception as err:  # shown on the page, which cannot see this thread's traceback
            self.error = f"{type(err).__name__}: {err}"
        return self

    def start(self) -> ConvergenceStudy:
        self._thread = threading.Thread(target=self.run, name="playground-convergence", daemon=True)
        self._thread.start()
        return self

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def losses(self) -> np.ndarray:
        return np.array([r.test_loss for r in self.results], dtype=np.float64)

    def share_reaching(self, goal: float) -> float:
        """The share of finished seeds whose test loss is at or below `goal` (diverged seeds never are)."""
        losses = self.losses()
        return float(np.mean(np.nan_to_num(losses, nan=np.inf) <= goal)) if len(losses) else 0.0
