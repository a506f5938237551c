"""How the EDA reads one column's values: as numbers, as dates, as dates stored as text, as a
quantity. Pure pandas/numpy; the bottom of core/eda/ (everything else imports it)."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from core.datasets.dataset import CONTINUOUS_CLASSES

RARE_CLASS_ROWS = 3  # a class with fewer rows is rare (the stratified split's own minimum)

_DATE_SHAPE = re.compile(  # 2013-01-31, 01/31/2013, 31.01.13, 31 Jan 2013, January 31, 2013; a time may follow
    r"^\s*(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{1,2}[ -][A-Za-z]{3,9}\.?[ -]\d{2,4}"
    r"|[A-Za-z]{3,9}\.? \d{1,2},? \d{4})([T ]\S.*)?\s*$"
)


def numeric_values(series: pd.Series) -> np.ndarray:
    """The column as float64 with NaN for missing. Text is parsed; what cannot be read is missing.
    Datetimes become nanoseconds since 1970. (Integers beyond 2**53 lose their last digits.)"""
    dtype = series.dtype
    if pd.api.types.is_datetime64_any_dtype(dtype):
        values = datetime_values(series).to_numpy(dtype="datetime64[ns]")
        return np.where(np.isnat(values), np.nan, values.view(np.int64).astype(np.float64))
    if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)):
        series = pd.to_numeric(series, errors="coerce")
    return series.to_numpy(dtype="float64", na_value=np.nan)


def datetime_values(series: pd.Series) -> pd.Series:
    """The column as timezone-naive datetimes (UTC for zoned ones); text is parsed, NaT where it cannot be."""
    if not pd.api.types.is_datetime64_any_dtype(series.dtype):
        with warnings.catch_warnings():  # pandas warns when it cannot infer one format; it then parses each value
            warnings.simplefilter("ignore", UserWarning)
            series = pd.to_datetime(series, errors="coerce")
    if series.dt.tz is not None:
        series = series.dt.tz_convert(None)
    return series


def text_dates(text: pd.Series) -> tuple[float, str | None]:
    """(share of the values that are dates, the first such value) for a column of text: a value counts
    when it has a date's shape (2013-01-31, 01/31/2013, 31 Jan 2013...) and parses."""
    text = text.astype("str")
    shaped = text[text.str.match(_DATE_SHAPE)]
    dates = pd.to_datetime(shaped, errors="coerce", format="mixed").notna()
    return (float(dates.sum() / len(text)) if len(text) else 0.0), (shaped[dates].iloc[0] if dates.any() else None)


def is_quantity(series: pd.Series) -> bool:
    """Whether a target column holds a quantity rather than classes: more than CONTINUOUS_CLASSES distinct
    values, all numbers (or text of numbers), at least half of them in fewer than RARE_CLASS_ROWS rows (the
    split's own test for a continuous target). Exploring takes either; training needs classes."""
    if pd.api.types.is_datetime64_any_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        return False
    codes, uniques = pd.factorize(series)
    return counts_say_quantity(pd.Series(uniques), np.bincount(codes[codes >= 0], minlength=len(uniques)))


def counts_say_quantity(uniques: pd.Series, counts: np.ndarray) -> bool:
    """`is_quantity` from the distinct values and the rows of each."""
    if len(uniques) <= CONTINUOUS_CLASSES or np.count_nonzero(counts < RARE_CLASS_ROWS) < len(counts) / 2:
        return False
    return bool(pd.to_numeric(uniques, errors="coerce").notna().all())
