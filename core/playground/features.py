"""The inputs a Playground network may see: the point's coordinates and simple functions of them.

Giving the network x1² and x2² makes a circle linearly separable; sin(x1) and sin(x2) help on the spiral.
That trade (hand-made features against hidden neurons) is one of the Playground's lessons.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.errors import TrainboardError


@dataclass(frozen=True)
class Feature:
    name: str  # as written on the command line and in the URL
    label: str  # as shown on the page
    plain: str  # in plain ASCII, for pictures drawn with a font that may lack sub- and superscripts
    compute: Callable[[np.ndarray, np.ndarray], np.ndarray]


FEATURES: dict[str, Feature] = {
    feature.name: feature
    for feature in (
        Feature("x1", "x₁", "x1", lambda x1, x2: x1),
        Feature("x2", "x₂", "x2", lambda x1, x2: x2),
        Feature("x1_sq", "x₁²", "x1^2", lambda x1, x2: x1 * x1),
        Feature("x2_sq", "x₂²", "x2^2", lambda x1, x2: x2 * x2),
        Feature("x1x2", "x₁·x₂", "x1*x2", lambda x1, x2: x1 * x2),
        Feature("sin_x1", "sin(x₁)", "sin(x1)", lambda x1, x2: np.sin(x1)),
        Feature("sin_x2", "sin(x₂)", "sin(x2)", lambda x1, x2: np.sin(x2)),
    )
}
DEFAULT_FEATURES = ("x1", "x2")


def check_features(names) -> tuple[str, ...]:
    """`names` in FEATURES order, each known and at least one; TrainboardError naming the field otherwise."""
    names = tuple(dict.fromkeys(str(name).strip() for name in names if str(name).strip()))
    unknown = [name for name in names if name not in FEATURES]
    if unknown:
        raise TrainboardError(f"features: {', '.join(unknown)} not one of {', '.join(FEATURES)}")
    if not names:
        raise TrainboardError("features: select at least one input feature (x1, x2, ...) for the network to see")
    return tuple(name for name in FEATURES if name in names)


def feature_matrix(points: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    """N x len(names) inputs (float64) for N points (N x 2)."""
    x1, x2 = points[:, 0], points[:, 1]
    return np.column_stack([FEATURES[name].compute(x1, x2) for name in names]).astype(np.float64)
