"""Two-dimensional toy sets for the playground (the TensorFlow Playground's four patterns)
and the logic gates AND, OR and XOR. Points are seeded, so a pattern looks the same each time."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from core.datasets.dataset import Dataset, Provenance, content_sha256
from core.datasets.registry import DatasetLoader, LoadRequest, Option, Progress, register_dataset

RADIUS = 5.0  # the Playground's coordinates run from -6 to 6


def circle(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Class 1 inside half the radius, class 0 on a ring from 0.7 to 1 times the radius."""
    labels = np.arange(n) % 2
    r = np.where(labels == 1, rng.uniform(0, 0.5, n), rng.uniform(0.7, 1.0, n)) * RADIUS
    angle = rng.uniform(0, 2 * np.pi, n)
    return np.c_[r * np.cos(angle), r * np.sin(angle)], labels


def xor(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Class 1 where x and y share a sign (half the points); points keep a small margin from the axes."""
    labels = np.arange(n) % 2
    magnitude = rng.uniform(0.3, RADIUS, (n, 2))
    sign_x = rng.choice([-1.0, 1.0], n)
    sign_y = np.where(labels == 1, sign_x, -sign_x)
    return magnitude * np.c_[sign_x, sign_y], labels


def gaussian(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two blobs at (2, 2) and (-2, -2); noise widens them so they start to overlap."""
    labels = np.arange(n) % 2
    centres = np.where(labels[:, None] == 1, 2.0, -2.0)
    return centres + rng.normal(0, 0.5 + 3.5 * noise, (n, 2)), labels


def spiral(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spirals, half a turn apart."""
    labels = np.arange(n) % 2
    t = rng.uniform(0, 1, n)
    r = t * RADIUS
    angle = 1.75 * t * 2 * np.pi + np.pi * labels
    return np.c_[r * np.sin(angle), r * np.cos(angle)], labels


PATTERNS: dict[str, Callable] = {"circle": circle, "xor": xor, "gaussian": gaussian, "spiral": spiral}

GATES: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "AND": np.logical_and,
    "OR": np.logical_or,
    "XOR": np.logical_xor,
}


def _points_dataset(name: str, points: np.ndarray, labels: np.ndarray, location: str) -> Dataset:
    features = pd.DataFrame({"x1": points[:, 0], "x2": points[:, 1]})
    classes = ("0", "1")
    labels = labels.astype(np.int64)
    provenance = Provenance(
        source="generator", location=location, sha256=content_sha256(features, labels, classes), rows=len(labels)
    )
    return Dataset(name, "tabular", features, labels, classes, {"x1": "numeric", "x2": "numeric"}, provenance)


@register_dataset(
    "toy2d",
    kind="tabular",
    title="Toy 2-D patterns",
    description="Circle, XOR, Gaussian and spiral point clouds for the playground.",
    sources=("auto", "synthetic"),
    options=(
        Option("pattern", "circle", "which point cloud", choices=tuple(PATTERNS)),
        Option("noise", 0.1, "jitter added to each point, as a fraction of the radius", minimum=0.0, maximum=1.0),
    ),
    default_rows=500,
    max_rows=200_000,
)
class Toy2DLoader(DatasetLoader):
    def load(self, request: LoadRequest, progress: Progress) -> Dataset:
        pattern, noise = request.option("pattern", self), request.option("noise", self)
        rows = request.rows or self.default_rows
        rng = np.random.default_rng(request.seed)
        points, labels = PATTERNS[pattern](rows, noise, rng)
        points = points + rng.normal(0, noise * RADIUS / 3, points.shape)
        return _points_dataset(self.name, points, labels, f"{pattern}, noise {noise}, seed {request.seed}")


@register_dataset(
    "logic",
    kind="tabular",
    title="Logic gates",
    description="The truth table of AND, OR or XOR, repeated (with optional jitter) to the chosen size.",
    sources=("auto", "synthetic"),
    options=(
        Option("gate", "XOR", "which gate", choices=tuple(GATES)),
        Option("noise", 0.0, "standard deviation of jitter added to the 0/1 inputs", minimum=0.0, maximum=0.5),
    ),
    default_rows=100,
    max_rows=100_000,
)
class LogicGateLoader(DatasetLoader):
    def load(self, request: LoadRequest, progress: Progress) -> Dataset:
        gate, noise = request.option("gate", self), request.option("noise", self)
        rows = request.rows or self.default_rows
        rng = np.random.default_rng(request.seed)
        corner = rng.permutation(np.arange(rows) % 4)  # every input pair equally often
        inputs = np.c_[corner // 2, corner % 2].astype(float)
        labels = GATES[gate](inputs[:, 0] > 0, inputs[:, 1] > 0)
        points = inputs + rng.normal(0, noise, inputs.shape) if noise else inputs
        return _points_dataset(self.name, points, labels, f"{gate} gate, noise {noise}, seed {request.seed}")
