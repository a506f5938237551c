"""Alerts on the target: an imbalanced one, classes too rare for training's split, a quantity where
training needs classes. None of them stops exploring; they say what training will need."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from core.eda.alerts.base import Alert, Context, check, make_alert


def _class_counts(context: Context) -> tuple[np.ndarray, object] | None:
    """(rows per class, class values) of a target explored as classes; None without one."""
    if context.target is None or context.kinds[context.target] not in ("categorical", "boolean"):
        return None
    codes, uniques = context.factorized(context.target)
    return np.bincount(codes[codes >= 0], minlength=len(uniques)), uniques


@check(
    "imbalanced_target",
    "warning",
    "Keep the split stratified, judge models by balanced accuracy or macro F1, and consider class "
    "weights or resampling the training rows.",
)
def _imbalanced_target(context: Context) -> Iterator[Alert]:
    classes = _class_counts(context)
    if classes is None or len(classes[0]) < 2:
        return
    counts, uniques = classes
    small, large = int(np.argmin(counts)), int(np.argmax(counts))
    ratio = counts[small] / counts[large]
    if ratio < context.limits.imbalanced:
        smallest = int(counts[small])
        rows = f"{smallest:,} row{'s' * (smallest != 1)}"
        message = (
            f"{context.target} is imbalanced: its smallest class '{uniques[small]}' has {rows}, "
            f"{ratio:.3f} times its largest '{uniques[large]}' ({counts[large]:,})"
        )
        yield make_alert("imbalanced_target", (context.target,), ratio, message)


@check(
    "rare_classes",
    "warning",
    "Exploring needs nothing more, but training's stratified split does: merge the rare classes of {column} "
    "into 'other' (preprocess spec 'merge_rare_under') or drop them ('drop_classes').",
)
def _rare_classes(context: Context) -> Iterator[Alert]:
    classes = _class_counts(context)
    if classes is None:
        return
    counts, uniques = classes
    minimum = context.limits.rare_class
    rare = [(str(uniques[i]), int(counts[i])) for i in np.argsort(counts, kind="stable") if counts[i] < minimum]
    if rare:
        shown = ", ".join(f"'{name}' ({n} row{'s' * (n != 1)})" for name, n in rare[:8])
        more = f" and {len(rare) - 8} more" if len(rare) > 8 else ""
        message = (
            f"{context.target} has {len(rare)} class{'es' * (len(rare) != 1)} with fewer than {minimum} rows: "
            f"{shown}{more}"
        )
        yield make_alert("rare_classes", (context.target,), len(rare), message)


@check(
    "continuous_target",
    "info",
    "Training classifies: bin {column} into classes first (a derived target, 'derived_target' in the "
    "preprocess spec); as it is, every distinct number would be a class of its own.",
)
def _continuous_target(context: Context) -> Iterator[Alert]:
    if context.target is None or context.kinds[context.target] != "numeric":
        return
    unique = context.profiles[context.target].unique
    message = f"{context.target} is a quantity ({unique:,} distinct numbers), explored as one"
    yield make_alert("continuous_target", (context.target,), unique, message)
