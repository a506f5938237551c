"""The fitted part of preprocessing: impute, encode and scale (fitted on the train rows only), then
resample the train rows. It is an imblearn Pipeline, whose samplers act only in `fit`: validation and
test rows are transformed, never resampled."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from imblearn.over_sampling import SMOTE, RandomOverSampler
from imblearn.pipeline import Pipeline
from imblearn.under_sampling import RandomUnderSampler
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline as StepPipeline
from sklearn.preprocessing import FunctionTransformer, MinMaxScaler, OneHotEncoder, OrdinalEncoder, StandardScaler

from core.datasets.dataset import Dataset, Split, make_split
from core.preprocess.rows import row_steps
from core.preprocess.spec import PreprocessSpec, SpecError

MISSING_CATEGORY = "missing"  # what categorical "constant" imputation fills in
SMOTE_NEIGHBOURS = 5


class FrequencyRankEncoder(TransformerMixin, BaseEstimator):
    """Label encoding: each column's categories numbered by how often they occur in the rows it is fitted
    on (most common = 0; ties in sorted order). Unknown categories become -1, missing values NaN."""

    def fit(self, X: Any, y: Any = None) -> FrequencyRankEncoder:
        X = np.asarray(X, dtype=object)
        categories = []
        for column in X.T:
            present = pd.Series(column).dropna()
            counts = present.value_counts()
            ranked = sorted(counts.index, key=lambda value: (-counts[value], str(value)))
            # OrdinalEncoder takes explicit categories in any order for text, with NaN last.
            categories.append(np.array(ranked + ([np.nan] if len(present) < len(column) else []), dtype=object))
        self.encoder_ = OrdinalEncoder(categories=categories, handle_unknown="use_encoded_value", unknown_value=-1)
        self.encoder_.fit(X)
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X: Any) -> np.ndarray:
        return self.encoder_.transform(np.asarray(X, dtype=object))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return self.encoder_.get_feature_names_out(input_features)


# Registries: spec value -> step factory (None: no step). Keys match core.preprocess.spec.CHOICES.
Factory = Callable[[PreprocessSpec], Any]
NUMERIC_IMPUTERS: dict[str, Factory] = {
    "median": lambda spec: SimpleImputer(strategy="median", keep_empty_features=True),
    "mean": lambda spec: SimpleImputer(strategy="mean", keep_empty_features=True),
    "constant": lambda spec: SimpleImputer(strategy="constant", fill_value=spec.fill_value, keep_empty_features=True),
    "none": lambda spec: None,
}
CATEGORICAL_IMPUTERS: dict[str, Factory] = {
    "mode": lambda spec: SimpleImputer(strategy="most_frequent", keep_empty_features=True),
    "constant": lambda spec: SimpleImputer(strategy="constant", fill_value=MISSING_CATEGORY, keep_empty_features=True),
    "none": lambda spec: None,
}


def _onehot(spec: PreprocessSpec) -> OneHotEncoder:
    return OneHotEncoder(max_categories=spec.max_categories, handle_unknown="infrequent_if_exist", sparse_output=False)


# "auto" reaches the pipeline only where no model chose (a preview, a network's preview): the runs resolve it
# first (PreprocessSpec.for_model). One-hot is what most models need; the trees' codes are their own choice.
ENCODERS: dict[str, Factory] = {
    "auto": _onehot,
    "onehot": _onehot,
    # Capped like one-hot, so the trees that take codes see the same categories as a one-hot model's columns:
    # uncapped, 28,642 MO codes on the LA table would be 28,642 codes of a few rows each.
    "ordinal": lambda spec: OrdinalEncoder(
        max_categories=spec.max_categories, handle_unknown="use_encoded_value", unknown_value=-1
    ),
    "label": lambda spec: FrequencyRankEncoder(),
}
SCALERS: dict[str, Factory] = {
    "standard": lambda spec: StandardScaler(),
    "minmax": lambda spec: MinMaxScaler(),
    "none": lambda spec: None,
}
# Images: pixels are 0..255, so "minmax" is a fixed division rather than a fitted MinMaxScaler.
IMAGE_SCALING: dict[str, tuple[float, Factory]] = {
    "minmax": (1 / 255, lambda spec: None),
    "standard": (1.0, lambda spec: StandardScaler()),
    "none": (1.0, lambda spec: None),
}
SAMPLERS: dict[str, Factory] = {
    "none": lambda spec: None,
    "smote": lambda spec: SMOTE(k_neighbors=SMOTE_NEIGHBOURS, random_state=spec.seed),
    "oversample": lambda spec: RandomOverSampler(random_state=spec.seed),
    "undersample": lambda spec: RandomUnderSampler(random_state=spec.seed),
}


def as_float(frame: pd.DataFrame) -> np.ndarray:
    """Numeric columns (nullable Int64 included) as float64, missing values as NaN."""
    return frame.to_numpy(dtype=np.float64, na_value=np.nan)


def as_text(frame: pd.DataFrame) -> np.ndarray:
    """Categorical and boolean columns as text, missing values as NaN: encoders need one type per column,
    and codes stored as numbers (Area ID) must mix with the "missing" fill. Ordinal order is text order."""
    return frame.astype("str").to_numpy(dtype=object, na_value=np.nan)


def flatten_pixels(images: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """N x H x W [x C] images as N x (H*W*C) float32, multiplied by `scale`."""
    images = np.asarray(images)
    return images.reshape(len(images), -1).astype(np.float32) * np.float32(scale)


def _steps(*steps: tuple[str, Any]) -> StepPipeline:
    return StepPipeline([(name, step) for name, step in steps if step is not None])


# Which branch encodes each column kind: a time of day (HHMM, an hour) is a number; a boolean, a label or a
# text identifier is a category (datetime columns never get here: the row steps expand them).
BRANCH_OF_KIND = {
    "numeric": "numeric",
    "time_of_day": "numeric",
    "categorical": "categorical",
    "boolean": "categorical",
    "text_id": "categorical",
}


def _table_features(spec: PreprocessSpec, dataset: Dataset) -> ColumnTransformer:
    frame: pd.DataFrame = dataset.features
    gone = (*spec.drop_columns, *([spec.derived_target.source] if spec.derived_target else []))
    stale = [c for c in gone if c in frame.columns]
    stale += [c for c in frame.columns if dataset.feature_types.get(c) == "datetime"]
    if stale:
        raise SpecError(f"preprocess: '{stale[0]}' should be gone; call apply_row_steps(dataset, spec) first")
    by_kind: dict[str, list[str]] = {"numeric": [], "categorical": []}
    for column in frame.columns:
        kind = dataset.feature_types.get(column, "categorical")
        if kind not in BRANCH_OF_KIND:
            raise SpecError(f"preprocess: column '{column}' is of kind '{kind}', which cannot be encoded")
        by_kind[BRANCH_OF_KIND[kind]].append(column)
    numeric = _steps(
        ("as_float", FunctionTransformer(as_float, feature_names_out="one-to-one")),
        ("impute", NUMERIC_IMPUTERS[spec.numeric_impute](spec)),
        ("scale", SCALERS[spec.scaling](spec)),
    )
    categorical = _steps(
        ("as_text", FunctionTransformer(as_text, feature_names_out="one-to-one")),
        ("impute", CATEGORICAL_IMPUTERS[spec.categorical_impute](spec)),
        ("encode", ENCODERS[spec.encoding](spec)),
    )
    branches = [
        (name, branch, by_kind[name])
        for name, branch in (("numeric", numeric), ("categorical", categorical))
        if by_kind[name]
    ]
    return ColumnTransformer(branches, remainder="drop", verbose_feature_names_out=False)


def _image_steps(spec: PreprocessSpec) -> list[tuple[str, Any]]:
    # Separate top-level steps, not a nested Pipeline: imblearn refuses a Pipeline before its sampler.
    scale, scaler = IMAGE_SCALING[spec.scaling]
    steps = [("flatten", FunctionTransformer(flatten_pixels, kw_args={"scale": scale})), ("scale", scaler(spec))]
    return [(name, step) for name, step in steps if step is not None]


def build_pipeline(spec: PreprocessSpec, dataset: Dataset, estimator: Any = None) -> Pipeline:
    """Unfitted. Tabular: step "features", a ColumnTransformer (numeric -> impute + scale, categorical and
    boolean -> impute + encode). Images: steps "flatten" (to float32, divided by 255 for "minmax") and, for
    "standard", "scale". Then "balance" (the sampler; None for "none") and, when given, "model".
    `dataset` must already have been through apply_row_steps."""
    if dataset.kind == "image":
        steps = _image_steps(spec)
    else:
        steps = [("features", _table_features(spec, dataset))]
    steps.append(("balance", SAMPLERS[spec.balancing](spec)))
    if estimator is not None:
        steps.append(("model", estimator))
    return Pipeline(steps)


def feature_steps(pipeline: Pipeline) -> Pipeline:
    """The steps of a `build_pipeline` pipeline before "balance": what turns rows into the feature matrix."""
    return pipeline[: [name for name, _ in pipeline.steps].index("balance")]


def _rows(dataset: Dataset, rows: np.ndarray) -> pd.DataFrame | np.ndarray:
    return dataset.features.iloc[rows] if dataset.kind == "tabular" else dataset.features[rows]


def _resample(sampler: Any, spec: PreprocessSpec, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    smallest = int(np.bincount(y)[np.unique(y)].min())
    if spec.balancing == "smote" and smallest <= SMOTE_NEIGHBOURS:
        raise SpecError(
            f"preprocess spec: 'balancing' smote needs at least {SMOTE_NEIGHBOURS + 1} train rows per class, "
            f"the smallest class has {smallest}; use oversample"
        )
    if spec.balancing == "smote" and np.isnan(X).any():
        raise SpecError("preprocess spec: 'balancing' smote cannot work with missing values; choose an imputation")
    X_resampled, y_resampled = sampler.fit_resample(X, y)
    return X_resampled, np.asarray(y_resampled, dtype=np.int64)


def _fit_parts(dataset: Dataset, spec: PreprocessSpec, split: Split) -> tuple[Any, dict[str, tuple]]:
    """The fitted feature steps and each part of the split transformed by it, train resampled."""
    pipeline = build_pipeline(spec, dataset)
    features, sampler = feature_steps(pipeline), pipeline.named_steps["balance"]
    y_train = dataset.target[split.train]
    X_train = features.fit_transform(_rows(dataset, split.train), y_train)
    parts = {}
    for name, rows in (("val", split.val), ("test", split.test)):
        # An empty part (test_fraction 0) cannot go through the imputers, which need a row.
        X = features.transform(_rows(dataset, rows)) if len(rows) else np.empty((0, X_train.shape[1]), X_train.dtype)
        parts[name] = (X, dataset.target[rows])
    if sampler is not None:
        X_train, y_train = _resample(sampler, spec, X_train, y_train)
    return features, {"train": (X_train, y_train), **parts}


def transform_split(dataset: Dataset, spec: PreprocessSpec, split: Split) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{"train": (X, y), "val": (X, y), "test": (X, y)}: X a 2-D float array, y class codes. The pipeline is
    fitted on the train rows only and only the train part is resampled. `dataset` is the output of
    apply_row_steps and `split` a split of that dataset."""
    return _fit_parts(dataset, spec, split)[1]


@dataclass(frozen=True)
class PreviewSummary:
    """What a spec does to a dataset, before any model: row, column and class counts at each stage."""

    rows_before: int
    rows_after: int
    columns_before: int
    columns_after: int  # feature columns out of the fitted feature steps
    class_counts_before: dict[str, int]
    class_counts_after_rows: dict[str, int]
    train_counts_after_balancing: dict[str, int]
    feature_names: tuple[str, ...]
    notes: tuple[str, ...]


def preview(dataset: Dataset, spec: PreprocessSpec, split_seed: int = 0) -> PreviewSummary:
    """Apply the row steps, split (seed `split_seed`), fit the features on the train rows and resample them."""
    processed, notes = row_steps(dataset, spec)
    split = make_split(processed, seed=split_seed)
    features, parts = _fit_parts(processed, spec, split)
    X_train, y_train = parts["train"]
    if processed.kind == "image":
        names = tuple(f"pixel {i}" for i in range(X_train.shape[1]))
    else:
        names = tuple(str(n) for n in features.get_feature_names_out())
    counts = np.bincount(y_train, minlength=len(processed.classes))
    if spec.balancing != "none":
        notes = (*notes, f"{spec.balancing}: {len(split.train):,} train rows became {len(y_train):,}")
    if spec.encoding == "auto" and processed.kind == "tabular":
        notes = (
            *notes,
            f"encoding auto: the {X_train.shape[1]:,} columns shown are what one-hot models get (linear, SVM, k-NN, "
            f"networks); the tree models get one code per column ({processed.features.shape[1]:,} columns)",
        )
    return PreviewSummary(
        rows_before=dataset.rows,
        rows_after=processed.rows,
        columns_before=dataset.n_features,
        columns_after=X_train.shape[1],
        class_counts_before=dataset.class_counts(),
        class_counts_after_rows=processed.class_counts(),
        train_counts_after_balancing=dict(zip(processed.classes, map(int, counts), strict=True)),
        feature_names=names,
        notes=notes,
    )
