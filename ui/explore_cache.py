"""Every computation behind the Explore page, cached by the dataset's sha256 (and its target's name) plus the
few small values each result depends on, so a rerun recomputes only what its inputs changed: switching the
correlation method recomputes one matrix, returning to the page recomputes nothing.

The dataset is passed as `_dataset`: Streamlit does not hash a parameter whose name starts with an underscore,
and hashing a 50,000-row frame on every rerun would cost more than most of these results. Its sha256 covers
the features, the labels and the class names, so it stands for the data (rows included)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import streamlit as st

from core.datasets import Dataset
from core.datasets.summary import samples_per_class
from core.eda import dataset_frame, dataset_kinds, find_alerts, profile
from core.eda import views as eda_views
from core.preprocess import PreprocessSpec

if TYPE_CHECKING:
    from core.preprocess import PreviewSummary

CORRELATION_SAMPLE = 20_000  # Cramér's V cross-tabulates every pair; a sample draws the same picture


def dataset_key(dataset: Dataset) -> tuple[str, str]:
    """What the caches below are keyed by for `dataset`: its data's sha256 and its target's name."""
    return dataset.provenance.sha256, dataset.target_name


@st.cache_resource(max_entries=2, show_spinner=False)
def explore_frame(sha: str, target: str, _dataset: Dataset) -> pd.DataFrame:
    """The features with the target as the last column (see core.eda.dataset_frame). Shared, not copied on
    every call as st.cache_data would: treat it as read-only (pandas' copy-on-write keeps the dataset safe)."""
    return dataset_frame(_dataset)


@st.cache_data(max_entries=4, show_spinner="Profiling every column and checking for alerts...")
def analyse(sha: str, target: str, _dataset: Dataset):
    """Exact profile and alerts (lists of ColumnProfile and Alert). No split: exploring takes any table and any
    target, even one training could not split."""
    frame = explore_frame(sha, target, _dataset)
    kinds = dataset_kinds(_dataset)
    profiles = profile(frame, kinds)
    return profiles, find_alerts(frame, target=target, kinds=kinds, profiles=profiles)


@st.cache_data(max_entries=64, show_spinner=False)
def column_sample(sha: str, target: str, column: str, _dataset: Dataset) -> pd.Series:
    """The values of one column on the figures' seeded sample of rows (at most views.FIGURE_SAMPLE_ROWS)."""
    return eda_views.sample_rows(explore_frame(sha, target, _dataset))[column]


@st.cache_data(max_entries=8, show_spinner=False)
def target_counts(sha: str, target: str, _dataset: Dataset) -> dict[str, int]:
    """Rows per class of the target, in the classes' sorted order."""
    return explore_frame(sha, target, _dataset)[target].value_counts().sort_index().to_dict()


@st.cache_data(max_entries=8, show_spinner=False)
def missing_counts(sha: str, target: str, _dataset: Dataset) -> pd.Series:
    return eda_views.missing_counts(explore_frame(sha, target, _dataset))


@st.cache_data(max_entries=16, show_spinner="Computing the correlations...")
def correlation(sha: str, target: str, method: str, _dataset: Dataset) -> pd.DataFrame:
    frame = eda_views.sample_rows(explore_frame(sha, target, _dataset), CORRELATION_SAMPLE)
    return eda_views.correlation_matrix(frame, method, dataset_kinds(_dataset))


@st.cache_data(max_entries=8, show_spinner=False)
def group_columns(sha: str, target: str, _dataset: Dataset) -> list[str]:
    """The columns a distribution can be grouped by (categorical, few values)."""
    return eda_views.categorical_columns(explore_frame(sha, target, _dataset), dataset_kinds(_dataset))


@st.cache_data(max_entries=32, show_spinner="Grouping the rows...")
def grouped(sha: str, target: str, column: str, by: str, _dataset: Dataset) -> pd.DataFrame:
    return eda_views.grouped_distribution(eda_views.sample_rows(explore_frame(sha, target, _dataset)), column, by)


@st.cache_data(max_entries=8, show_spinner=False)
def time_and_place(sha: str, target: str, _dataset: Dataset):
    """(counts per hour/weekday, (latitude, longitude) of the sampled rows or None)."""
    frame = explore_frame(sha, target, _dataset)
    coordinates = eda_views.coordinate_columns(frame)
    if coordinates is None:
        return eda_views.time_patterns(frame), None
    sample = eda_views.sample_rows(frame)
    return eda_views.time_patterns(frame), (sample[coordinates[0]], sample[coordinates[1]])


@st.cache_data(max_entries=8, show_spinner=False)
def class_samples(sha: str, per_class: int, seed: int, _dataset: Dataset) -> dict[str, np.ndarray]:
    return samples_per_class(_dataset, per_class, seed)


@st.cache_data(max_entries=8, show_spinner="Averaging the images of each class...")
def mean_images(sha: str, _dataset: Dataset) -> dict[str, np.ndarray]:
    return eda_views.mean_images(_dataset)


@st.cache_data(max_entries=8, show_spinner="Counting pixel intensities...")
def pixel_histogram(sha: str, _dataset: Dataset) -> np.ndarray:
    return eda_views.pixel_histogram(_dataset)


@st.cache_data(max_entries=16, show_spinner="Projecting the images (t-SNE takes up to a minute, once)...")
def projection(sha: str, method: str, rows: int, seed: int, _dataset: Dataset) -> pd.DataFrame:
    return eda_views.projection(_dataset, method, rows=rows, seed=seed)


@st.cache_data(max_entries=16, show_spinner="Applying the row steps and fitting the pipeline on the training rows...")
def preview_summary(sha: str, target: str, spec_json: str, split_seed: int, _dataset: Dataset) -> PreviewSummary:
    """What the spec (as its JSON) does to the dataset: row steps, split, fitted features, balancing."""
    from core.preprocess import preview  # imports scikit-learn and imbalanced-learn: on first use only

    return preview(_dataset, PreprocessSpec.from_json(spec_json), split_seed)
