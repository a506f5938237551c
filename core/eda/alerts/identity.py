"""Alerts on what a column is rather than what it holds: an identifier, or dates stored as text."""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np
import pandas as pd

from core.eda.alerts.base import Alert, Context, check, make_alert

_DATE_SHAPE = re.compile(  # 2013-01-31, 01/31/2013, 31.01.13, 31 Jan 2013, January 31, 2013; a time may follow
    r"^\s*(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{1,2}[ -][A-Za-z]{3,9}\.?[ -]\d{2,4}"
    r"|[A-Za-z]{3,9}\.? \d{1,2},? \d{4})([T ]\S.*)?\s*$"
)


@check("identifier", "warning", "Drop {column}: a model can only memorise an id, which says nothing about new rows.")
def _identifier(context: Context) -> Iterator[Alert]:
    for c in context.features:
        if c in context.identifiers:
            p = context.profiles[c]
            ratio = p.unique / p.count
            message = f"{c} looks like an identifier: {p.unique:,} distinct values in {p.count:,} rows ({ratio:.1%})"
            yield make_alert("identifier", (c,), ratio, message)


@check(
    "dates_as_text",
    "warning",
    "Parse {column} (pd.to_datetime with an explicit format) and derive year, month, weekday...: "
    "as text, every date is a category of its own.",
)
def _dates_as_text(context: Context) -> Iterator[Alert]:
    rng = np.random.default_rng(context.limits.seed)
    for c in context.features:
        if context.kinds[c] != "categorical" or not pd.api.types.is_string_dtype(context.frame[c].dtype):
            continue
        present = np.flatnonzero(context.codes(c) >= 0)
        if len(present) > context.limits.dates_sample:
            present = np.sort(rng.choice(present, context.limits.dates_sample, replace=False))
        text = context.frame[c].iloc[present].astype("str")
        shaped = text[text.str.match(_DATE_SHAPE)]
        share = pd.to_datetime(shaped, errors="coerce", format="mixed").notna().sum() / max(len(text), 1)
        if len(text) and share >= context.limits.dates_as_text:
            message = (
                f"{c} holds dates as text ({share:.0%} of {len(text):,} sampled values parse as dates, "
                f"e.g. '{shaped.iloc[0]}')"
            )
            yield make_alert("dates_as_text", (c,), share, message)
