"""Alerts on missing values."""

from __future__ import annotations

from collections.abc import Iterator

from core.eda.alerts.base import Alert, Context, check, make_alert


@check(
    "mostly_missing",
    "warning",
    "Drop {column}, or impute it and keep a 'was missing' indicator; check whether missing means something.",
)
def _mostly_missing(context: Context) -> Iterator[Alert]:
    for c in context.features:
        share = context.profiles[c].missing_pct / 100
        if share > context.limits.mostly_missing:
            yield make_alert("mostly_missing", (c,), share, f"{c} is missing in {share:.1%} of rows")
