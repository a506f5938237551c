"""One evaluation for every model family: class probabilities and true codes in, `Metrics` out.

Classical estimators and torch models alike hand over an N x C probability matrix, so every run is scored
by the same code built on `sklearn.metrics`, and two runs' numbers are comparable by construction."""

from __future__ import annotations

import math
import pickle
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np
import pandas as pd

# Curves are stored with every run and drawn in the browser; a few hundred points show the shape of any curve.
CURVE_POINTS = 200
# Probabilities from float32 softmax sum to 1 within ~1e-6; anything further off is not a probability matrix.
SUM_TOLERANCE = 1e-3

_SCALARS = (
    "accuracy",
    "balanced_accuracy",
    "precision_macro",
    "recall_macro",
    "f1_macro",
    "precision_micro",
    "recall_micro",
    "f1_micro",
    "precision_weighted",
    "recall_weighted",
    "f1_weighted",
    "log_loss",
    "roc_auc",
    "kappa",
    "mcc",
)


@dataclass
class Metrics:
    """Scores of one model on one split. Scalars are None where the metric is undefined for this data."""

    accuracy: float | None
    balanced_accuracy: float | None
    precision_macro: float | None
    recall_macro: float | None
    f1_macro: float | None
    precision_micro: float | None
    recall_micro: float | None
    f1_micro: float | None
    precision_weighted: float | None
    recall_weighted: float | None
    f1_weighted: float | None
    log_loss: float | None
    roc_auc: float | None  # binary: the positive class; multiclass: one-vs-rest macro; None if a class is absent
    kappa: float | None  # Cohen's kappa
    mcc: float | None  # Matthews correlation coefficient
    confusion_matrix: list[list[int]]  # rows true, columns predicted, in `classes` order
    classes: list[str]
    roc_curves: dict[str, dict]  # class -> {"fpr", "tpr", "auc"}; only classes whose curve is defined
    pr_curves: dict[str, dict]  # class -> {"precision", "recall", "ap"}; only classes present in y_true
    report: dict  # sklearn classification_report(output_dict=True)
    n: int

    def to_dict(self) -> dict:
        """Plain JSON-safe values: floats, ints, strings, lists and dicts; NaN and infinities become None."""
        return _plain(asdict(self))

    @classmethod
    def from_dict(cls, d: dict) -> Metrics:
        """The inverse of `to_dict`; keys this version does not know (written by a newer one) are ignored."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})

    def headline(self) -> dict:
        """The scalar metrics only, for leaderboards and comparison tables."""
        return {name: getattr(self, name) for name in _SCALARS}

    def report_table(self) -> pd.DataFrame:
        """The classification report as rows (each class, then the averages) by precision, recall, f1-score and
        support. Accuracy is one number: as in sklearn's printed report it sits under f1-score, with the rows
        it was measured on as its support, and nothing under precision and recall (NaN)."""
        rows = {name: values for name, values in self.report.items() if isinstance(values, dict)}
        table = pd.DataFrame(rows).T.reindex(columns=["precision", "recall", "f1-score", "support"])
        if "accuracy" in self.report:
            accuracy = pd.DataFrame({"f1-score": [self.report["accuracy"]], "support": [self.n]}, index=["accuracy"])
            classes = [name for name in table.index if name not in ("macro avg", "weighted avg")]
            table = pd.concat([table.loc[classes], accuracy, table.drop(index=classes)])
        return table.astype({"support": "Int64"})


@dataclass
class Timings:
    """Cost of one run, measured the same way for every model family."""

    fit_seconds: float
    predict_seconds: float
    examples_per_second: float  # predict throughput over the evaluated rows
    model_size_bytes: int

    def to_dict(self) -> dict:
        return _plain(asdict(self))


def model_size_bytes(model: Any) -> int:
    """Size in bytes of the pickled model; torch modules report their own (state dict) size instead."""
    return len(pickle.dumps(model, protocol=5))


def evaluate(probabilities: np.ndarray, y_true: np.ndarray, classes: Sequence[str]) -> Metrics:
    """Score N x C class `probabilities` (rows sum to 1) against `y_true` codes 0..C-1; predictions are argmax.
    Raises ValueError naming the problem when the inputs do not fit together."""
    from sklearn import metrics as skm

    proba, y, names = _validated(probabilities, y_true, classes)
    n, c = proba.shape
    labels = list(range(c))
    y_pred = proba.argmax(axis=1)
    present = np.bincount(y, minlength=c) > 0

    scores: dict[str, Any] = {
        "accuracy": skm.accuracy_score(y, y_pred),
        "log_loss": skm.log_loss(y, proba, labels=labels),
        "mcc": skm.matthews_corrcoef(y, y_pred),
    }
    with warnings.catch_warnings():
        # balanced accuracy warns about classes absent from y_true; the others are told zero_division / labels.
        warnings.simplefilter("ignore")
        scores["balanced_accuracy"] = skm.balanced_accuracy_score(y, y_pred)
        scores["kappa"] = skm.cohen_kappa_score(y, y_pred, labels=labels)
    for average in ("macro", "micro", "weighted"):
        p, r, f, _ = skm.precision_recall_fscore_support(y, y_pred, labels=labels, average=average, zero_division=0)
        scores |= {f"precision_{average}": p, f"recall_{average}": r, f"f1_{average}": f}

    if not present.all():
        scores["roc_auc"] = None  # one-vs-rest AUC of an absent class has no positives to rank
    elif c == 2:
        scores["roc_auc"] = skm.roc_auc_score(y, proba[:, 1])
    else:
        scores["roc_auc"] = skm.roc_auc_score(y, proba, multi_class="ovr", average="macro", labels=labels)

    roc_classes = [1] if c == 2 else labels
    report = skm.classification_report(y, y_pred, labels=labels, target_names=names, zero_division=0, output_dict=True)
    return Metrics(
        **_plain(scores),
        confusion_matrix=skm.confusion_matrix(y, y_pred, labels=labels).tolist(),
        classes=names,
        roc_curves={names[k]: _roc_curve(y == k, proba[:, k]) for k in roc_classes if 0 < (y == k).sum() < n},
        pr_curves={names[k]: _pr_curve(y == k, proba[:, k]) for k in labels if present[k]},
        report=_plain(report),
        n=n,
    )


def _validated(probabilities: Any, y_true: Any, classes: Sequence[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    names = [str(c) for c in classes]
    if len(names) < 2:
        raise ValueError(f"classes: need at least 2 classes, got {len(names)}")
    if len(set(names)) != len(names):
        raise ValueError(f"classes: names must be unique, got {names}")
    proba = np.asarray(probabilities, dtype=np.float64)
    if proba.ndim != 2:
        raise ValueError(f"probabilities: expected a 2-D N x C array, got shape {proba.shape}")
    n, c = proba.shape
    if c != len(names):
        raise ValueError(f"probabilities: {c} columns but {len(names)} classes")
    if n == 0:
        raise ValueError("probabilities: no rows to evaluate")
    y = np.asarray(y_true)
    if y.ndim != 1 or len(y) != n:
        raise ValueError(f"y_true: expected {n} labels (one per probability row), got shape {y.shape}")
    if not np.issubdtype(y.dtype, np.number) or not np.array_equal(y, np.round(y)):
        raise ValueError(f"y_true: expected integer class codes 0..{c - 1}, got dtype {y.dtype}")
    y = y.astype(np.int64)
    if y.min() < 0 or y.max() >= c:
        raise ValueError(f"y_true: codes must lie in 0..{c - 1}, got {y.min()}..{y.max()}")
    if not np.isfinite(proba).all() or (proba < 0).any():
        raise ValueError("probabilities: values must be finite and non-negative")
    sums = proba.sum(axis=1)
    worst = int(np.abs(sums - 1).argmax())
    if abs(sums[worst] - 1) > SUM_TOLERANCE:
        raise ValueError(f"probabilities: row {worst} sums to {sums[worst]:.4g}, not 1")
    # Tiny rounding left by float32 softmax would make sklearn warn; rescale it away.
    return proba / sums[:, None], y, names


def _roc_curve(is_class: np.ndarray, score: np.ndarray) -> dict:
    from sklearn.metrics import auc, roc_curve

    fpr, tpr, _ = roc_curve(is_class, score, drop_intermediate=True)
    area = auc(fpr, tpr)  # on the full curve: thinning must not change the number reported
    fpr, tpr = _thin(fpr, tpr)
    return {"fpr": fpr.tolist(), "tpr": tpr.tolist(), "auc": float(area)}


def _pr_curve(is_class: np.ndarray, score: np.ndarray) -> dict:
    from sklearn.metrics import average_precision_score, precision_recall_curve

    precision, recall, _ = precision_recall_curve(is_class, score, drop_intermediate=True)
    precision, recall = _thin(precision, recall)
    ap = average_precision_score(is_class, score)
    return {"precision": precision.tolist(), "recall": recall.tolist(), "ap": float(ap)}


def _thin(*arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """At most CURVE_POINTS evenly spaced points of each curve, always keeping the first and the last."""
    size = len(arrays[0])
    if size <= CURVE_POINTS:
        return arrays
    keep = np.unique(np.linspace(0, size - 1, CURVE_POINTS).round().astype(int))
    return tuple(a[keep] for a in arrays)


def _plain(value: Any) -> Any:
    """numpy scalars and containers -> Python ones; NaN / infinity -> None, so json.dumps(allow_nan=False) works."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_plain(v) for v in value]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    return value
