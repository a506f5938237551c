"""The numbers behind the exploration figures: correlations, grouped views, time patterns,
map density, and image statistics. Figures may sample rows (the profile and alerts never do)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.datasets.dataset import Dataset

FIGURE_SAMPLE_ROWS = 50_000
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def sample_rows(frame: pd.DataFrame, rows: int = FIGURE_SAMPLE_ROWS, seed: int = 0) -> pd.DataFrame:
    """At most `rows` rows, drawn with a fixed seed so a figure looks the same on every rerun."""
    return frame if len(frame) <= rows else frame.sample(rows, random_state=seed)


def numeric_columns(frame: pd.DataFrame, kinds: dict[str, str] | None = None) -> list[str]:
    """Columns holding quantities. `kinds` (a dataset's feature types) wins over the dtype, so codes
    stored as numbers (Area ID, Premise Code) are not correlated as if they were measurements."""
    if kinds:
        return [c for c in frame.columns if kinds.get(c) == "numeric"]
    return [
        c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
    ]


def categorical_columns(frame: pd.DataFrame, kinds: dict[str, str] | None = None, max_unique: int = 50) -> list[str]:
    """Categorical and boolean columns with few enough values to draw or cross-tabulate."""
    chosen = []
    for column in frame.columns:
        series = frame[column]
        if kinds and column in kinds:
            is_category = kinds[column] in ("categorical", "boolean")
        else:
            is_text = not pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_datetime64_any_dtype(series)
            is_category = is_text or pd.api.types.is_bool_dtype(series)
        if is_category and series.nunique() <= max_unique:
            chosen.append(column)
    return chosen


def correlation_matrix(frame: pd.DataFrame, method: str, kinds: dict[str, str] | None = None) -> pd.DataFrame:
    """Pearson or Spearman between numeric columns; Cramér's V ("cramer") between categorical ones.
    Constant columns are left out: a correlation with them is undefined."""
    if method in ("pearson", "spearman"):
        columns = numeric_columns(frame, kinds)
    else:
        columns = categorical_columns(frame, kinds)
    columns = [c for c in columns if frame[c].nunique() > 1]
    if method in ("pearson", "spearman"):
        return frame[columns].astype("float64").corr(method=method)
    return cramers_v_matrix(frame[columns])


def cramers_v_matrix(frame: pd.DataFrame) -> pd.DataFrame:
    from scipy.stats.contingency import association

    columns = list(frame.columns)
    matrix = pd.DataFrame(np.eye(len(columns)), index=columns, columns=columns)
    for i, a in enumerate(columns):
        for b in columns[i + 1 :]:
            table = pd.crosstab(frame[a], frame[b]).to_numpy()
            value = association(table, method="cramer") if min(table.shape) > 1 else 0.0
            matrix.loc[a, b] = matrix.loc[b, a] = value
    return matrix


def missing_counts(frame: pd.DataFrame) -> pd.Series:
    """Missing values per column, largest first (exact, on all rows)."""
    return frame.isna().sum().sort_values(ascending=False)


def grouped_distribution(frame: pd.DataFrame, column: str, by: str, top: int = 12) -> pd.DataFrame:
    """Share of each value of `column` within each value of `by` (categorical `column`), or the
    column's values per group (numeric `column`, for box plots). Only the `top` largest groups."""
    groups = frame[by].value_counts().head(top).index
    subset = frame[frame[by].isin(groups)]
    if column in numeric_columns(frame):
        return subset[[by, column]].dropna()
    shares = pd.crosstab(subset[by], subset[column], normalize="index")
    return shares.loc[[g for g in groups if g in shares.index]]


def time_patterns(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """Counts per hour of day and per weekday, when the table has an hour column or a date column."""
    patterns = {}
    hour = next((c for c in frame.columns if "hour" in c.lower() and c in numeric_columns(frame)), None)
    if hour:
        patterns["hour"] = frame[hour].dropna().astype(int).value_counts().reindex(range(24), fill_value=0)
    dates = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
    event = next((c for c in dates if "occ" in c.lower()), dates[0] if dates else None)
    if event:
        weekday = frame[event].dropna().dt.day_of_week.value_counts().reindex(range(7), fill_value=0)
        weekday.index = list(WEEKDAYS)
        patterns["weekday"] = weekday
    return patterns


def coordinate_columns(frame: pd.DataFrame) -> tuple[str, str] | None:
    """The latitude and longitude columns, found by name (Latitude/latitud/lat, Longitude/longitud/lon)."""
    numeric = {c.lower(): c for c in numeric_columns(frame)}
    lat = next((numeric[n] for n in ("latitude", "latitud", "lat") if n in numeric), None)
    lon = next((numeric[n] for n in ("longitude", "longitud", "lon", "lng") if n in numeric), None)
    return (lat, lon) if lat and lon else None


# --- images -----------------------------------------------------------------------------------


def mean_images(dataset: Dataset) -> dict[str, np.ndarray]:
    """The average image of each class (exact, over all its images)."""
    flat = dataset.features.reshape(len(dataset.features), -1)
    means = {}
    for code, name in enumerate(dataset.classes):
        rows = dataset.target == code
        if rows.any():
            means[name] = flat[rows].mean(axis=0, dtype=np.float64).reshape(dataset.features.shape[1:])
    return means


def pixel_histogram(dataset: Dataset) -> np.ndarray:
    """How many pixels have each intensity 0..255, over all images."""
    return np.bincount(dataset.features.ravel(), minlength=256)


def projection(dataset: Dataset, method: str = "pca", rows: int = 3000, seed: int = 0) -> pd.DataFrame:
    """A 2-D embedding of a seeded sample of images: PCA (fast, always), or t-SNE (slower; on the sample)."""
    rng = np.random.default_rng(seed)
    chosen = np.sort(rng.choice(len(dataset.target), size=min(rows, len(dataset.target)), replace=False))
    flat = dataset.features[chosen].reshape(len(chosen), -1).astype(np.float32) / 255.0
    if method == "tsne":
        from sklearn.decomposition import PCA
        from sklearn.manifold import TSNE

        reduced = PCA(n_components=min(50, flat.shape[1]), random_state=seed).fit_transform(flat)
        coords = TSNE(n_components=2, random_state=seed, init="pca", perplexity=30).fit_transform(reduced)
    else:
        from sklearn.decomposition import PCA

        coords = PCA(n_components=2, random_state=seed).fit_transform(flat)
    labels = np.asarray(dataset.classes)[dataset.target[chosen]]
    return pd.DataFrame({"x": coords[:, 0], "y": coords[:, 1], "class": labels, "row": chosen})
