"""Every Playground control as one frozen value, checked, and its URL form (so a link reproduces a setup)."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace

from core.errors import TrainboardError
from core.playground.data import EXTERNAL, PATTERNS, PROBLEMS
from core.playground.features import DEFAULT_FEATURES, check_features

ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")  # the Playground's four
REGULARIZATIONS = ("none", "l1", "l2")
# The Playground's menus: learning rates and regularisation rates a learner picks from.
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATION_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
MAX_LAYERS, MAX_NEURONS = 6, 8


@dataclass(frozen=True)
class Setup:
    dataset: str = "circle"
    problem: str = "classification"
    noise: int = 0  # percent, 0-50
    train_ratio: int = 50  # percent of the points that train, 10-90
    batch_size: int = 10
    data_seed: int = 0  # Regenerate draws new points: the next seed
    features: tuple[str, ...] = DEFAULT_FEATURES
    hidden: tuple[int, ...] = (4, 4)  # neurons per hidden layer
    activations: tuple[str, ...] = ("tanh", "tanh")  # one per hidden layer
    lr: float = 0.03
    regularization: str = "none"
    regularization_rate: float = 0.0
    dropout: float = 0.0  # of every hidden layer's units, in training
    residual: bool = False  # a skip connection around every hidden layer
    weight_seed: int = 0  # Reset draws new starting weights: the next seed
    show_test: bool = False
    discretize: bool = False
    source: str = ""  # csv: the file's path; real: "DATASET|CLASS_A,CLASS_B|COLUMN_1,COLUMN_2" (columns optional)

    def checked(self) -> Setup:
        """This setup with features in order, activations one per layer and a generated set's own problem type;
        TrainboardError naming the field."""
        if self.dataset not in PATTERNS and self.dataset not in EXTERNAL:
            raise TrainboardError(f"dataset {self.dataset!r} is not one of {', '.join([*PATTERNS, *EXTERNAL])}")
        if self.problem not in PROBLEMS:
            raise TrainboardError(f"problem {self.problem!r} is not one of {', '.join(PROBLEMS)}")
        _in_range("noise", self.noise, 0, 50)
        _in_range("train ratio", self.train_ratio, 10, 90)
        _in_range("batch size", self.batch_size, 1, 30)
        _in_range("learning rate", self.lr, LEARNING_RATES[0], LEARNING_RATES[-1])
        _in_range("regularization rate", self.regularization_rate, 0, REGULARIZATION_RATES[-1])
        _in_range("dropout", self.dropout, 0, 0.9)
        if self.regularization not in REGULARIZATIONS:
            raise TrainboardError(f"regularization {self.regularization!r} is not one of {', '.join(REGULARIZATIONS)}")
        if len(self.hidden) > MAX_LAYERS:
            raise TrainboardError(f"hidden layers: {len(self.hidden)}; at most {MAX_LAYERS}")
        for number, size in enumerate(self.hidden, 1):
            _in_range(f"hidden layer {number}", size, 1, MAX_NEURONS)
        activations = tuple(self.activations[: len(self.hidden)])
        activations += (activations[-1] if activations else "tanh",) * (len(self.hidden) - len(activations))
        for name in activations:
            if name not in ACTIVATIONS:
                raise TrainboardError(f"activation {name!r} is not one of {', '.join(ACTIVATIONS)}")
        # A generated set knows its problem (the page's problem menu picks among the sets); a CSV is either.
        problem = PATTERNS[self.dataset].problem if self.dataset in PATTERNS else self.problem
        return replace(self, problem=problem, features=check_features(self.features), activations=activations)

    @property
    def neurons(self) -> int:
        """Hidden neurons in all: what the challenges count."""
        return sum(self.hidden)

    # --- the URL: every field as text; a link opened later gives the same setup
    def to_query(self) -> dict[str, str]:
        return {f.name: _text(getattr(self, f.name)) for f in fields(self) if getattr(self, f.name) != f.default}

    @classmethod
    def from_query(cls, query: dict[str, str]) -> tuple[Setup, list[str]]:
        """The setup a URL's parameters describe, and one line per parameter that could not be used (each then
        keeps its default), so a mistyped link still opens the page."""
        setup, problems = cls(), []
        for f in fields(cls):
            if f.name not in query:
                continue
            try:
                setup = replace(setup, **{f.name: _parse(f.default, str(query[f.name]))}).checked()
            except (TrainboardError, ValueError) as err:
                problems.append(f"link parameter {f.name}={query[f.name]!r} not used: {err}")
        return setup, problems


def _in_range(field: str, value: float, low: float, high: float) -> None:
    if not (isinstance(value, int | float) and math.isfinite(value) and low <= value <= high):
        raise TrainboardError(f"{field} {value}: must be between {low:g} and {high:g}")


def _text(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, tuple):
        return ",".join(map(str, value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def _parse(default, text: str):
    if isinstance(default, bool):
        if text not in ("0", "1", "true", "false"):
            raise ValueError("not 0 or 1")
        return text in ("1", "true")
    if isinstance(default, tuple):
        items = [item.strip() for item in text.split(",") if item.strip()]
        return tuple(int(item) for item in items) if default and isinstance(default[0], int) else tuple(items)
    if isinstance(default, int):
        return int(text)
    if isinstance(default, float):
        return float(text)
    return text
