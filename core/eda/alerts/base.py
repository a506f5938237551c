"""What every alert check shares: the Alert, the Thresholds, the Context the checks read, and the
registry of checks with their advice.

A check is a function of the Context registered with `@check(kind, severity, advice)`; it yields
Alerts made by `make_alert`. `find_alerts` runs every registered check over one shared Context, so
the column codes, the profile and the train/test partition are computed once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from core.datasets.dataset import Split
from core.eda.profile import ColumnProfile, column_kinds, profile
from core.eda.values import RARE_CLASS_ROWS, numeric_values, text_dates

SEVERITIES = ("leakage", "warning", "info")  # alerts come back in this order


@dataclass(frozen=True)
class Thresholds:
    """When each alert fires. Shares are fractions (0-1)."""

    missing: float = 0.05  # share of rows missing from which a column's missing share is reported
    mostly_missing: float = 0.5  # ... and above which the column is "mostly missing" (a warning: drop or impute)
    high_cardinality: int = 50  # distinct values of a categorical above which one-hot encoding explodes
    identifier_ratio: float = 0.95  # distinct / non-missing values at or above which a column looks like an id
    identifier_min_unique: int = 20  # ... with at least this many distinct values (numbers: whole ones only)
    correlated: float = 0.9  # |Spearman rho|, Cramér's V or eta of two features from which they are "correlated"
    skewed: float = 2.0  # |skewness| above which a numeric column is "skewed"
    imbalanced: float = 0.2  # smallest / largest class count below which the target is "imbalanced"
    rare_class: int = RARE_CLASS_ROWS  # rows below which a target class is too rare for training's split
    outlier_iqr: float = 1.5  # outliers lie below q1 - k*IQR or above q3 + k*IQR
    dates_sample: int = 1000  # values read per text column when looking for dates stored as text
    dates_as_text: float = 0.9  # share of those that must parse as dates
    leak_accuracy: float = 0.98  # test accuracy of one feature alone at or above which it leaks the target
    leak_error_ratio: float = 0.25  # ... and its error rate at most this share of the majority baseline's
    leak_bins: int = 200  # numbers/dates with more distinct values are cut into this many training quantiles
    leak_test_share: float = 0.3  # without a split: share of rows held out to score the single-feature rule
    after_event: float = 0.99  # share of rows with a >= b (and some a > b) for "a is recorded after b"
    seed: int = 0  # for the hold-out (when no split is given) and the sample of text values


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Alert:
    """One finding. `columns` are the columns to act on (for leakage, the leaking ones: never the
    target, never the earlier date); `figure` is the number behind it (a share, |r|, skewness,
    accuracy or a count)."""

    kind: str
    columns: tuple[str, ...]
    figure: float
    message: str
    advice: str
    severity: str  # "info" | "warning" | "leakage"
    settles: bool = False  # the advice decides the column's fate (drop it, parse it): no other advice beside it


# kind: (severity, advice), filled by `check` and `advise`. Advice may name {column} (the first
# column) and {other}. SETTLING: the advice keys whose advice decides a column's fate.
ADVICE: dict[str, tuple[str, str]] = {}
SETTLING: set[str] = set()
CHECKS: dict[str, Callable[[Context], Iterable[Alert]]] = {}


def advise(key: str, severity: str, text: str, settles: bool = False) -> None:
    """Register the severity and advice of an alert kind (or of a variant of one, for `make_alert`'s
    `advice`). `settles`: the advice decides what becomes of the column (drop it, parse it), so it is
    the column's one piece of advice. A duplicate key raises."""
    if severity not in SEVERITIES:
        raise ValueError(f"alert '{key}': severity '{severity}' is not one of {', '.join(SEVERITIES)}")
    if key in ADVICE:
        raise ValueError(f"alert advice '{key}' is already registered")
    ADVICE[key] = (severity, text)
    if settles:
        SETTLING.add(key)


def check(kind: str, severity: str, advice: str, settles: bool = False) -> Callable:
    """Register a check under the alert kind it reports, with that kind's severity and advice (see
    `advise`). A duplicate name raises."""

    def register(function: Callable[[Context], Iterable[Alert]]) -> Callable[[Context], Iterable[Alert]]:
        if kind in CHECKS:
            raise ValueError(f"alert check '{kind}' is already registered")
        advise(kind, severity, advice, settles)
        CHECKS[kind] = function
        return function

    return register


def make_alert(kind: str, columns: tuple, figure: float, message: str, advice: str = "", other: object = None) -> Alert:
    """An Alert with the severity and advice of ADVICE[`advice` or `kind`]; the advice's {other} is
    `other`, or else the second column."""
    severity, text = ADVICE[advice or kind]
    names = [str(c) for c in columns]
    other = str(other) if other is not None else names[1] if len(names) > 1 else ""
    text = text.format(column=names[0] if names else "", other=other)
    return Alert(kind, tuple(names), float(figure), message, text, severity, (advice or kind) in SETTLING)


def percent(share: float) -> str:
    """12.3%, or <0.1% for a share that is small but not zero."""
    return "<0.1%" if 0 < share < 0.0005 else f"{share:.1%}"


class Context:
    """What the checks share, each piece computed at most once."""

    def __init__(
        self,
        frame: pd.DataFrame,
        target,
        kinds: dict | None,
        split: Split | None,
        limits: Thresholds,
        profiles: list[ColumnProfile] | None = None,
    ):
        self.frame, self.target, self.split, self.limits = frame, target, split, limits
        self.kinds = column_kinds(frame, kinds, target)
        profiles = profiles if profiles is not None else profile(frame, self.kinds)
        self.profiles: dict = dict(zip(frame.columns, profiles, strict=True))
        self.features = [column for column in frame.columns if column != target]
        self._factorized: dict = {}

    def factorized(self, column) -> tuple[np.ndarray, pd.Index]:
        """(codes, distinct values) of a column; code -1 is missing."""
        if column not in self._factorized:
            self._factorized[column] = pd.factorize(self.frame[column])
        return self._factorized[column]

    def codes(self, column) -> np.ndarray:
        return self.factorized(column)[0]

    def of_kind(self, kind: str) -> list:
        """Features of this kind, less identifiers and constant columns."""
        return [
            c
            for c in self.features
            if self.kinds[c] == kind and c not in self.identifiers and self.profiles[c].unique > 1
        ]

    @cached_property
    def identifiers(self) -> set:
        """Features that look like ids; dates stored as text are dates, however many distinct values they have."""
        return {c for c in self.features if c not in self.text_dates and _identifier_like(self, c)}

    @cached_property
    def text_dates(self) -> dict:
        """Text features holding dates: column -> (share of the sampled values that are dates, an example,
        values sampled). At most `dates_sample` values are read per column, with the seed of the limits."""
        limits, found = self.limits, {}
        rng = np.random.default_rng(limits.seed)
        for c in self.features:
            if self.kinds[c] != "categorical" or not pd.api.types.is_string_dtype(self.frame[c].dtype):
                continue
            present = np.flatnonzero(self.codes(c) >= 0)
            if len(present) > limits.dates_sample:
                present = np.sort(rng.choice(present, limits.dates_sample, replace=False))
            share, example = text_dates(self.frame[c].iloc[present])
            if len(present) and share >= limits.dates_as_text:
                found[c] = (share, example, len(present))
        return found

    @cached_property
    def partition(self) -> tuple[np.ndarray, np.ndarray]:
        """(train rows, test rows): the split's (its validation rows when it has no test rows), or a
        seeded random hold-out of `leak_test_share` of the rows."""
        if self.split is not None:
            test = self.split.test if len(self.split.test) else self.split.val
            return np.asarray(self.split.train, dtype=np.int64), np.asarray(test, dtype=np.int64)
        order = np.random.default_rng(self.limits.seed).permutation(len(self.frame))
        cut = int(round(len(order) * (1 - self.limits.leak_test_share)))
        return np.sort(order[:cut]), np.sort(order[cut:])

    @cached_property
    def feature_rows(self) -> np.ndarray:
        """An id per row, equal exactly when all feature values are (missing equals missing)."""
        by_variety = sorted(self.features, key=lambda c: -self.profiles[c].unique)  # most varied first: ends sooner
        return row_ids((self.codes(c) for c in by_variety), len(self.frame))


def row_ids(codes: Iterable[np.ndarray], rows: int) -> np.ndarray:
    """Dense ids, equal exactly where every column's code is. Codes are packed as digits of a mixed
    radix number while it fits in int64, then renumbered; once all rows differ, the rest cannot matter."""
    ids, span = np.zeros(rows, dtype=np.int64), 1  # ids lie in [0, span)
    for column in codes:
        radix = int(column.max(initial=-1)) + 2  # codes -1.. become digits 0..radix-1
        if span * radix >= 2**62:
            ids, span = _dense(ids)
            if span == rows:
                return ids
        ids, span = ids * radix + column + 1, span * radix
    return _dense(ids)[0]


def _dense(ids: np.ndarray) -> tuple[np.ndarray, int]:
    codes, uniques = pd.factorize(ids)
    return codes.astype(np.int64, copy=False), len(uniques)


def _identifier_like(context: Context, column) -> bool:
    p: ColumnProfile = context.profiles[column]
    limits = context.limits
    if p.kind not in ("numeric", "categorical") or p.unique < max(limits.identifier_min_unique, 1):
        return False
    if p.unique < limits.identifier_ratio * p.count:
        return False
    if p.kind == "numeric":  # measurements are often all distinct too; ids are whole numbers
        values = numeric_values(context.frame[column])
        values = values[~np.isnan(values)]
        return bool(np.all(values == np.round(values)))
    return True


def find_alerts(
    frame: pd.DataFrame,
    target: str | None = None,
    kinds: dict[str, str] | None = None,
    split: Split | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    profiles: list[ColumnProfile] | None = None,
) -> list[Alert]:
    """Every alert of every registered check: leakage first, then warnings, then information, with
    one piece of advice per column (`one_advice_per_column`). `split` holds row positions into `frame`;
    without one (exploring needs none), the single-feature rule is scored on a seeded hold-out and
    train/test duplicates are not looked for. `profiles` (of the same frame and kinds) saves profiling
    it again when the caller already has them. Any target will do: classes, rare ones, or a quantity."""
    if target is not None and target not in frame.columns:
        raise ValueError(f"target column '{target}' is not in the frame")
    context = Context(frame, target, kinds, split, thresholds, profiles)
    alerts = [alert for run in CHECKS.values() for alert in run(context)]
    return one_advice_per_column(sorted(alerts, key=lambda alert: SEVERITIES.index(alert.severity)))


def one_advice_per_column(alerts: list[Alert]) -> list[Alert]:
    """The alerts less those about a column whose fate an earlier alert settles (drop it, parse it):
    a column never gets both "drop" and "parse", nor "log-transform" on top of "drop". Alerts naming two
    columns (a correlated pair) or none (duplicate rows) always stay."""
    settled: dict = {}
    for alert in alerts:
        if alert.settles and len(alert.columns) == 1:
            settled.setdefault(alert.columns[0], alert)
    return [a for a in alerts if len(a.columns) != 1 or settled.get(a.columns[0], a) is a]
