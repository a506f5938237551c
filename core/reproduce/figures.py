"""A study's published figure, and how Trainboard measures the same figure on its own run.

Each figure names what it measures (a key of MEASURES), the value the study printed, the epoch it belongs to
where it is per epoch, and whether the two numbers compare: a figure the study measured on a GPU, on other data
or on other rows says so (`unlike`) instead of being set beside ours as if they did.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    metric: str  # a key of MEASURES
    value: float  # as the study printed it
    epoch: int | None = None  # the epoch it belongs to (1-based), for per-epoch figures
    unlike: str = ""  # how the study's conditions differ from ours ("on a GPU", "on the real table"); "" if alike
    note: str = ""  # what else a reader should know to read it

    @property
    def comparable(self) -> bool:
        return not self.unlike

    @property
    def label(self) -> str:
        what = MEASURES[self.metric].label
        return f"{what} at epoch {self.epoch}" if self.epoch is not None else what


@dataclass(frozen=True)
class RunView:
    """What a measure reads of a finished run: its metrics, timings and per-epoch history (rows of the trainer's
    history: loss, accuracy, val_accuracy, lr, ...), or an exercise's own result."""

    metrics: dict
    timings: dict
    history: list[dict]


@dataclass(frozen=True)
class Measure:
    label: str
    read: Callable[[RunView, int | None], float | None]
    relative: bool  # compare as a ratio (times, speeds, huge losses); else as a difference (shares, rates)
    unit: str = ""


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _test(key: str) -> Callable[[RunView, int | None], float | None]:
    return lambda view, epoch: _number(((view.metrics or {}).get("test") or {}).get(key))


def _per_epoch(key: str) -> Callable[[RunView, int | None], float | None]:
    """The value in history row `epoch` (1-based); the last epoch's when none is named."""

    def read(view: RunView, epoch: int | None) -> float | None:
        rows = view.history or []
        if not rows:
            return None
        if epoch is None:
            return _number(rows[-1].get(key))
        by_epoch = {row.get("epoch", i): row for i, row in enumerate(rows, start=1)}
        return _number((by_epoch.get(epoch) or {}).get(key))

    return read


def _peak(key: str) -> Callable[[RunView, int | None], float | None]:
    """The largest value any epoch reached (an exploding loss: how far it went)."""

    def read(view: RunView, epoch: int | None) -> float | None:
        values = [v for v in (_number(row.get(key)) for row in view.history or []) if v is not None]
        return max(values, default=None)

    return read


def _timing(key: str) -> Callable[[RunView, int | None], float | None]:
    return lambda view, epoch: _number((view.timings or {}).get(key))


MEASURES: dict[str, Measure] = {
    "test_accuracy": Measure("test accuracy", _test("accuracy"), relative=False),
    "train_loss": Measure("training loss", _per_epoch("loss"), relative=True),
    "peak_train_loss": Measure("highest training loss of an epoch", _peak("loss"), relative=True),
    "val_accuracy": Measure("validation accuracy", _per_epoch("val_accuracy"), relative=False),
    "lr": Measure("learning rate", _per_epoch("lr"), relative=False),
    "fit_seconds": Measure("training time", _timing("fit_seconds"), relative=True, unit="s"),
    "examples_per_second": Measure(
        "training examples/s", _timing("train_examples_per_second"), relative=True, unit="examples/s"
    ),
    "epochs_run": Measure("epochs trained", _timing("epochs_run"), relative=False),
    # Exercises (the Playground and the logbook's spreadsheet gates) report these in their own result.
    "test_loss": Measure("test loss", lambda view, epoch: _number((view.metrics or {}).get("test_loss")), True),
    "first_below": Measure(
        "first epoch below the threshold", lambda view, epoch: _number((view.metrics or {}).get("first_below")), False
    ),
}


def measure(figure: Figure, view: RunView) -> float | None:
    return MEASURES[figure.metric].read(view, figure.epoch)


def set_beside(figure: Figure, ours: float | None) -> str:
    """How ours reads against the published value: 'x0.42' for times, speeds and losses, '+0.0123' for shares,
    rates and epochs; '' when either is missing."""
    if ours is None:
        return ""
    if MEASURES[figure.metric].relative:
        return f"x{ours / figure.value:.3g}" if figure.value else ""
    difference = ours - figure.value
    return f"{difference:+.4g}"
