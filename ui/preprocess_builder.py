"""The preprocessing builder: widgets that produce a PreprocessSpec, a preview of its effect,
and a button that keeps it for training. Every widget key carries the dataset and target, so
switching datasets never feeds one dataset's choices to another."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.datasets import Dataset
from core.errors import TrainboardError
from core.preprocess import (
    ClassMerge,
    ColumnKind,
    DerivedTarget,
    PreprocessSpec,
    RangeFilter,
    preview,
    suggested_drops,
)

SPECS_KEY = "preprocess_specs"  # {dataset name: spec JSON}


def _parse_numbers(text: str, field: str) -> tuple[float, ...]:
    try:
        return tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise TrainboardError(f"{field}: write numbers separated by commas, e.g. 0, 25, 60, 120") from None


def _row_steps(dataset: Dataset, alerts, key: str) -> dict:
    frame = dataset.features
    columns = list(frame.columns)
    suggested = [c for c in suggested_drops(alerts) if c in columns]
    steps = {}
    steps["drop_columns"] = tuple(
        st.multiselect(
            "Drop columns",
            columns,
            default=suggested,
            key=f"{key}_drop",
            help="Pre-filled with the columns the alerts flag as leaking or identifier-like.",
        )
    )
    steps["column_kinds"] = _column_kinds(frame, [c for c in columns if c not in steps["drop_columns"]], key)
    steps["drop_duplicates"] = st.checkbox("Drop duplicate rows", key=f"{key}_dedupe")
    left, mid, right = st.columns(3)
    steps["missing_rows"] = left.selectbox(
        "Rows with missing values", ["keep", "drop", "ffill", "bfill"], key=f"{key}_missing_rows"
    )
    steps["numeric_impute"] = mid.selectbox(
        "Impute numbers", ["median", "mean", "constant", "none"], key=f"{key}_num_impute"
    )
    steps["categorical_impute"] = right.selectbox(
        "Impute categories", ["mode", "constant", "none"], key=f"{key}_cat_impute"
    )
    numeric = [  # a range needs two distinct values: a slider cannot span one
        c
        for c in columns
        if pd.api.types.is_numeric_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
        and frame[c].nunique() > 1
    ]
    filters = []
    for column in st.multiselect("Keep rows in a range of", numeric, key=f"{key}_filter_columns"):
        low, high = float(frame[column].min()), float(frame[column].max())
        chosen = st.slider(column, low, high, (low, high), key=f"{key}_range_{column}")
        filters.append(RangeFilter(column, chosen[0], chosen[1]))
    steps["filters"] = tuple(filters)
    steps["derived_target"] = None
    if numeric and st.toggle("Derive the target from a numeric column (e.g. age groups)", key=f"{key}_derive"):
        a, b, c = st.columns(3)
        default_source = "Victim Age" if "Victim Age" in numeric else numeric[0]
        source = a.selectbox("From column", numeric, index=numeric.index(default_source), key=f"{key}_derive_src")
        bins = _parse_numbers(b.text_input("Bin edges", "0, 25, 60, 120", key=f"{key}_derive_bins"), "Bin edges")
        labels = tuple(
            s.strip()
            for s in c.text_input("Labels", "Youth, Adults, Seniors", key=f"{key}_derive_labels").split(",")
            if s.strip()
        )
        steps["derived_target"] = DerivedTarget(source, bins, labels)
        st.caption(f"'{source}' is removed from the features: a target made from it would leak it.")
    classes = steps["derived_target"].labels if steps["derived_target"] else dataset.classes
    steps |= _class_operations(dataset, classes, key)
    return steps


def _column_kinds(frame: pd.DataFrame, columns: list[str], key: str) -> tuple[ColumnKind, ...]:
    """Columns declared another kind than the loader inferred: codes as categories, text as numbers or dates."""
    with st.expander("Column kinds", icon=":material/category:"):
        numbers = [c for c in columns if pd.api.types.is_numeric_dtype(frame[c])]
        texts = [c for c in columns if not pd.api.types.is_numeric_dtype(frame[c])]
        categorical = st.multiselect("Numbers that are categories (codes, ratings)", numbers, key=f"{key}_as_cat")
        numeric = st.multiselect("Text that holds numbers (e.g. decimal commas)", texts, key=f"{key}_as_num")
        left, right = st.columns([2, 1])
        dates = left.multiselect("Text that holds dates", [c for c in texts if c not in numeric], key=f"{key}_as_date")
        date_format = right.text_input(
            "Date format",
            "",
            key=f"{key}_date_format",
            placeholder="inferred, or %d/%m/%Y",
            help="a strptime format, e.g. %d/%m/%Y %H:%M; empty: inferred",
        )
    return (
        *(ColumnKind(c, "categorical") for c in categorical),
        *(ColumnKind(c, "numeric") for c in numeric),
        *(ColumnKind(c, "datetime", date_format.strip()) for c in dates),
    )


def _class_operations(dataset: Dataset, classes: tuple[str, ...], key: str) -> dict:
    """Drop classes, merge named classes, merge every class under N rows into 'other'."""
    counts = dataset.class_counts() if classes == dataset.classes else {}
    label = (lambda c: f"{c} ({counts[c]:,} rows)") if counts else str
    with st.expander("Classes of the target", icon=":material/merge:"):
        dropped = st.multiselect("Drop the rows of classes", classes, key=f"{key}_drop_classes", format_func=label)
        left, right = st.columns([2, 1])
        merged = left.multiselect(
            "Merge classes", [c for c in classes if c not in dropped], key=f"{key}_merge", format_func=label
        )
        into = right.text_input("into", "+".join(merged[:3]), key=f"{key}_merge_into")
        kept = kept_spec(dataset.name)  # e.g. the fix a rare-classes error offered: start from it
        rare = st.number_input(
            "Merge every class under this many rows into 'other' (0: off)",
            0,
            10_000,
            kept.merge_rare_under if kept else 0,
            key=f"{key}_merge_rare",
            help="3 is what a stratified split needs",
        )
    merges = (ClassMerge(tuple(merged), into.strip() or "+".join(merged)),) if len(merged) >= 2 else ()
    return {"drop_classes": tuple(dropped), "merge_classes": merges, "merge_rare_under": int(rare)}


def preprocess_builder(dataset: Dataset, alerts=()) -> PreprocessSpec:
    """Draw the builder and return the spec it describes (validated for this dataset)."""
    key = f"pp_{dataset.name}_{dataset.target_name}"
    steps = _row_steps(dataset, alerts, key) if dataset.kind == "tabular" else {}
    left, mid, right = st.columns(3)
    if dataset.kind == "tabular":
        steps["encoding"] = left.radio(
            "Encode categories", ["onehot", "ordinal", "label"], key=f"{key}_encoding", horizontal=True
        )
    steps["scaling"] = mid.radio("Scale", ["standard", "minmax", "none"], key=f"{key}_scaling", horizontal=True)
    steps["balancing"] = right.radio(
        "Balance classes (training rows only)",
        ["none", "smote", "oversample", "undersample"],
        key=f"{key}_balancing",
        horizontal=True,
    )
    spec = PreprocessSpec(**steps)
    spec.validate_for(dataset)
    return spec


def show_preview(dataset: Dataset, spec: PreprocessSpec, split_seed: int) -> None:
    summary = preview(dataset, spec, split_seed)
    cols = st.columns(4)
    cols[0].metric("Rows", f"{summary.rows_after:,}", delta=f"{summary.rows_after - summary.rows_before:,}")
    cols[1].metric(
        "Feature columns",
        f"{summary.columns_after:,}",
        delta=f"{summary.columns_after - summary.columns_before:+,}",
        delta_color="off",
    )
    cols[2].metric("Classes", len(summary.class_counts_after_rows))
    cols[3].metric("Training rows after balancing", f"{sum(summary.train_counts_after_balancing.values()):,}")
    after = {
        "after row steps": pd.Series(summary.class_counts_after_rows),
        "train after balancing": pd.Series(summary.train_counts_after_balancing),
    }
    if set(summary.class_counts_before) == set(summary.class_counts_after_rows):
        after = {"before": pd.Series(summary.class_counts_before), **after}
    else:  # a derived target: the old classes do not line up with the new ones
        before = ", ".join(f"{name} {count:,}" for name, count in summary.class_counts_before.items())
        st.caption(f"The target changed; classes before: {before}.")
    st.dataframe(pd.DataFrame(after).fillna(0).astype(int), key=f"pp_preview_counts_{dataset.name}")
    for note in summary.notes:
        st.caption(note)


def keep_spec(dataset: Dataset, spec: PreprocessSpec) -> None:
    st.session_state.setdefault(SPECS_KEY, {})[dataset.name] = spec.to_json()


def kept_spec(dataset_name: str) -> PreprocessSpec | None:
    text = st.session_state.get(SPECS_KEY, {}).get(dataset_name)
    return PreprocessSpec.from_json(text) if text else None
