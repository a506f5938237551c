"""Leakage checks, which no common profiler has: a feature that alone predicts the target, a column
recorded after the event, and rows shared by train and test."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import permutations

import numpy as np

from core.eda.alerts.base import Alert, Context, advise, check, make_alert, percent
from core.eda.values import datetime_values, numeric_values

# Words in a column's name that say it is filled in after the event (a report, a closure, an outcome).
AFTER_EVENT_WORDS = frozenset(
    "reported rptd closed closure resolved resolution outcome outcomes discharge discharged disposition "
    "settled settlement result results final".split()
)


@check(
    "leak_single_feature",
    "leakage",
    "The target is (almost) a function of {column}: if it is derived from {column}, or {column} is "
    "recorded with or after the outcome, drop {column}; keep it only if it is truly known when you predict.",
    settles=True,
)
def _leak_single_feature(context: Context) -> Iterator[Alert]:
    if context.target is None or context.kinds[context.target] not in ("categorical", "boolean"):
        return  # a quantity is not predicted class by class
    target = context.codes(context.target)
    train, test = (rows[target[rows] >= 0] for rows in context.partition)
    classes = int(target.max(initial=-1)) + 1
    if classes < 2 or not len(train) or not len(test):
        return
    majority = int(np.bincount(target[train], minlength=classes).argmax())
    baseline = float(np.mean(target[test] == majority))
    limits = context.limits
    for c in context.features:
        if c in context.identifiers or context.profiles[c].unique < 2:
            continue
        values = _leak_codes(context, c, train)
        accuracy = _majority_rule_accuracy(values, target, train, test, classes, majority)
        if accuracy >= limits.leak_accuracy and 1 - accuracy <= limits.leak_error_ratio * (1 - baseline):
            message = f"{c} alone predicts {context.target} with {accuracy:.1%} accuracy (baseline {baseline:.1%})"
            yield make_alert("leak_single_feature", (c,), accuracy, message)


def _leak_codes(context: Context, column, train: np.ndarray) -> np.ndarray:
    """Codes 0.. of the column's values (0: missing); many-valued numbers and dates become quantile
    bins of the training rows."""
    limits = context.limits
    if context.kinds[column] in ("numeric", "datetime") and context.profiles[column].unique > limits.leak_bins:
        values = numeric_values(context.frame[column])
        learned = values[train]
        learned = learned[~np.isnan(learned)]
        if len(learned):
            edges = np.unique(np.quantile(learned, np.linspace(0, 1, limits.leak_bins + 1)))
            codes = np.searchsorted(edges[1:-1], values, side="right") + 1
            codes[np.isnan(values)] = 0
            return codes
    return context.codes(column) + 1


def _majority_rule_accuracy(
    values: np.ndarray, target: np.ndarray, train: np.ndarray, test: np.ndarray, classes: int, fallback: int
) -> float:
    """Accuracy on `test` of predicting, for each value, its most frequent class on `train` (the
    lowest class on ties; `fallback` for values never seen in training)."""
    pairs, counts = np.unique(values[train] * classes + target[train], return_counts=True)
    value, label = np.divmod(pairs, classes)
    order = np.lexsort((label, -counts, value))  # per value: most rows first, then the lowest class
    value, label = value[order], label[order]
    first = np.r_[True, value[1:] != value[:-1]]
    rule = np.full(int(values.max()) + 1, fallback)
    rule[value[first]] = label[first]
    return float(np.mean(rule[values[test]] == target[test]))


advise("leak_after_event_name", "warning", "Check when {column} becomes known; if only after the outcome, drop it.")


@check(
    "leak_after_event",
    "leakage",
    "Drop {column} and features built from it unless they are known when you predict; split by time "
    "(train on earlier {other}, test on later) rather than at random.",
    settles=True,
)
def _leak_after_event(context: Context) -> Iterator[Alert]:
    dates = [c for c in context.features if context.kinds[c] == "datetime"]
    moments = {c: datetime_values(context.frame[c]).to_numpy(dtype="datetime64[ns]") for c in dates}
    later = set()
    for a, b in permutations(dates, 2):
        both = ~np.isnat(moments[a]) & ~np.isnat(moments[b])
        first, second = moments[a][both], moments[b][both]
        share = float(np.mean(first >= second)) if both.any() else 0.0
        if share >= context.limits.after_event and np.any(first > second):
            later.add(a)
            message = (
                f"{a} is on or after {b} in {share:.1%} of rows (later in {np.mean(first > second):.1%}): "
                "it is recorded after the event"
            )
            yield make_alert("leak_after_event", (a,), share, message, other=b)
    for c in context.features:
        words = set(re.findall(r"[a-z]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", str(c)).lower())) & AFTER_EVENT_WORDS
        if words and c not in later:
            message = f"{c}: its name ({', '.join(sorted(words))}) says it may be recorded after the event"
            yield make_alert("leak_after_event", (c,), 1, message, advice="leak_after_event_name")


@check(
    "leak_train_test_duplicates",
    "leakage",
    "Deduplicate before splitting (or keep copies on one side, e.g. a group split): "
    "the test score rewards memorising those rows.",
)
def _leak_train_test_duplicates(context: Context) -> Iterator[Alert]:
    if context.split is None:
        return
    train, test = context.partition
    ids = context.feature_rows
    count = int(np.count_nonzero(np.isin(ids[test], ids[train])))
    if count:
        message = f"{count:,} test rows ({percent(count / len(test))}) repeat a training row's features exactly"
        yield make_alert("leak_train_test_duplicates", (), count, message)
