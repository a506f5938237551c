"""Alerts on pairs of features that say the same thing, whatever their kinds: Spearman's rho for two
numbers (so a column and its logarithm count as one), Cramér's V for two categories, the correlation
ratio eta for a number and a category (an interest rate and its letter grade). Each is computed on the
rows where both values are present, exactly, on all rows."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

import numpy as np
import pandas as pd

from core.eda.alerts.base import Alert, Context, check, make_alert
from core.eda.values import numeric_values

MEASURES = {"numeric": "Spearman rho", "categorical": "Cramér's V", "mixed": "correlation ratio eta"}


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rho of two float arrays (NaN: missing) over the rows where both are present: Pearson's r
    of their average ranks, as scipy.stats.spearmanr. NaN when either is constant there."""
    return _spearman(pd.factorize(a), pd.factorize(b))


def _spearman(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> float:
    """`spearman` from each column's (codes, distinct values): ranks come from counting, not sorting rows."""
    both = (a[0] >= 0) & (b[0] >= 0)
    return _pearson(_average_ranks(a[0][both], a[1]), _average_ranks(b[0][both], b[1]))


def _average_ranks(codes: np.ndarray, uniques: np.ndarray) -> np.ndarray:
    """The 1-based average rank of each row's value (ties share the mean of their ranks), from its code."""
    order = np.argsort(uniques, kind="stable")
    counts = np.bincount(codes, minlength=len(uniques))[order]
    rank_of_code = np.empty(len(uniques))
    rank_of_code[order] = np.cumsum(counts) - (counts - 1) / 2
    return rank_of_code[codes]


def cramers_v(a: np.ndarray, b: np.ndarray) -> float:
    """Cramér's V (no continuity correction, as scipy's association(method="cramer")) of two code arrays
    (-1: missing) over the rows where both are present. NaN when either has a single value there."""
    both = (a >= 0) & (b >= 0)
    a, b = _recode(a[both]), _recode(b[both])
    rows, cols = int(a.max(initial=-1)) + 1, int(b.max(initial=-1)) + 1
    if min(rows, cols) < 2:
        return float("nan")
    table = np.bincount(a * cols + b, minlength=rows * cols).reshape(rows, cols).astype(np.float64)
    n = table.sum()
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / n
    chi2 = float(((table - expected) ** 2 / expected).sum())
    return (chi2 / (n * (min(rows, cols) - 1))) ** 0.5


def correlation_ratio(codes: np.ndarray, values: np.ndarray) -> float:
    """The correlation ratio eta of a number on a category: sqrt(between-group / total sum of squares),
    over the rows where both are present (codes -1 and NaN values are missing). 0 when the category says
    nothing about the number, 1 when it fixes it; NaN when the number is constant or there is one group."""
    both = (codes >= 0) & ~np.isnan(values)
    codes, values = _recode(codes[both]), values[both]
    if codes.max(initial=-1) < 1:
        return float("nan")
    mean = values.mean()
    total = float(((values - mean) ** 2).sum())
    counts = np.bincount(codes)
    group_means = np.bincount(codes, weights=values) / counts
    between = float((counts * (group_means - mean) ** 2).sum())
    return (between / total) ** 0.5 if total > 0 else float("nan")


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    x, y = x - x.mean(), y - y.mean()
    scale = float(np.sqrt((x @ x) * (y @ y)))
    return float(x @ y) / scale if scale > 0 else float("nan")


def _recode(codes: np.ndarray) -> np.ndarray:
    """Codes renumbered 0.. over the values present."""
    present = np.bincount(codes, minlength=1) > 0 if len(codes) else np.zeros(0, bool)
    return (np.cumsum(present) - 1)[codes] if len(codes) else codes


@check(
    "correlated", "info", "Keep one of them (e.g. drop {other}): the second adds little and unsettles linear models."
)
def _correlated(context: Context) -> Iterator[Alert]:
    numbers = context.of_kind("numeric")
    categories = [  # V and eta grow with the number of levels whatever the tie; many-valued ones are left out
        c
        for c in context.of_kind("categorical") + context.of_kind("boolean")
        if context.profiles[c].unique <= context.limits.high_cardinality
    ]
    values = {c: numeric_values(context.frame[c]) for c in numbers}
    coded = {c: pd.factorize(v) for c, v in values.items()}  # NaN is code -1
    chosen = set(numbers) | set(categories)
    for a, b in combinations([c for c in context.features if c in chosen], 2):
        if a in values and b in values:
            kind = "numeric"
            value = _spearman(coded[a], coded[b])
        elif a in values or b in values:
            kind = "mixed"
            number, category = (a, b) if a in values else (b, a)
            value = correlation_ratio(context.codes(category), values[number])
        else:
            kind = "categorical"
            value = cramers_v(context.codes(a), context.codes(b))
        if abs(value) >= context.limits.correlated:  # NaN (undefined) compares False
            message = f"{a} and {b} say nearly the same thing ({MEASURES[kind]} = {value:.3f})"
            yield make_alert("correlated", (a, b), abs(value), message)
