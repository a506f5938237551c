"""Alerts on pairs of columns that say the same thing."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

import pandas as pd

from core.eda.alerts.base import Alert, Context, check, make_alert
from core.eda.profile import numeric_values


@check(
    "correlated", "info", "Keep one of them (e.g. drop {other}): the second adds little and unsettles linear models."
)
def _correlated(context: Context) -> Iterator[Alert]:
    columns = context.of_kind("numeric")
    matrix = pd.DataFrame({i: numeric_values(context.frame[c]) for i, c in enumerate(columns)}).corr().to_numpy()
    for i, j in combinations(range(len(columns)), 2):
        r = matrix[i, j]
        if abs(r) >= context.limits.correlated:  # NaN (no overlapping rows) compares False
            a, b = columns[i], columns[j]
            yield make_alert("correlated", (a, b), abs(r), f"{a} and {b} are correlated (Pearson r = {r:.4f})")
