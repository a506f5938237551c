"""Statistics for comparing runs on the same test rows: McNemar's test, a paired bootstrap of the accuracy
difference, the sentence that reports them, calibration (reliability) curves and the cost/score Pareto front.

Plain arrays in, plain values out; core.compare re-exports every name here."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.errors import TrainboardError

# Below this many discordant rows the chi-square approximation is poor; use the exact binomial test instead.
EXACT_BELOW = 25
# Resampled rows per chunk of bootstrap replicates: bounds memory (8 bytes each) on large test sets.
BOOTSTRAP_CHUNK_ELEMENTS = 4_000_000


@dataclass(frozen=True)
class McNemarResult:
    only_a_right: int  # rows A classified correctly and B did not ("b" in the usual 2x2 table)
    only_b_right: int  # rows B classified correctly and A did not ("c")
    statistic: float  # chi-square with continuity correction; for the exact test, min(b, c)
    p_value: float  # two-sided
    exact: bool  # True: exact binomial test; False: chi-square, 1 degree of freedom


@dataclass(frozen=True)
class PairComparison:
    label_a: str
    label_b: str
    accuracy_a: float
    accuracy_b: float
    difference: float  # accuracy_a - accuracy_b, as a fraction (0.021 is 2.1 points)
    low: float  # the bootstrap interval of the difference
    high: float
    mcnemar: McNemarResult
    sentence: str  # describe_difference's plain-words summary, the better run named first


def _paired(correct_a: np.ndarray, correct_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a, b = np.asarray(correct_a, dtype=bool).ravel(), np.asarray(correct_b, dtype=bool).ravel()
    if a.shape != b.shape:
        raise TrainboardError(f"the two runs scored different numbers of rows ({a.size} and {b.size})")
    return a, b


def mcnemar(correct_a: np.ndarray, correct_b: np.ndarray) -> McNemarResult:
    """McNemar's test of whether A and B have the same accuracy on the same rows (booleans, one per row).

    Exact two-sided binomial test of b out of b + c at 0.5 when b + c < 25, else chi-square with continuity
    correction (|b - c| - 1)^2 / (b + c) on 1 degree of freedom. No discordant rows: p = 1."""
    a, b = _paired(correct_a, correct_b)
    only_a, only_b = int(np.sum(a & ~b)), int(np.sum(b & ~a))
    discordant = only_a + only_b
    if discordant == 0:
        return McNemarResult(only_a, only_b, 0.0, 1.0, True)
    if discordant < EXACT_BELOW:
        from scipy.stats import binomtest

        p_value = binomtest(only_a, discordant, 0.5).pvalue
        return McNemarResult(only_a, only_b, float(min(only_a, only_b)), min(1.0, float(p_value)), True)
    statistic = (abs(only_a - only_b) - 1) ** 2 / discordant
    # The chi-square survival function with 1 degree of freedom, without importing scipy.
    return McNemarResult(only_a, only_b, float(statistic), math.erfc(math.sqrt(statistic / 2)), False)


def bootstrap_difference(
    correct_a: np.ndarray, correct_b: np.ndarray, *, n_boot: int = 2000, seed: int = 0, confidence: float = 0.95
) -> tuple[float, float, float]:
    """(observed accuracy(a) - accuracy(b), low, high): a paired bootstrap over rows (the same resampled rows
    for both runs), with the percentile interval at `confidence`. Reproducible for a given seed."""
    a, b = _paired(correct_a, correct_b)
    if a.size == 0:
        raise TrainboardError("there are no test rows to compare")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    per_row = a.astype(np.int8) - b.astype(np.int8)
    observed = float(per_row.mean())
    rng = np.random.default_rng(seed)
    chunk = max(1, BOOTSTRAP_CHUNK_ELEMENTS // a.size)
    differences = np.concatenate(
        [
            per_row[rng.integers(0, a.size, size=(min(chunk, n_boot - start), a.size))].mean(axis=1)
            for start in range(0, n_boot, chunk)
        ]
    )
    tail = (1 - confidence) / 2
    low, high = np.quantile(differences, [tail, 1 - tail])
    return observed, float(low), float(high)


def format_p_value(p_value: float) -> str:
    """'<0.001', or two significant digits ('0.42', '0.0012', '1')."""
    return "<0.001" if p_value < 0.001 else f"{p_value:.2g}"


def describe_difference(label_a: str, label_b: str, difference: float, low: float, high: float, p_value: float) -> str:
    """One sentence in plain words, the better run named first; `difference`, `low`, `high` are fractions of
    A minus B and are printed as percentage points with one decimal."""
    if difference < 0:
        label_a, label_b, difference, low, high = label_b, label_a, -difference, -high, -low
    p_text = "p<0.001" if p_value < 0.001 else f"p={format_p_value(p_value)}"
    interval = f"95% CI {low * 100:+.1f} to {high * 100:+.1f}"
    if low <= 0 <= high:
        return (
            f"{label_a} and {label_b} are not distinguishable on these rows: "
            f"difference {difference * 100:.1f} points, {interval}, {p_text}"
        )
    return f"{label_a} beats {label_b} by {difference * 100:.1f} points, {interval}, {p_text}"


def compare_predictions(label_a: str, pred_a: dict, label_b: str, pred_b: dict) -> PairComparison:
    """Accuracy, McNemar's test and the bootstrap interval for two runs' test predictions (predictions.npz
    arrays: rows, y_true, proba). Raises TrainboardError when they did not predict the same rows."""
    same_rows = all(
        np.shape(pred_a[key]) == np.shape(pred_b[key]) and np.array_equal(pred_a[key], pred_b[key])
        for key in ("rows", "y_true")
    )
    if not same_rows:
        raise TrainboardError(
            f"{label_a} and {label_b} did not predict the same test rows; compare runs with the same split hash"
        )
    y_true = np.asarray(pred_a["y_true"])
    correct_a = np.asarray(pred_a["proba"]).argmax(axis=1) == y_true
    correct_b = np.asarray(pred_b["proba"]).argmax(axis=1) == y_true
    difference, low, high = bootstrap_difference(correct_a, correct_b)
    test = mcnemar(correct_a, correct_b)
    return PairComparison(
        label_a=label_a,
        label_b=label_b,
        accuracy_a=float(correct_a.mean()),
        accuracy_b=float(correct_b.mean()),
        difference=difference,
        low=low,
        high=high,
        mcnemar=test,
        sentence=describe_difference(label_a, label_b, difference, low, high, test.p_value),
    )


def reliability_curve(proba: np.ndarray, y_true: np.ndarray, bins: int = 10) -> dict:
    """Top-label calibration: confidence = the largest probability, correct = its class is the true one.

    Rows fall in `bins` equal bins over [0, 1] (each [lo, hi), with 1.0 in the last). Returns, for the
    non-empty bins in order, the mean confidence, the accuracy and the row count, and the expected
    calibration error: the row-weighted mean of |accuracy - confidence| (nan without rows)."""
    proba = np.asarray(proba, dtype=float)
    y_true = np.asarray(y_true)
    if proba.ndim != 2 or len(proba) != len(y_true):
        raise ValueError(f"proba must be rows x classes matching y_true; got {proba.shape} and {y_true.shape}")
    confidence = proba.max(axis=1) if len(proba) else np.empty(0)
    correct = (proba.argmax(axis=1) == y_true).astype(float) if len(proba) else np.empty(0)
    which = np.clip(np.floor(confidence * bins).astype(int), 0, bins - 1)
    count = np.bincount(which, minlength=bins)
    filled = count > 0
    mean_confidence = np.bincount(which, weights=confidence, minlength=bins)[filled] / count[filled]
    accuracy = np.bincount(which, weights=correct, minlength=bins)[filled] / count[filled]
    ece = float(np.sum(count[filled] * np.abs(accuracy - mean_confidence)) / len(proba)) if len(proba) else math.nan
    return {
        "confidence": mean_confidence.tolist(),
        "accuracy": accuracy.tolist(),
        "count": count[filled].tolist(),
        "ece": ece,
    }


def _usable(value: float | None) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def pareto_front(costs: list[float | None], scores: list[float | None]) -> list[bool]:
    """For each point, whether no other point beats it: another point beats it when its cost is <= and its
    score >= with at least one strictly better. Points with a missing (None or nan) cost or score are never
    on the front, and never beat another point."""
    if len(costs) != len(scores):
        raise ValueError(f"costs and scores differ in length ({len(costs)} and {len(scores)})")
    points = [(c, s) if _usable(c) and _usable(s) else None for c, s in zip(costs, scores, strict=True)]
    usable = [p for p in points if p is not None]

    def beaten(cost: float, score: float) -> bool:
        return any(c <= cost and s >= score and (c < cost or s > score) for c, s in usable)

    return [point is not None and not beaten(*point) for point in points]
