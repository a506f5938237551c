"""Alerts on what a column is rather than what it holds: dates stored as text (parse them), or an
identifier (drop it). A column of dates is never called an identifier, however many values it has."""

from __future__ import annotations

from collections.abc import Iterator

from core.eda.alerts.base import Alert, Context, check, make_alert


@check(
    "dates_as_text",
    "warning",
    "Parse {column} (pd.to_datetime with an explicit format) and derive year, month, weekday...: "
    "as text, every date is a category of its own.",
    settles=True,
)
def _dates_as_text(context: Context) -> Iterator[Alert]:
    for c, (share, example, sampled) in context.text_dates.items():
        message = (
            f"{c} holds dates as text ({share:.0%} of {sampled:,} sampled values parse as dates, e.g. '{example}')"
        )
        yield make_alert("dates_as_text", (c,), share, message)


@check(
    "identifier",
    "warning",
    "Drop {column}: a model can only memorise an id, which says nothing about new rows.",
    settles=True,
)
def _identifier(context: Context) -> Iterator[Alert]:
    for c in context.features:
        if c in context.identifiers:
            p = context.profiles[c]
            ratio = p.unique / p.count
            message = f"{c} looks like an identifier: {p.unique:,} distinct values in {p.count:,} rows ({ratio:.1%})"
            yield make_alert("identifier", (c,), ratio, message)
