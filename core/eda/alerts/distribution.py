"""Alerts on how a feature's values are spread: a constant column, a categorical with too many values,
a skewed number."""

from __future__ import annotations

from collections.abc import Iterator

from core.eda.alerts.base import Alert, Context, check, make_alert
from core.eda.profile import format_value


@check("constant", "warning", "Drop {column}: a column that never changes cannot help a model.", settles=True)
def _constant(context: Context) -> Iterator[Alert]:
    for c in context.features:
        p = context.profiles[c]
        if p.unique == 1:
            value = p.first if p.kind == "datetime" else format_value(p.mode)
            yield make_alert("constant", (c,), 1, f"{c} has a single value ({value}) wherever it is present")


@check(
    "high_cardinality",
    "info",
    "One-hot encoding would add a column per value: group rare values of {column} into 'other', "
    "use frequency or target encoding, or drop it.",
)
def _high_cardinality(context: Context) -> Iterator[Alert]:
    for c in context.of_kind("categorical"):
        unique = context.profiles[c].unique
        if unique > context.limits.high_cardinality:
            yield make_alert("high_cardinality", (c,), unique, f"{c} has {unique:,} distinct values")


@check(
    "skewed",
    "info",
    "Log-transform {column} (log1p for counts) or use a power/quantile transform before linear models "
    "and neural networks; trees do not mind.",
)
def _skewed(context: Context) -> Iterator[Alert]:
    for c in context.of_kind("numeric"):
        skew = context.profiles[c].skew
        if skew is not None and abs(skew) > context.limits.skewed:
            yield make_alert("skewed", (c,), skew, f"{c} is skewed (skewness {skew:.2f})")
