"""The Playground's points: TensorFlow Playground's generators (src/dataset.ts, re-written with a seeded
NumPy generator), points above or below a curve, and the split into train and test.

Coordinates run from -6 to 6. A class label is +1 or -1 (the output unit is a tanh); a regression label lies
in about [-1, 1]. Noise is the Playground's 0-50 slider: a label is taken at a point moved by up to
noise/100 of the radius, so noise flips labels near the boundary instead of moving the points.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.errors import TrainboardError

N_POINTS = 500  # the Playground's sample size for classification
BOUNDS = (-6.0, 6.0)  # both axes
PROBLEMS = ("classification", "regression")


@dataclass(frozen=True)
class PointSet:
    """N points (N x 2) with a label each, and how to describe and draw them."""

    points: np.ndarray
    labels: np.ndarray
    problem: str
    description: str
    axis_names: tuple[str, str] = ("x₁", "x₂")


@dataclass(frozen=True)
class PlaygroundData:
    train_points: np.ndarray
    train_labels: np.ndarray
    test_points: np.ndarray
    test_labels: np.ndarray
    problem: str
    description: str
    axis_names: tuple[str, str] = ("x₁", "x₂")


Generator = Callable[[int, float, np.random.Generator], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class Pattern:
    name: str
    title: str
    problem: str
    generate: Generator


def _noisy(points: np.ndarray, noise: float, radius: float, rng: np.random.Generator) -> np.ndarray:
    """Where the label is read: each point moved by uniform(-radius, radius) * noise on each axis."""
    return points + rng.uniform(-radius, radius, points.shape) * noise


def _signs(condition: np.ndarray) -> np.ndarray:
    return np.where(condition, 1.0, -1.0)


def circle(n, noise, rng):
    radius, half = 5.0, n // 2
    r = np.r_[rng.uniform(0, radius * 0.5, half), rng.uniform(radius * 0.7, radius, n - half)]
    angle = rng.uniform(0, 2 * np.pi, n)
    points = np.c_[r * np.sin(angle), r * np.cos(angle)]
    return points, _signs(np.hypot(*_noisy(points, noise, radius, rng).T) < radius * 0.5)


def xor(n, noise, rng):
    points = rng.uniform(-5, 5, (n, 2))
    points += np.where(points > 0, 0.3, -0.3)  # a margin around the axes
    noisy = _noisy(points, noise, 5.0, rng)
    return points, _signs(noisy[:, 0] * noisy[:, 1] >= 0)


def gaussian(n, noise, rng):
    std = np.sqrt(0.5 + 3.5 * noise / 0.5)  # the Playground maps noise 0-0.5 to a variance of 0.5-4
    half = n // 2
    points = np.r_[rng.normal(2, std, (half, 2)), rng.normal(-2, std, (n - half, 2))]
    return points, np.r_[np.ones(half), -np.ones(n - half)]


def spiral(n, noise, rng):
    half = n // 2
    parts, labels = [], []
    for delta, label, count in ((0.0, 1.0, half), (np.pi, -1.0, n - half)):
        i = np.arange(count) / count
        r, t = i * 5, 1.75 * i * 2 * np.pi + delta
        parts.append(np.c_[r * np.sin(t), r * np.cos(t)] + rng.uniform(-1, 1, (count, 2)) * noise)
        labels.append(np.full(count, label))
    return np.concatenate(parts), np.concatenate(labels)


def _above(curve: Callable[[np.ndarray], np.ndarray]) -> Generator:
    """Class +1 above y = curve(x), -1 below, for points uniform over the plane."""

    def generate(n, noise, rng):
        points = rng.uniform(*BOUNDS, (n, 2))
        noisy = _noisy(points, noise, 6.0, rng)
        return points, _signs(noisy[:, 1] > curve(noisy[:, 0]))

    return generate


def plane(n, noise, rng):
    points = rng.uniform(*BOUNDS, (n, 2))
    noisy = _noisy(points, noise, 6.0, rng)
    return points, (noisy[:, 0] + noisy[:, 1]) / 10


# (centre x, centre y, sign): six bumps of height +-1 that fall to 0 two units from their centre.
GAUSSIANS = np.array([(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)])


def multi_gaussian(n, noise, rng):
    points = rng.uniform(*BOUNDS, (n, 2))
    noisy = _noisy(points, noise, 6.0, rng)
    distance = np.hypot(noisy[:, None, 0] - GAUSSIANS[:, 0], noisy[:, None, 1] - GAUSSIANS[:, 1])
    bumps = GAUSSIANS[:, 2] * np.clip(1 - distance / 2, 0, 1)  # N x 6
    return points, bumps[np.arange(n), np.abs(bumps).argmax(axis=1)]  # the bump largest in size wins


PATTERNS: dict[str, Pattern] = {
    p.name: p
    for p in (
        Pattern("circle", "Circle", "classification", circle),
        Pattern("xor", "Exclusive or", "classification", xor),
        Pattern("gaussian", "Two gaussians", "classification", gaussian),
        Pattern("spiral", "Spiral", "classification", spiral),
        Pattern("sine", "Above or below y = sin x", "classification", _above(np.sin)),
        Pattern("cubic", "Above or below y = x³/25 − x", "classification", _above(lambda x: x**3 / 25 - x)),
        Pattern("abs", "Above or below y = |x| − 3", "classification", _above(lambda x: np.abs(x) - 3)),
        Pattern("plane", "Plane (x₁ + x₂) / 10", "regression", plane),
        Pattern("multi_gaussian", "Six gaussian bumps", "regression", multi_gaussian),
    )
}
# Not generated: the page (or the CLI) brings the points. See real_data.py.
EXTERNAL = {"csv": "Your CSV file", "real": "Real data (the loaded dataset)"}


def patterns_for(problem: str) -> list[str]:
    return [name for name, pattern in PATTERNS.items() if pattern.problem == problem]


def generate(name: str, noise: int, seed: int, n: int = N_POINTS) -> PointSet:
    """N seeded points of pattern `name` with noise 0-50 (the Playground's percent)."""
    if name not in PATTERNS:
        raise TrainboardError(f"dataset {name!r} is not one of {', '.join(PATTERNS)} (or csv, real)")
    if not 0 <= noise <= 50:
        raise TrainboardError(f"noise {noise}: must be 0-50")
    pattern = PATTERNS[name]
    points, labels = pattern.generate(n, noise / 100, np.random.default_rng(seed))
    return PointSet(points, labels.astype(np.float64), pattern.problem, f"{pattern.title}, noise {noise}, seed {seed}")


def split(points: PointSet, train_ratio: int, seed: int) -> PlaygroundData:
    """Shuffle (seeded) and cut: the first train_ratio percent train, the rest test, as the Playground does."""
    if not 10 <= train_ratio <= 90:
        raise TrainboardError(f"train ratio {train_ratio}%: must be 10-90")
    order = np.random.default_rng(seed + 1).permutation(len(points.labels))
    n_train = max(1, min(len(order) - 1, round(len(order) * train_ratio / 100)))
    train, test = order[:n_train], order[n_train:]
    return PlaygroundData(
        points.points[train],
        points.labels[train],
        points.points[test],
        points.labels[test],
        points.problem,
        points.description,
        points.axis_names,
    )
