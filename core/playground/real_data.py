"""Points the user brings: a CSV of two numeric columns and a label, or two columns (or the first two
principal components) of a loaded dataset, for two of its classes.

Each axis is scaled linearly onto [-6, 6], the Playground's plane, so its learning rates and starting weights
behave as they do on the generated sets; the description says so and names the original range.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.decomposition import PCA

from core.datasets.dataset import Dataset
from core.datasets.tabular_file import read_table
from core.errors import DataError
from core.playground.data import BOUNDS, N_POINTS, PointSet

CSV_HELP = "three columns: two numeric features, then the label (two values for classification, numbers for regression)"


def _scaled(values: np.ndarray) -> tuple[np.ndarray, str]:
    low, high = float(values.min()), float(values.max())
    span = high - low if high > low else 1.0
    scaled = BOUNDS[0] + (values - low) * (BOUNDS[1] - BOUNDS[0]) / span
    return scaled, f"{low:.4g}..{high:.4g}"


def _plane(columns: np.ndarray) -> tuple[np.ndarray, str]:
    x1, range1 = _scaled(columns[:, 0])
    x2, range2 = _scaled(columns[:, 1])
    return np.c_[x1, x2], f"x₁ from {range1}, x₂ from {range2}, each scaled to [-6, 6]"


def _class_signs(labels: pd.Series, where: str) -> tuple[np.ndarray, tuple[str, str]]:
    values = sorted(labels.astype(str).unique())
    if len(values) != 2:
        shown = ", ".join(values[:5]) + (" ..." if len(values) > 5 else "")
        raise DataError(f"{where}: classification needs exactly two label values, found {len(values)}: {shown}")
    return np.where(labels.astype(str) == values[1], 1.0, -1.0), (values[0], values[1])


def points_from_csv(path: str | Path, problem: str) -> PointSet:
    """The CSV's first two columns as x1, x2 and its third as the label; DataError naming the file otherwise."""
    path = Path(path)
    table, _ = read_table(path)  # the project's reader: any delimiter and encoding, or parquet
    if table.shape[1] != 3:
        raise DataError(
            f"{path.name}: has {table.shape[1]} columns ({', '.join(map(str, table.columns[:6]))}); needs {CSV_HELP}"
        )
    table = table.dropna()
    if len(table) < 4:
        raise DataError(f"{path.name}: {len(table)} complete rows; the Playground needs at least 4")
    features = table.iloc[:, :2].apply(pd.to_numeric, errors="coerce")
    for column in features.columns:
        bad = features[column].isna()
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            value = table[column].iloc[row]
            raise DataError(
                f"{path.name}: column {column!r} is not numeric (row {row + 2}: {value!r}); needs {CSV_HELP}"
            )
    points, scaling = _plane(features.to_numpy(np.float64))
    label_column = table.columns[2]
    if problem == "classification":
        labels, (negative, positive) = _class_signs(table[label_column], f"{path.name}, column {label_column!r}")
        classes = f"{label_column}: {positive} (+1) against {negative} (−1)"
    else:
        numeric = pd.to_numeric(table[label_column], errors="coerce")
        if numeric.isna().any():
            raise DataError(f"{path.name}: column {label_column!r} is not numeric; regression needs a numeric label")
        labels, label_range = _scaled(numeric.to_numpy(np.float64))
        labels = labels / BOUNDS[1]
        classes = f"{label_column} from {label_range} scaled to [-1, 1]"
    axis_names = (str(features.columns[0]), str(features.columns[1]))
    return PointSet(points, labels, problem, f"{path.name}: {len(labels)} rows; {classes}; {scaling}", axis_names)


def points_from_dataset(
    dataset: Dataset, classes: tuple[str, str], columns: tuple[str, str] | None = None, seed: int = 0
) -> PointSet:
    """Up to N_POINTS rows of two of `dataset`'s classes (as many of each as there are, up to half), placed by two
    numeric `columns`, or by the first two principal components of all features (images: of the pixels)."""
    if len(set(classes)) != 2 or any(name not in dataset.classes for name in classes):
        raise DataError(f"{dataset.name}: choose two different classes of {', '.join(dataset.classes)}")
    codes = [dataset.classes.index(name) for name in classes]
    rng = np.random.default_rng(seed)
    rows = np.concatenate([rng.permutation(np.flatnonzero(dataset.target == code))[: N_POINTS // 2] for code in codes])
    if len(rows) < 4:
        raise DataError(f"{dataset.name}: classes {classes[0]} and {classes[1]} have {len(rows)} rows; need 4")
    labels = np.where(dataset.target[rows] == codes[1], 1.0, -1.0)
    if columns is not None:
        values, names = _columns(dataset, rows, columns)
        how = f"columns {names[0]} and {names[1]}"
    else:
        values, names = _principal_components(dataset, rows)
        how = "the first two principal components"
    keep = np.isfinite(values).all(axis=1)
    points, scaling = _plane(values[keep])
    described = f"{dataset.name}: {keep.sum()} rows of {classes[1]} (+1) against {classes[0]} (−1), by {how}; {scaling}"
    return PointSet(points, labels[keep], "classification", described, names)


def _columns(dataset: Dataset, rows: np.ndarray, columns: tuple[str, str]) -> tuple[np.ndarray, tuple[str, str]]:
    if dataset.kind != "tabular":
        raise DataError(f"{dataset.name}: images have no columns; use principal components")
    numeric = numeric_columns(dataset)
    for column in columns:
        if column not in numeric:
            raise DataError(f"{dataset.name}: column {column!r} is not a numeric column ({', '.join(numeric[:8])} ...)")
    values = dataset.features.iloc[rows][list(columns)].apply(pd.to_numeric, errors="coerce")
    return values.to_numpy(np.float64, na_value=np.nan), (columns[0], columns[1])


def _principal_components(dataset: Dataset, rows: np.ndarray) -> tuple[np.ndarray, tuple[str, str]]:
    if dataset.kind == "image":
        values = dataset.features[rows].reshape(len(rows), -1).astype(np.float64) / 255
    else:
        table = dataset.features.iloc[rows][numeric_columns(dataset)].apply(pd.to_numeric, errors="coerce")
        table = table.fillna(table.median())
        values = ((table - table.mean()) / table.std().replace(0, 1)).to_numpy(np.float64, na_value=0.0)
    if values.shape[1] < 2:
        raise DataError(f"{dataset.name}: needs at least two numeric features for principal components")
    return PCA(n_components=2, random_state=0).fit_transform(values), ("PC1", "PC2")


def numeric_columns(dataset: Dataset) -> list[str]:
    """The tabular dataset's numeric columns, in order (what the page offers as axes)."""
    if dataset.kind != "tabular":
        return []
    return [name for name in dataset.features.columns if pd.api.types.is_numeric_dtype(dataset.features[name])]
