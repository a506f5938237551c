"""Alerts over a table: data-quality problems and, above all, leakage.

Each check is one small function registered under the alert kind it reports (`@check(kind)`);
`find_alerts` runs them all over one shared Context, so the column codes, the profile and the
train/test partition are computed once. Figures are exact on all rows; only the "dates stored as
text" check reads a sample of values. Import these names from core.eda.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import combinations

import numpy as np
import pandas as pd

from core.datasets.dataset import Split
from core.eda import ColumnProfile, column_kinds, format_value, numeric_values, profile

SEVERITIES = ("leakage", "warning", "info")  # alerts come back in this order


@dataclass(frozen=True)
class Thresholds:
    """When each alert fires. Shares are fractions (0-1)."""

    mostly_missing: float = 0.5  # share of rows missing above which a column is "mostly missing"
    high_cardinality: int = 50  # distinct values of a categorical above which one-hot encoding explodes
    identifier_ratio: float = 0.95  # distinct / non-missing values at or above which a column looks like an id
    identifier_min_unique: int = 20  # ... with at least this many distinct values (numbers: whole ones only)
    correlated: float = 0.9  # |Pearson r| of two numeric columns at or above which they are "correlated"
    skewed: float = 2.0  # |skewness| above which a numeric column is "skewed"
    imbalanced: float = 0.2  # smallest / largest class count below which the target is "imbalanced"
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


# kind: (severity, advice). Advice may name {column} (the first column) and {other}.
ADVICE: dict[str, tuple[str, str]] = {
    "constant": ("warning", "Drop {column}: a column that never changes cannot help a model."),
    "mostly_missing": (
        "warning",
        "Drop {column}, or impute it and keep a 'was missing' indicator; check whether missing means something.",
    ),
    "high_cardinality": (
        "info",
        "One-hot encoding would add a column per value: group rare values of {column} into 'other', "
        "use frequency or target encoding, or drop it.",
    ),
    "identifier": ("warning", "Drop {column}: a model can only memorise an id, which says nothing about new rows."),
    "duplicate_rows": (
        "warning",
        "Drop the copies (frame.drop_duplicates()) before splitting, unless repeats are real events: "
        "copies on both sides of a split inflate the test score.",
    ),
    "correlated": ("info", "Keep one of them (e.g. drop {other}): the second adds little and unsettles linear models."),
    "skewed": (
        "info",
        "Log-transform {column} (log1p for counts) or use a power/quantile transform before linear models "
        "and neural networks; trees do not mind.",
    ),
    "imbalanced_target": (
        "warning",
        "Keep the split stratified, judge models by balanced accuracy or macro F1, and consider class "
        "weights or resampling the training rows.",
    ),
    "outliers": (
        "info",
        "Check whether they are errors (fix them or set them missing) or real extremes (keep them; "
        "use a robust scaler or clip).",
    ),
    "dates_as_text": (
        "warning",
        "Parse {column} (pd.to_datetime with an explicit format) and derive year, month, weekday...: "
        "as text, every date is a category of its own.",
    ),
    "leak_single_feature": (
        "leakage",
        "The target is (almost) a function of {column}: if it is derived from {column}, or {column} is "
        "recorded with or after the outcome, drop {column}; keep it only if it is truly known when you predict.",
    ),
    "leak_after_event": (
        "leakage",
        "Drop {column} and features built from it unless they are known when you predict; split by time "
        "(train on earlier {other}, test on later) rather than at random.",
    ),
    "leak_after_event_name": ("warning", "Check when {column} becomes known; if only after the outcome, drop it."),
    "leak_train_test_duplicates": (
        "leakage",
        "Deduplicate before splitting (or keep copies on one side, e.g. a group split): "
        "the test score rewards memorising those rows.",
    ),
}


def _alert(kind: str, columns: tuple, figure: float, message: str, advice: str = "", other: object = None) -> Alert:
    """An Alert with the severity and advice of ADVICE[`advice` or `kind`]; the advice's {other} is
    `other`, or else the second column."""
    severity, text = ADVICE[advice or kind]
    names = [str(c) for c in columns]
    other = str(other) if other is not None else names[1] if len(names) > 1 else ""
    text = text.format(column=names[0] if names else "", other=other)
    return Alert(kind, tuple(names), float(figure), message, text, severity)


def _percent(share: float) -> str:
    """12.3%, or <0.1% for a share that is small but not zero."""
    return "<0.1%" if 0 < share < 0.0005 else f"{share:.1%}"


_DATE_SHAPE = re.compile(  # 2013-01-31, 01/31/2013, 31.01.13, 31 Jan 2013, January 31, 2013; a time may follow
    r"^\s*(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{1,2}[ -][A-Za-z]{3,9}\.?[ -]\d{2,4}"
    r"|[A-Za-z]{3,9}\.? \d{1,2},? \d{4})([T ]\S.*)?\s*$"
)


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
        self.kinds = column_kinds(frame, kinds)
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
        return {c for c in self.features if _identifier_like(self, c)}

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
        return _row_ids((self.codes(c) for c in by_variety), len(self.frame))


def _row_ids(codes: Iterable[np.ndarray], rows: int) -> np.ndarray:
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


CHECKS: dict[str, Callable[[Context], Iterable[Alert]]] = {}


def check(kind: str) -> Callable:
    """Register a check under the alert kind it reports. A duplicate name raises."""

    def register(function: Callable[[Context], Iterable[Alert]]) -> Callable[[Context], Iterable[Alert]]:
        if kind in CHECKS:
            raise ValueError(f"alert check '{kind}' is already registered")
        CHECKS[kind] = function
        return function

    return register


def find_alerts(
    frame: pd.DataFrame,
    target: str | None = None,
    kinds: dict[str, str] | None = None,
    split: Split | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    profiles: list[ColumnProfile] | None = None,
) -> list[Alert]:
    """Every alert of every registered check: leakage first, then warnings, then information.
    `split` holds row positions into `frame`. Without one, the single-feature rule is scored on a
    seeded hold-out and train/test duplicates are not looked for. `profiles` (of the same frame and kinds)
    saves profiling it again when the caller already has them."""
    if target is not None and target not in frame.columns:
        raise ValueError(f"target column '{target}' is not in the frame")
    context = Context(frame, target, kinds, split, thresholds, profiles)
    alerts = [alert for run in CHECKS.values() for alert in run(context)]
    return sorted(alerts, key=lambda alert: SEVERITIES.index(alert.severity))


@check("constant")
def _constant(context: Context) -> Iterator[Alert]:
    for c in context.features:
        p = context.profiles[c]
        if p.unique == 1:
            value = p.first if p.kind == "datetime" else format_value(p.mode)
            yield _alert("constant", (c,), 1, f"{c} has a single value ({value}) wherever it is present")


@check("mostly_missing")
def _mostly_missing(context: Context) -> Iterator[Alert]:
    for c in context.features:
        share = context.profiles[c].missing_pct / 100
        if share > context.limits.mostly_missing:
            yield _alert("mostly_missing", (c,), share, f"{c} is missing in {share:.1%} of rows")


@check("high_cardinality")
def _high_cardinality(context: Context) -> Iterator[Alert]:
    for c in context.of_kind("categorical"):
        unique = context.profiles[c].unique
        if unique > context.limits.high_cardinality:
            yield _alert("high_cardinality", (c,), unique, f"{c} has {unique:,} distinct values")


@check("identifier")
def _identifier(context: Context) -> Iterator[Alert]:
    for c in context.features:
        if c in context.identifiers:
            p = context.profiles[c]
            ratio = p.unique / p.count
            message = f"{c} looks like an identifier: {p.unique:,} distinct values in {p.count:,} rows ({ratio:.1%})"
            yield _alert("identifier", (c,), ratio, message)


@check("duplicate_rows")
def _duplicate_rows(context: Context) -> Iterator[Alert]:
    ids = context.feature_rows
    if context.target is not None:
        ids = _row_ids([ids, context.codes(context.target)], len(ids))
    copies = len(ids) - (int(ids.max()) + 1 if len(ids) else 0)
    if copies:
        message = f"{copies:,} rows ({_percent(copies / len(ids))}) are exact copies of an earlier row"
        yield _alert("duplicate_rows", (), copies, message)


@check("correlated")
def _correlated(context: Context) -> Iterator[Alert]:
    columns = context.of_kind("numeric")
    matrix = pd.DataFrame({i: numeric_values(context.frame[c]) for i, c in enumerate(columns)}).corr().to_numpy()
    for i, j in combinations(range(len(columns)), 2):
        r = matrix[i, j]
        if abs(r) >= context.limits.correlated:  # NaN (no overlapping rows) compares False
            a, b = columns[i], columns[j]
            yield _alert("correlated", (a, b), abs(r), f"{a} and {b} are correlated (Pearson r = {r:.4f})")


@check("skewed")
def _skewed(context: Context) -> Iterator[Alert]:
    for c in context.of_kind("numeric"):
        skew = context.profiles[c].skew
        if skew is not None and abs(skew) > context.limits.skewed:
            yield _alert("skewed", (c,), skew, f"{c} is skewed (skewness {skew:.2f})")


@check("imbalanced_target")
def _imbalanced_target(context: Context) -> Iterator[Alert]:
    if context.target is None:
        return
    codes, uniques = context.factorized(context.target)
    counts = np.bincount(codes[codes >= 0])
    if len(counts) < 2:
        return
    small, large = int(np.argmin(counts)), int(np.argmax(counts))
    ratio = counts[small] / counts[large]
    if ratio < context.limits.imbalanced:
        message = (
            f"{context.target} is imbalanced: its smallest class '{uniques[small]}' has {counts[small]:,} rows, "
            f"{ratio:.3f} times its largest '{uniques[large]}' ({counts[large]:,})"
        )
        yield _alert("imbalanced_target", (context.target,), ratio, message)


@check("outliers")
def _outliers(context: Context) -> Iterator[Alert]:
    k = context.limits.outlier_iqr
    for c in context.of_kind("numeric"):
        p = context.profiles[c]
        spread = p.q3 - p.q1
        if spread == 0:  # every value off the common one would count; that is a near-constant column
            continue
        low, high = p.q1 - k * spread, p.q3 + k * spread
        values = numeric_values(context.frame[c])
        count = int(np.count_nonzero((values < low) | (values > high)))
        if count:
            fences = f"[{format_value(low)}, {format_value(high)}]"
            message = f"{c} has {count:,} outliers ({_percent(count / p.count)}) outside {fences} (IQR rule, k = {k})"
            yield _alert("outliers", (c,), count, message)


@check("dates_as_text")
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
            yield _alert("dates_as_text", (c,), share, message)


# The leakage checks register themselves on import; they live in their own module for length.
from core import eda_leakage  # noqa: E402, F401
