"""The fix offered inside a rare-classes error: merge every class under the split's minimum into 'other', kept in
the dataset's preprocessing spec for training (the Explore page's builder shows it and can change it)."""

from __future__ import annotations

import dataclasses

import streamlit as st

from core.datasets import Dataset
from core.datasets.dataset import RareClassesError
from core.preprocess import PreprocessSpec


def _merge_rare(dataset: Dataset, minimum: int) -> None:
    # Imported on click: the builder imports scikit-learn and imbalanced-learn (seconds), and the Data page, the
    # app's first page, imports this module.
    from ui.preprocess_builder import keep_spec, kept_spec

    spec = dataclasses.replace(kept_spec(dataset.name) or PreprocessSpec(), merge_rare_under=minimum)
    keep_spec(dataset, spec)
    st.toast(f"Classes under {minimum} rows will be merged into 'other' for training; press Train again.")


def rare_classes_error(error: RareClassesError, dataset: Dataset, key: str) -> None:
    """The error, and a button that applies the fix it names."""
    st.error(str(error), icon=":material/error:")
    st.button(
        f"Merge the {len(error.rare)} small class{'es' * (len(error.rare) != 1)} into 'other' for training",
        key=f"{key}_merge_rare",
        on_click=_merge_rare,
        args=(dataset, error.minimum),
        icon=":material/merge:",
        help="Adds 'merge_rare_under' to this dataset's preprocessing; Explore's builder can drop or merge classes "
        "by name instead.",
    )
