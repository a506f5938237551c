"""The loaded dataset, where it came from, and the train/validation/test split every run records."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Literal

import numpy as np
import pandas as pd

from core.errors import DataError

Kind = Literal["tabular", "image"]


@dataclass(frozen=True)
class Provenance:
    """Where the data came from. `sha256` is over the data as loaded (features and labels),
    so two loads of the same content agree whatever file or cache they came through."""

    source: str  # "file", "debian-package", "download", "synthetic", "generator", "scikit-learn", "cache"
    location: str  # a path, a URL, or a description of the generator
    sha256: str
    rows: int
    synthetic: bool = False
    loaded_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Dataset:
    """One loaded dataset. Features are a DataFrame (tabular) or a uint8 array N x H x W [x C] (image);
    `target` holds class codes 0..len(classes)-1. `test_rows`, when set, is an official test set
    (Fashion-MNIST's 10,000 images) that every split keeps as its test part."""

    name: str
    kind: Kind
    features: pd.DataFrame | np.ndarray
    target: np.ndarray
    classes: tuple[str, ...]
    feature_types: dict[str, str]
    provenance: Provenance
    target_name: str = "label"
    test_rows: np.ndarray | None = None
    # Finer kinds from core.datasets.kinds (adding time_of_day and text_id), where the loader inferred them;
    # `feature_types` keeps the base kinds (numeric, categorical, boolean, datetime) every consumer knows.
    feature_kinds: dict[str, str] = field(default_factory=dict)
    # Tabular: the feature rows the loader dropped for having no target, indexed by their position among all the
    # loaded rows (None: there were none, or their positions no longer hold, as in a sample). A derived target
    # that keeps the loaded target as a feature puts them back. They are not in the sha256, which stays that of
    # the rows a model learns from; the dataset after the row steps hashes what it has.
    unlabelled: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        if len(self.features) != len(self.target):
            raise DataError(f"{self.name}: {len(self.features)} feature rows but {len(self.target)} labels")

    @property
    def rows(self) -> int:
        return len(self.target)

    @property
    def image_shape(self) -> tuple[int, ...] | None:
        return tuple(self.features.shape[1:]) if self.kind == "image" else None

    @property
    def n_features(self) -> int:
        if self.kind == "image":
            return int(np.prod(self.features.shape[1:]))
        return self.features.shape[1]

    def class_counts(self, rows: np.ndarray | None = None) -> dict[str, int]:
        labels = self.target if rows is None else self.target[rows]
        counts = np.bincount(labels, minlength=len(self.classes))
        return {name: int(n) for name, n in zip(self.classes, counts, strict=True)}


def content_sha256(features: pd.DataFrame | np.ndarray, target: np.ndarray, classes: tuple[str, ...]) -> str:
    """sha256 over the features, the labels and the class names, independent of the file format."""
    digest = hashlib.sha256()
    if isinstance(features, pd.DataFrame):
        digest.update(",".join(map(str, features.columns)).encode())
        digest.update(pd.util.hash_pandas_object(features, index=False).to_numpy().tobytes())
    else:
        digest.update(str(features.shape).encode())
        digest.update(np.ascontiguousarray(features).tobytes())
    digest.update(np.ascontiguousarray(target, dtype=np.int64).tobytes())
    digest.update("\x1f".join(classes).encode())
    return digest.hexdigest()


def encode_target(values: pd.Series, column: str) -> tuple[np.ndarray, tuple[str, ...], np.ndarray]:
    """Class codes for a target column. Returns (codes, class names, mask of rows kept):
    rows whose target is missing are dropped, since they cannot be learned from or scored."""
    keep = values.notna().to_numpy()
    present = values[keep]
    if present.empty:
        raise DataError(f"target column '{column}' has no values")
    if pd.api.types.is_float_dtype(present) and (present == present.round()).all():
        present = present.astype("int64")  # 1.0, 2.0 read from a CSV with blanks are classes 1, 2
    uniques = pd.unique(present)
    try:
        uniques = sorted(uniques)
    except TypeError:  # mixed types: order by their text
        uniques = sorted(uniques, key=str)
    codes = pd.Categorical(present, categories=uniques).codes.astype(np.int64)
    return codes, tuple(str(u) for u in uniques), keep


@dataclass(frozen=True, eq=False)
class Split:
    """Stratified, seeded train/validation/test row indices. `hash` covers the dataset's sha256 and
    the indices, so runs with the same hash provably saw the same data."""

    train: np.ndarray
    val: np.ndarray
    test: np.ndarray
    seed: int
    hash: str

    def sizes(self) -> dict[str, int]:
        return {"train": len(self.train), "val": len(self.val), "test": len(self.test)}


def split_hash(dataset_sha256: str, train: np.ndarray, val: np.ndarray, test: np.ndarray) -> str:
    digest = hashlib.sha256(dataset_sha256.encode())
    for part in (train, val, test):
        digest.update(b"|")
        digest.update(np.ascontiguousarray(part, dtype=np.int64).tobytes())
    return digest.hexdigest()


CONTINUOUS_CLASSES = 20  # a numeric target with more distinct values than this, most of them rare, is a quantity


class RareClassesError(DataError):
    """Some classes have too few rows for a stratified split. `rare` maps each such class to its row count and
    `minimum` is what the split needs, so a page can offer the fix (merge them, or drop them) in the error."""

    def __init__(self, message: str, rare: dict[str, int], minimum: int) -> None:
        super().__init__(message)
        self.rare, self.minimum = rare, minimum


def _check_stratifiable(dataset: Dataset, rows: np.ndarray, parts: int) -> None:
    counts = np.bincount(dataset.target[rows], minlength=len(dataset.classes))
    rare = {name: int(n) for name, n in zip(dataset.classes, counts, strict=True) if 0 < n < parts}
    where = f"{dataset.name}: target '{dataset.target_name}'"
    if rare and looks_continuous(dataset.classes, len(rare)):
        raise DataError(
            f"{where} looks continuous ({len(dataset.classes):,} distinct numbers, {len(rare):,} of them in fewer "
            f"than {parts} rows); bin it into classes with a derived target (preprocess spec 'derived_target')"
        )
    rows = int(counts.sum())
    if rare and rows < 2 * parts:  # no merge or drop can help (the fix offered below): say what is missing
        raise DataError(
            f"{where}: too few rows to classify ({rows:,} row{'s' * (rows != 1)}); a stratified split needs at "
            f"least {parts} rows in each of at least 2 classes"
        )
    if rare:
        shown = ", ".join(f"'{name}' ({n} row{'s' * (n != 1)})" for name, n in list(rare.items())[:12])
        more = f" and {len(rare) - 12} more" if len(rare) > 12 else ""
        raise RareClassesError(
            f"{where}: {len(rare)} class{'es' * (len(rare) != 1)} too small for a stratified split, which needs "
            f"at least {parts} rows per class: {shown}{more}; merge them into 'other' (preprocess spec "
            f"'merge_rare_under': {parts}) or drop them ('drop_classes')",
            rare,
            parts,
        )
    if np.count_nonzero(counts) < 2:
        raise DataError(f"{where} has a single class; nothing to classify")


def looks_continuous(classes: tuple[str, ...], rare: int) -> bool:
    """Many distinct class names that all read as numbers, most of them rare: a quantity, not categories."""
    if len(classes) <= CONTINUOUS_CLASSES or rare < len(classes) / 2:
        return False
    return bool(pd.to_numeric(pd.Series(classes), errors="coerce").notna().all())


def _stratified_cut(rows: np.ndarray, labels: np.ndarray, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.model_selection import train_test_split

    n_cut = max(int(round(len(rows) * fraction)), len(np.unique(labels)))
    try:
        keep, cut = train_test_split(rows, test_size=n_cut, stratify=labels, random_state=seed)
    except ValueError as exc:
        raise DataError(f"cannot split stratified: {exc}") from None
    return np.sort(keep), np.sort(cut)


def make_split(dataset: Dataset, seed: int = 0, val_fraction: float = 0.1, test_fraction: float = 0.2) -> Split:
    """Stratified split. With an official test set, that set is the test part and validation is
    `val_fraction` of the remaining rows; otherwise test and validation are fractions of all rows."""
    if not (0 < val_fraction < 1 and 0 <= test_fraction < 1 and val_fraction + test_fraction < 1):
        raise DataError(f"split fractions out of range: val={val_fraction}, test={test_fraction}")
    all_rows = np.arange(dataset.rows)
    if dataset.test_rows is not None:
        test = np.sort(np.asarray(dataset.test_rows, dtype=np.int64))
        pool = np.setdiff1d(all_rows, test, assume_unique=True)
        _check_stratifiable(dataset, pool, 2)
        train, val = _stratified_cut(pool, dataset.target[pool], val_fraction, seed)
    else:
        _check_stratifiable(dataset, all_rows, 3)
        pool, test = _stratified_cut(all_rows, dataset.target, test_fraction, seed)
        train, val = _stratified_cut(pool, dataset.target[pool], val_fraction / (1 - test_fraction), seed)
    return Split(train, val, test, seed, split_hash(dataset.provenance.sha256, train, val, test))


def infer_feature_types(frame: pd.DataFrame) -> dict[str, str]:
    """'numeric', 'boolean', 'datetime' or 'categorical' for each column, from its pandas dtype."""
    kinds = {}
    for column, dtype in frame.dtypes.items():
        if pd.api.types.is_bool_dtype(dtype):
            kinds[column] = "boolean"
        elif pd.api.types.is_numeric_dtype(dtype):
            kinds[column] = "numeric"
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            kinds[column] = "datetime"
        else:
            kinds[column] = "categorical"
    return kinds


def tabular_dataset(
    name: str,
    frame: pd.DataFrame,
    target: str,
    provenance: dict,
    notes: tuple[str, ...] = (),
    feature_types: dict[str, str] | None = None,
) -> Dataset:
    """A tabular Dataset from a frame holding the target column: the target is encoded, rows with
    no target are dropped (and counted in the notes), and the content hash is taken.
    `provenance` gives source, location and optionally synthetic; `feature_types` overrides the
    types inferred from the dtypes (e.g. codes stored as numbers that are really categories)."""
    if target not in frame.columns:
        shown = ", ".join(map(str, frame.columns[:8])) + (" ..." if frame.shape[1] > 8 else "")
        raise DataError(f"{provenance['location']}: target column '{target}' not found; columns: {shown}")
    if frame.empty:
        raise DataError(f"{provenance['location']}: no rows")
    codes, classes, keep = encode_target(frame[target], target)
    features = frame.loc[keep].drop(columns=[target]).reset_index(drop=True)
    dropped = int((~keep).sum())
    unlabelled = frame.loc[~keep].drop(columns=[target]).set_axis(np.flatnonzero(~keep)) if dropped else None
    if dropped:
        notes = (*notes, f"{dropped:,} rows with no '{target}' were dropped")
    return Dataset(
        name=name,
        kind="tabular",
        features=features,
        target=codes,
        classes=classes,
        feature_types={
            **infer_feature_types(features),
            **{k: v for k, v in (feature_types or {}).items() if k in features},
        },
        provenance=Provenance(
            sha256=content_sha256(features, codes, classes), rows=len(codes), notes=notes, **provenance
        ),
        target_name=target,
        unlabelled=unlabelled,
    )


def subsample(dataset: Dataset, rows: int, seed: int = 0) -> Dataset:
    """A stratified, seeded sample of `rows` rows (e.g. --limit), as a new Dataset with its own sha256.
    An official test set stays in proportion, so the sample keeps a test part of the same share."""
    if rows >= dataset.rows:
        return dataset
    from sklearn.model_selection import train_test_split

    every = np.arange(dataset.rows)
    try:
        chosen, _ = train_test_split(every, train_size=rows, stratify=dataset.target, random_state=seed)
    except ValueError:  # a class too small to stratify at this size: sample plainly
        chosen = np.random.default_rng(seed).choice(every, size=rows, replace=False)
    chosen = np.sort(chosen)
    features = (
        dataset.features.iloc[chosen].reset_index(drop=True) if dataset.kind == "tabular" else dataset.features[chosen]
    )
    target = dataset.target[chosen]
    test_rows = None
    if dataset.test_rows is not None:
        test_rows = np.flatnonzero(np.isin(chosen, dataset.test_rows))
    provenance = replace(
        dataset.provenance,
        sha256=content_sha256(features, target, dataset.classes),
        rows=rows,
        notes=(*dataset.provenance.notes, f"stratified sample of {rows:,} of {dataset.rows:,} rows (seed {seed})"),
    )
    # A sample is of the labelled rows: the unlabelled ones' positions among all rows no longer hold.
    return replace(
        dataset, features=features, target=target, provenance=provenance, test_rows=test_rows, unlabelled=None
    )
