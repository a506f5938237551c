"""A reproduction's published figures beside Trainboard's: one row per figure, with the ratio or difference,
and a plain statement where the two were measured under different conditions."""

from __future__ import annotations

from core.reproduce.figures import MEASURES, Figure, RunView, measure, set_beside
from core.reproduce.registry import Reproduction

# What ours alone shows when the study quoted nothing for a reproduction.
HEADLINE = ("test_accuracy", "train_loss", "fit_seconds", "examples_per_second", "test_loss", "first_below")


def view_of(record, store) -> RunView:
    """The RunView of a stored run: its metrics, timings and per-epoch history (none for classical runs)."""
    from core.training.callbacks.history import read_history

    history = read_history(store.artifacts_dir(record.id)) if record.family != "classical" else []
    return RunView(metrics=record.metrics or {}, timings=record.timings or {}, history=history)


def side_by_side(reproduction: Reproduction, view: RunView | None) -> list[dict]:
    """Rows {figure, published, ours, versus, conditions}; `view` None before any run (ours empty). Without
    published figures, ours alone for the headline measures the run has."""
    rows = [_row(figure, view) for figure in reproduction.figures]
    if not reproduction.figures and view is not None:
        for metric in HEADLINE:
            ours = measure(Figure(metric, 0.0), view)
            if ours is not None:
                rows.append(
                    {
                        "figure": MEASURES[metric].label,
                        "published": None,
                        "ours": ours,
                        "versus": "",
                        "conditions": "the study quotes no figure for this",
                    }
                )
    return rows


def _row(figure: Figure, view: RunView | None) -> dict:
    ours = measure(figure, view) if view is not None else None
    conditions = f"not comparable: {figure.unlike}" if figure.unlike else "alike"
    if figure.note:
        conditions += f"; {figure.note}"
    return {
        "figure": figure.label,
        "published": figure.value,
        "ours": ours,
        "versus": set_beside(figure, ours) if figure.comparable else "",
        "conditions": conditions,
    }
