"""Alerts on missing values: every feature missing in a noticeable share of rows, with that share."""

from __future__ import annotations

from collections.abc import Iterator

from core.eda.alerts.base import Alert, Context, advise, check, make_alert

advise(
    "mostly_missing",
    "warning",
    "Drop {column}, or impute it and keep a 'was missing' indicator; check whether missing means something.",
    settles=True,
)


@check(
    "missing",
    "info",
    "Impute {column} (median or most frequent value, fitted on the training rows) and keep a 'was missing' "
    "indicator; check whether missing means something.",
)
def _missing(context: Context) -> Iterator[Alert]:
    limits = context.limits
    for c in context.features:
        p = context.profiles[c]
        share = p.missing / (p.missing + p.count) if p.missing else 0.0
        if share >= limits.missing:
            advice = "mostly_missing" if share > limits.mostly_missing else ""
            yield make_alert("missing", (c,), share, f"{c} is missing in {share:.1%} of rows", advice=advice)
