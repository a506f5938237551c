"""What each column of a loaded table is: its kind, inferred from its values (and, for hours, its name).

Six kinds. Four are the base kinds every consumer knows (numeric, categorical, boolean, datetime); two refine
them and say which base kind they are (`base_kind`): time_of_day is numeric (HHMM or 0-23 hours), text_id is
categorical (strings nearly all different: ids, free text). Integer codes (a 1-5 rating) stay numeric;
`is_integer_code` tells alerts to skip outlier checks on them."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable

import numpy as np
import pandas as pd

NUMERIC, CATEGORICAL, BOOLEAN, DATETIME = "numeric", "categorical", "boolean", "datetime"
TIME_OF_DAY, TEXT_ID = "time_of_day", "text_id"
KINDS = (NUMERIC, CATEGORICAL, BOOLEAN, DATETIME, TIME_OF_DAY, TEXT_ID)
BASE_KINDS = (NUMERIC, CATEGORICAL, BOOLEAN, DATETIME)
_REFINES = {TIME_OF_DAY: NUMERIC, TEXT_ID: CATEGORICAL}

CODE_MAX_LEVELS = 12  # a rating, a weekday, a month: few levels, most of the integers between min and max used
CODE_MIN_ROWS_PER_LEVEL = 3  # codes repeat; five values 1, 2, 4, 5, 6 are just five numbers
TEXT_ID_MIN_ROWS = 20  # below this, "all different" says nothing
TEXT_ID_UNIQUE_SHARE = 0.9
DATE_SAMPLE = 200  # values that must all look like dates before the column is parsed
DATE_MIN_PARSED = 0.99  # share of a column's values that must parse; the rest become missing
_HOUR_NAME = re.compile(r"hour(?!s)|(^|[\s_.-])(h|hh|hr)$", re.IGNORECASE)  # "hours" is a duration
_BOOLEAN_PAIRS = ({"true", "false"}, {"yes", "no"}, {"y", "n"}, {"t", "f"})

_TIME = r"(?P<time>[ T]\d{1,2}:\d{2}(?P<s>:\d{2}(?:\.\d+)?)?(?P<ampm> ?[AaPp][Mm])?)?"
_ZONE = r"(?P<zone>Z|[+-]\d{2}:?\d{2})?"
_DATE_SHAPES = {
    "iso": re.compile(r"\d{4}-\d{1,2}-\d{1,2}" + _TIME + _ZONE),
    "/": re.compile(r"\d{1,2}/\d{1,2}/\d{4}" + _TIME),
    ".": re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}" + _TIME),  # European day.month.year
}


def base_kind(kind: str) -> str:
    """The base kind (numeric, categorical, boolean, datetime) that code knowing only those should treat `kind` as."""
    return _REFINES.get(kind, kind)


def _whole_numbers(series: pd.Series) -> np.ndarray | None:
    """The non-missing values as float64 when the column holds finite whole numbers only; otherwise None."""
    if pd.api.types.is_bool_dtype(series.dtype) or not pd.api.types.is_numeric_dtype(series.dtype):
        return None
    values = series.to_numpy(dtype="float64", na_value=np.nan)
    values = values[~np.isnan(values)]
    if not len(values) or not np.isfinite(values).all() or (values != np.round(values)).any():
        return None
    return values


def is_integer_code(series: pd.Series) -> bool:
    """Whole numbers with 2 to CODE_MAX_LEVELS levels, each seen CODE_MIN_ROWS_PER_LEVEL times on average,
    that fill at least half the integers between their minimum and maximum (a 1-5 rating, a 0-6 weekday, a 0/1
    flag): numeric, but a value far from the rest is another code, not an outlier. A 250 among 1..4 breaks
    the rule, so that one is still reported."""
    values = _whole_numbers(series)
    if values is None:
        return False
    levels = np.unique(values)
    if not 2 <= len(levels) <= CODE_MAX_LEVELS or len(values) < CODE_MIN_ROWS_PER_LEVEL * len(levels):
        return False
    return bool(levels[-1] - levels[0] + 1 <= 2 * len(levels))


def is_time_of_day(series: pd.Series) -> bool:
    """HHMM clock times as integers (0-2359, minutes under 60, reaching the afternoon, over 24 distinct values,
    like LA's "Time Occurred"), or hours 0-23 in a column named like an hour ("Hour", "time_h")."""
    values = _whole_numbers(series)
    if values is None or values.min() < 0:
        return False
    if values.max() <= 23 and _HOUR_NAME.search(str(series.name)):
        return True
    hhmm = values.max() <= 2359 and values.max() >= 1200 and bool((values % 100 < 60).all())
    return bool(hhmm and len(np.unique(values)) > 24)


def _is_text(series: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(series.dtype) or pd.api.types.is_object_dtype(series.dtype)


def is_text_id(series: pd.Series) -> bool:
    """Text whose values are nearly all different (ids, free text): at least TEXT_ID_UNIQUE_SHARE of its
    TEXT_ID_MIN_ROWS or more values are distinct, so it is no category to count or encode."""
    if not _is_text(series):
        return False
    present = series.dropna()
    return len(present) >= TEXT_ID_MIN_ROWS and present.nunique() >= TEXT_ID_UNIQUE_SHARE * len(present)


def _is_boolean_text(series: pd.Series) -> bool:
    if not _is_text(series):
        return False
    uniques = pd.unique(series.dropna())
    if not 0 < len(uniques) <= 8:  # two words in a few spellings at most
        return False
    if all(isinstance(value, bool | np.bool_) for value in uniques):  # True/False with blanks stay objects
        return True
    levels = {str(value).strip().lower() for value in uniques}
    return any(levels <= pair for pair in _BOOLEAN_PAIRS)


def column_kind(series: pd.Series) -> str:
    """One of KINDS for a column (its name is used for hour columns). Text dates are categorical until
    `parse_text_dates` has made them datetimes."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype) or _is_boolean_text(series):
        return BOOLEAN
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return DATETIME
    if pd.api.types.is_numeric_dtype(dtype):
        return TIME_OF_DAY if is_time_of_day(series) else NUMERIC
    return TEXT_ID if is_text_id(series) else CATEGORICAL


def infer_kinds(frame: pd.DataFrame, skip: Iterable[str] = ()) -> dict[str, str]:
    """`column_kind` of every column not in `skip` (the target, say)."""
    skipped = set(skip)
    return {column: column_kind(frame[column]) for column in frame.columns if column not in skipped}


def _date_format(sample: list[str], values: pd.Series) -> tuple[str, dict] | None:
    """The to_datetime format (and keywords) when every sample value has one date shape; `values` are all
    the column's distinct texts (to tell day first from month first)."""
    for shape, pattern in _DATE_SHAPES.items():
        matches = [pattern.fullmatch(value) for value in sample]
        if not all(matches):
            continue
        if shape == "iso":
            return "ISO8601", {"utc": any(m["zone"] for m in matches)}
        # Month first (US) unless a first number over 12 proves day first; day.month.year is always day first.
        day_first = shape == "." or bool(values.str.extract(r"^(\d{1,2})", expand=False).astype(float).gt(12).any())
        date = f"%d{shape}%m{shape}%Y" if day_first else f"%m{shape}%d{shape}%Y"
        first = matches[0]
        if not first["time"]:
            return date, {}
        clock = ("%I" if first["ampm"] else "%H") + ":%M" + (":%S" if first["s"] else "")
        clock += ".%f" if first["s"] and "." in first["s"] else ""
        if first["ampm"]:
            clock += " %p" if first["ampm"].startswith(" ") else "%p"
        return f"{date}{first['time'][0]}{clock}", {}
    return None


def _parsed_dates(series: pd.Series) -> tuple[pd.Series, str] | None:
    """The column as datetimes and the format used, when it is text and at least DATE_MIN_PARSED of it parses.
    Each distinct text is parsed once: a date column repeats a few thousand days over many rows."""
    if not _is_text(series):
        return None
    codes, uniques = pd.factorize(series)  # missing: code -1
    texts = pd.Series(uniques, dtype="string").str.strip()
    if texts.empty:
        return None
    found = _date_format(list(texts.head(DATE_SAMPLE)), texts)
    if found is None:
        return None
    fmt, keywords = found
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        try:
            parsed = pd.to_datetime(texts, format=fmt, errors="coerce", **keywords)
            if parsed.notna().mean() < DATE_MIN_PARSED and fmt != "ISO8601":
                parsed = pd.to_datetime(texts, format="mixed", dayfirst=fmt.startswith("%d"), errors="coerce")
        except (ValueError, TypeError, OverflowError):  # mixed time zones, dates out of range
            return None
    dates = pd.Series(parsed.array.take(codes, allow_fill=True), index=series.index, name=series.name)
    if dates.notna().sum() < DATE_MIN_PARSED * (codes >= 0).sum():
        return None
    return dates, fmt


def parse_text_dates(frame: pd.DataFrame, skip: Iterable[str] = ()) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Text columns (not in `skip`) that hold dates, with or without a time (2013-01-05, 01/05/2013 10:30 PM,
    05.01.2013), converted to datetime64. Returns the frame (a copy when anything changed) and one note per
    column converted, naming its format and how many values did not parse and became missing."""
    skipped, notes, converted = set(skip), [], {}
    for column in frame.columns:
        if column in skipped:
            continue
        found = _parsed_dates(frame[column])
        if found is None:
            continue
        parsed, fmt = found
        converted[column] = parsed
        failed = int(frame[column].notna().sum() - parsed.notna().sum())
        lost = f"; {failed:,} values that are not dates made missing" if failed else ""
        notes.append(f"column '{column}': text read as dates ({fmt}){lost}")
    if converted:
        frame = frame.assign(**converted)
    return frame, tuple(notes)


def kinds_note(frame: pd.DataFrame, kinds: dict[str, str]) -> str | None:
    """One line naming the columns whose kind is not plain from their dtype (time_of_day, text_id, boolean
    text, integer codes); None when there are none."""
    groups: dict[str, list[str]] = {}
    for column, kind in kinds.items():
        if kind in _REFINES or kind == BOOLEAN and not pd.api.types.is_bool_dtype(frame[column].dtype):
            groups.setdefault(kind, []).append(column)
        elif kind == NUMERIC and is_integer_code(frame[column]):
            groups.setdefault("integer codes", []).append(column)
    if not groups:
        return None
    parts = [f"{kind} " + ", ".join(f"'{c}'" for c in columns) for kind, columns in groups.items()]
    return "column kinds: " + "; ".join(parts)
