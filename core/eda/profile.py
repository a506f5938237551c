"""The profile of a table: exact statistics of every column, and the table (with its kinds) a dataset
is explored as: its features and its target, classes or a quantity.

Pure pandas/numpy. Every figure is exact and computed on all rows; nothing is sampled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.datasets.dataset import Dataset, infer_feature_types
from core.eda.values import counts_say_quantity, datetime_values, is_quantity, numeric_values

KINDS = ("numeric", "categorical", "datetime", "boolean")
TOP_VALUES = 10  # most frequent values kept per categorical/boolean column
TABLE_TOP_VALUES = 3  # of which the profile table shows these


def dataset_frame(dataset: Dataset) -> pd.DataFrame:
    """The features with the target as the last column (`dataset.target_name`): its class names, or
    their numbers when the target is a quantity (see `target_kind`). Image datasets have no such
    table: ValueError."""
    if dataset.kind != "tabular":
        raise ValueError(f"{dataset.name}: a {dataset.kind} dataset has no table to profile")
    frame = dataset.features.copy(deep=False)  # copy-on-write: adding a column leaves the dataset alone
    names = pd.Series(np.asarray(dataset.classes, dtype=object)[dataset.target], index=frame.index, dtype="str")
    frame[dataset.target_name] = pd.to_numeric(names) if target_kind(dataset) == "numeric" else names
    return frame


def target_kind(dataset: Dataset) -> str:
    """'numeric' when the target is a quantity rather than classes (see `is_quantity`), else 'categorical'."""
    counts = np.bincount(dataset.target, minlength=len(dataset.classes))
    return "numeric" if counts_say_quantity(pd.Series(dataset.classes, dtype="str"), counts) else "categorical"


def dataset_kinds(dataset: Dataset) -> dict[str, str]:
    """The kind of every column of `dataset_frame(dataset)`: the dataset's feature types and the target's kind."""
    return {**dataset.feature_types, dataset.target_name: target_kind(dataset)}


@dataclass(frozen=True)
class ColumnProfile:
    """Exact statistics of one column. `count` is non-missing values, `missing_pct` the percentage
    (0-100) of rows missing, `unique` the distinct non-missing values. Numeric columns fill the
    moments (std and var with ddof=1; skew is pandas' bias-corrected sample skewness G1, None when
    undefined: fewer than 3 values, or a single distinct one), the quartiles (linear interpolation,
    as pandas and numpy) and `zeros`; `mode` is the most frequent
    value (the smallest on ties). Categorical and boolean columns fill `top_values`, (value as text,
    count, share of non-missing) in falling count order (first seen first on ties), and `mode` with
    the first of them. Datetime columns fill `first`/`last` (ISO text; date only when at midnight)."""

    name: str
    kind: str
    count: int
    missing: int
    missing_pct: float
    unique: int
    mean: float | None = None
    median: float | None = None
    mode: float | str | None = None
    std: float | None = None
    var: float | None = None
    min: float | None = None
    q1: float | None = None
    q3: float | None = None
    max: float | None = None
    skew: float | None = None
    zeros: int | None = None
    top_values: tuple[tuple[str, int, float], ...] = ()
    first: str | None = None
    last: str | None = None


def column_kinds(frame: pd.DataFrame, kinds: dict[str, str] | None = None, target=None) -> dict:
    """The kind of every column: `kinds` where given (columns not in the frame are ignored),
    otherwise inferred from the dtype; a `target` not in `kinds` is 'numeric' when it is a quantity
    (`is_quantity`) and 'categorical' otherwise (classes coded as numbers are still classes). An unknown
    kind, or two columns of one name, raise ValueError."""
    if frame.columns.has_duplicates:
        repeated = frame.columns[frame.columns.duplicated()].unique()
        raise ValueError(f"column names must be unique; repeated: {', '.join(map(str, repeated))}")
    resolved = infer_feature_types(frame)
    if target is not None and target not in (kinds or {}) and resolved.get(target) in ("numeric", "categorical"):
        resolved[target] = "numeric" if is_quantity(frame[target]) else "categorical"
    for column, kind in (kinds or {}).items():
        if column not in resolved:
            continue
        if kind not in KINDS:
            raise ValueError(f"column '{column}': kind '{kind}' is not one of {', '.join(KINDS)}")
        resolved[column] = kind
    return resolved


def profile(frame: pd.DataFrame, kinds: dict[str, str] | None = None) -> list[ColumnProfile]:
    """One exact ColumnProfile per column, in the frame's order. `kinds` overrides the kinds
    inferred from the dtypes (e.g. codes stored as numbers that are really categories)."""
    resolved = column_kinds(frame, kinds)
    return [_profile_column(frame[column], str(column), resolved[column]) for column in frame.columns]


def _profile_column(series: pd.Series, name: str, kind: str) -> ColumnProfile:
    stats = _PROFILERS[kind](series)
    rows = len(series)
    missing = rows - stats["count"]
    return ColumnProfile(
        name=name, kind=kind, missing=missing, missing_pct=100.0 * missing / rows if rows else 0.0, **stats
    )


def _numeric(series: pd.Series) -> dict:
    values = numeric_values(series)
    present = values[~np.isnan(values)]
    n = len(present)
    if n == 0:
        return {"count": 0, "unique": 0}
    ordered = np.sort(present)
    starts = np.r_[0, np.flatnonzero(ordered[1:] != ordered[:-1]) + 1]
    runs = np.diff(np.r_[starts, n])
    mean = present.mean()
    centred = present - mean
    m2 = float(centred @ centred)
    m3 = float((centred * centred * centred).sum())
    q1, median, q3 = np.quantile(ordered, [0.25, 0.5, 0.75])
    constant = len(starts) == 1  # its deviations are rounding noise (0.1 - mean(0.1, ...) need not be 0)
    var = (0.0 if constant else m2 / (n - 1)) if n > 1 else None
    if n < 3 or constant:
        skew = None  # undefined: no spread to be lopsided
    else:  # G1 = n sqrt(n-1) / (n-2) * m3 / m2^1.5 with m2, m3 the sums of squared and cubed deviations
        skew = n * (n - 1) ** 0.5 / (n - 2) * m3 / m2**1.5
    return {
        "count": n,
        "unique": len(starts),
        "mean": float(ordered[0]) if constant else float(mean),
        "median": float(median),
        "mode": float(ordered[starts[np.argmax(runs)]]),
        "std": var**0.5 if var is not None else None,
        "var": var,
        "min": float(ordered[0]),
        "q1": float(q1),
        "q3": float(q3),
        "max": float(ordered[-1]),
        "skew": skew,
        "zeros": int(np.count_nonzero(present == 0)),
    }


def _categorical(series: pd.Series) -> dict:
    codes, uniques = pd.factorize(series)
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    n = int(counts.sum())
    top = np.argsort(-counts, kind="stable")[:TOP_VALUES]
    top_values = tuple((str(uniques[i]), int(counts[i]), float(counts[i] / n)) for i in top)
    return {"count": n, "unique": len(uniques), "top_values": top_values, "mode": top_values[0][0] if n else None}


def _datetime(series: pd.Series) -> dict:
    present = datetime_values(series).dropna()
    if present.empty:
        return {"count": 0, "unique": 0}
    return {
        "count": len(present),
        "unique": present.nunique(),
        "first": _iso(present.min()),
        "last": _iso(present.max()),
    }


def _iso(moment: pd.Timestamp) -> str:
    return moment.date().isoformat() if moment == moment.normalize() else moment.isoformat(sep=" ")


_PROFILERS: dict[str, Callable[[pd.Series], dict]] = {
    "numeric": _numeric,
    "categorical": _categorical,
    "boolean": _categorical,
    "datetime": _datetime,
}

_TABLE_NUMBERS = ("mean", "std", "min", "q1", "median", "q3", "max", "skew")


def profile_table(profiles: list[ColumnProfile]) -> pd.DataFrame:
    """One row per column for display: counts, the numeric figures (NaN where they do not apply),
    the mode and the top values as text, and the first/last dates."""
    rows = []
    for p in profiles:
        top = ", ".join(f"{value} ({share:.1%})" for value, _, share in p.top_values[:TABLE_TOP_VALUES])
        rows.append(
            {
                "column": p.name,
                "kind": p.kind,
                "count": p.count,
                "missing": p.missing,
                "missing %": round(p.missing_pct, 2),
                "unique": p.unique,
                **{key: np.nan if getattr(p, key) is None else getattr(p, key) for key in _TABLE_NUMBERS},
                "zeros": pd.NA if p.zeros is None else p.zeros,
                "mode": "" if p.mode is None else format_value(p.mode),
                "top values": top,
                "first": p.first or "",
                "last": p.last or "",
            }
        )
    table = pd.DataFrame(
        rows,
        columns=[
            "column",
            "kind",
            "count",
            "missing",
            "missing %",
            "unique",
            *_TABLE_NUMBERS,
            "zeros",
            "mode",
            "top values",
            "first",
            "last",
        ],
    )
    return table.astype({"zeros": "Int64", "mode": "str", "top values": "str", "first": "str", "last": "str"})


def format_value(value: float | str) -> str:
    """A value as a person reads it: whole floats without '.0', others to 6 significant digits."""
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else f"{value:.6g}"
    return str(value)
