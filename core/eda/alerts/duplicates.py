"""Alerts on rows that repeat: exact copies anywhere in the table (copies across the train/test
split are leakage, in core/eda/alerts/leakage.py)."""

from __future__ import annotations

from collections.abc import Iterator

from core.eda.alerts.base import Alert, Context, check, make_alert, percent, row_ids


@check(
    "duplicate_rows",
    "warning",
    "Drop the copies (frame.drop_duplicates()) before splitting, unless repeats are real events: "
    "copies on both sides of a split inflate the test score.",
)
def _duplicate_rows(context: Context) -> Iterator[Alert]:
    ids = context.feature_rows
    if context.target is not None:
        ids = row_ids([ids, context.codes(context.target)], len(ids))
    copies = len(ids) - (int(ids.max()) + 1 if len(ids) else 0)
    if copies:
        message = f"{copies:,} rows ({percent(copies / len(ids))}) are exact copies of an earlier row"
        yield make_alert("duplicate_rows", (), copies, message)
