"""The preprocessing builder: widgets that produce a PreprocessSpec. Every widget key carries the dataset and
target, so switching datasets never feeds one dataset's choices to another; every widget starts from the spec
`starting_spec` names (what the builder last showed, else the kept spec), so a visit to another page, or an
uploaded spec, leaves the builder showing the spec it should (see ui/preprocess_state.py)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from core.datasets import Dataset
from core.errors import TrainboardError
from core.preprocess import ClassMerge, ColumnKind, DerivedTarget, PreprocessSpec, RangeFilter
from ui.preprocess_state import builder_key, keep_spec, kept_spec, seed, starting_spec

__all__ = ["keep_spec", "kept_spec", "preprocess_builder"]  # the training pages read the kept spec from here

DEFAULT_BINS, DEFAULT_LABELS = "0, 25, 60, 120", "Youth, Adults, Seniors"


def _parse_numbers(text: str, field: str) -> tuple[float, ...]:
    try:
        return tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise TrainboardError(f"{field}: write numbers separated by commas, e.g. 0, 25, 60, 120") from None


def _number_text(value: float) -> str:
    """A bin edge as the user would write it, exact (repr is the shortest text that reads back the same)."""
    return str(int(value)) if value.is_integer() else repr(value)


def _present(values, options) -> list:
    """The values a multiselect can show: a spec may name what this dataset's options lack."""
    return [v for v in values if v in options]


def _row_steps(dataset: Dataset, start: PreprocessSpec, key: str) -> dict:
    frame = dataset.features
    columns = list(frame.columns)
    steps = {}
    steps["drop_columns"] = tuple(
        st.multiselect(
            "Drop columns",
            columns,
            key=seed(f"{key}_drop", _present(start.drop_columns, columns)),
            help="Pre-filled with the columns the alerts flag as leaking or identifier-like.",
        )
    )
    kept_columns = [c for c in columns if c not in steps["drop_columns"]]
    steps["column_kinds"] = _column_kinds(frame, kept_columns, start, key)
    steps["drop_duplicates"] = st.checkbox("Drop duplicate rows", key=seed(f"{key}_dedupe", start.drop_duplicates))
    left, mid, right = st.columns(3)
    steps["missing_rows"] = left.selectbox(
        "Rows with missing values",
        ["keep", "drop", "ffill", "bfill"],
        key=seed(f"{key}_missing_rows", start.missing_rows),
    )
    steps["numeric_impute"] = mid.selectbox(
        "Impute numbers", ["median", "mean", "constant", "none"], key=seed(f"{key}_num_impute", start.numeric_impute)
    )
    steps["categorical_impute"] = right.selectbox(
        "Impute categories", ["mode", "constant", "none"], key=seed(f"{key}_cat_impute", start.categorical_impute)
    )
    numeric = [  # a range needs two distinct values: a slider cannot span one
        c
        for c in columns
        if pd.api.types.is_numeric_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
        and frame[c].nunique() > 1
    ]
    steps["filters"] = _filters(frame, numeric, start, key)
    steps["derived_target"] = _derived_target(numeric, start, key)
    classes = steps["derived_target"].labels if steps["derived_target"] else dataset.classes
    steps |= _class_operations(dataset, classes, start, key)
    return steps


def _filters(frame: pd.DataFrame, numeric: list[str], start: PreprocessSpec, key: str) -> tuple[RangeFilter, ...]:
    started = {f.column: f for f in start.filters}
    filters = []
    chosen_columns = st.multiselect(
        "Keep rows in a range of", numeric, key=seed(f"{key}_filter_columns", _present(started, numeric))
    )
    for column in chosen_columns:
        low, high = float(frame[column].min()), float(frame[column].max())
        rule = started.get(column)
        shown = (low, high)
        if rule is not None:  # a slider cannot go past the column's values: show the bounds it can
            shown = (
                low if rule.minimum is None else min(max(rule.minimum, low), high),
                high if rule.maximum is None else max(min(rule.maximum, high), low),
            )
        chosen = st.slider(column, low, high, key=seed(f"{key}_range_{column}", shown))
        # Left where the spec put it: keep the spec's own bounds (an open side stays open).
        filters.append(rule if rule is not None and tuple(chosen) == shown else RangeFilter(column, *chosen))
    return tuple(filters)


def _derived_target(numeric: list[str], start: PreprocessSpec, key: str) -> DerivedTarget | None:
    derived = start.derived_target
    if derived is not None and derived.source not in numeric:
        numeric = [*numeric, derived.source]  # declared numeric by column_kinds
    if not numeric:
        return None
    label = "Derive the target from a numeric column (e.g. age groups)"
    if not st.toggle(label, key=seed(f"{key}_derive", derived is not None)):
        return None
    a, b, c = st.columns(3)
    default_source = "Victim Age" if "Victim Age" in numeric else numeric[0]
    source = a.selectbox(
        "From column", numeric, key=seed(f"{key}_derive_src", derived.source if derived else default_source)
    )
    bins_text = ", ".join(map(_number_text, derived.bins)) if derived else DEFAULT_BINS
    bins = _parse_numbers(b.text_input("Bin edges", key=seed(f"{key}_derive_bins", bins_text)), "Bin edges")
    labels_text = ", ".join(derived.labels) if derived else DEFAULT_LABELS
    labels = tuple(
        s.strip() for s in c.text_input("Labels", key=seed(f"{key}_derive_labels", labels_text)).split(",") if s.strip()
    )
    st.caption(f"'{source}' is removed from the features: a target made from it would leak it.")
    name = derived.name if derived and derived.source == source else ""
    return DerivedTarget(source, bins, labels, name)


def _column_kinds(frame: pd.DataFrame, columns: list[str], start: PreprocessSpec, key: str) -> tuple[ColumnKind, ...]:
    """Columns declared another kind than the loader inferred: codes as categories, text as numbers or dates."""
    declared = {
        kind: [c.column for c in start.column_kinds if c.kind == kind]
        for kind in ("categorical", "numeric", "datetime")
    }
    date_format = next((c.format for c in start.column_kinds if c.kind == "datetime"), "")
    with st.expander("Column kinds", icon=":material/category:"):
        numbers = [c for c in columns if pd.api.types.is_numeric_dtype(frame[c])]
        texts = [c for c in columns if not pd.api.types.is_numeric_dtype(frame[c])]
        categorical = st.multiselect(
            "Numbers that are categories (codes, ratings)",
            numbers,
            key=seed(f"{key}_as_cat", _present(declared["categorical"], numbers)),
        )
        numeric = st.multiselect(
            "Text that holds numbers (e.g. decimal commas)",
            texts,
            key=seed(f"{key}_as_num", _present(declared["numeric"], texts)),
        )
        left, right = st.columns([2, 1])
        date_options = [c for c in texts if c not in numeric]
        dates = left.multiselect(
            "Text that holds dates",
            date_options,
            key=seed(f"{key}_as_date", _present(declared["datetime"], date_options)),
        )
        date_format = right.text_input(
            "Date format",
            key=seed(f"{key}_date_format", date_format),
            placeholder="inferred, or %d/%m/%Y",
            help="a strptime format, e.g. %d/%m/%Y %H:%M; empty: inferred",
        )
    kinds = (
        *(ColumnKind(c, "categorical") for c in categorical),
        *(ColumnKind(c, "numeric") for c in numeric),
        *(ColumnKind(c, "datetime", date_format.strip()) for c in dates),
    )
    order = {c.column: i for i, c in enumerate(start.column_kinds)}  # the spec's own order: an upload compares equal
    return tuple(sorted(kinds, key=lambda k: order.get(k.column, len(order))))


def _class_operations(dataset: Dataset, classes: tuple[str, ...], start: PreprocessSpec, key: str) -> dict:
    """Drop classes, merge named classes, merge every class under N rows into 'other'."""
    counts = dataset.class_counts() if classes == dataset.classes else {}
    label = (lambda c: f"{c} ({counts[c]:,} rows)") if counts else str
    first = start.merge_classes[0] if start.merge_classes else None
    with st.expander("Classes of the target", icon=":material/merge:"):
        dropped = st.multiselect(
            "Drop the rows of classes",
            classes,
            key=seed(f"{key}_drop_classes", _present(start.drop_classes, classes)),
            format_func=label,
        )
        left, right = st.columns([2, 1])
        options = [c for c in classes if c not in dropped]
        merged = left.multiselect(
            "Merge classes",
            options,
            key=seed(f"{key}_merge", _present(first.classes, options) if first else []),
            format_func=label,
        )
        into = right.text_input(
            "into", key=seed(f"{key}_merge_into", first.into if first else ""), placeholder="+".join(merged) or None
        )
        rare = st.number_input(
            "Merge every class under this many rows into 'other' (0: off)",
            min_value=0,
            key=seed(f"{key}_merge_rare", start.merge_rare_under),
            help="3 is what a stratified split needs",
        )
        if start.merge_classes[1:]:  # the builder has one merge; a spec from a file may hold more
            more = "; ".join(f"{' + '.join(m.classes)} into {m.into}" for m in start.merge_classes[1:])
            st.caption(f"Also merged, as the spec says: {more}.")
    merges = (ClassMerge(tuple(merged), into.strip() or "+".join(merged)),) if len(merged) >= 2 else ()
    merges += start.merge_classes[1:]
    return {"drop_classes": tuple(dropped), "merge_classes": merges, "merge_rare_under": int(rare)}


def preprocess_builder(dataset: Dataset, alerts=()) -> PreprocessSpec:
    """Draw the builder and return the spec it describes (validated for this dataset). Fields the builder has
    no widget for (fill_value, max_categories, rare_label, seed) keep the starting spec's values."""
    key = builder_key(dataset)
    start = starting_spec(dataset, alerts)
    steps = _row_steps(dataset, start, key) if dataset.kind == "tabular" else {}
    left, mid, right = st.columns(3)
    if dataset.kind == "tabular":
        steps["encoding"] = left.radio(
            "Encode categories",
            ["onehot", "ordinal", "label"],
            key=seed(f"{key}_encoding", start.encoding),
            horizontal=True,
        )
    steps["scaling"] = mid.radio(
        "Scale", ["standard", "minmax", "none"], key=seed(f"{key}_scaling", start.scaling), horizontal=True
    )
    steps["balancing"] = right.radio(
        "Balance classes (training rows only)",
        ["none", "smote", "oversample", "undersample"],
        key=seed(f"{key}_balancing", start.balancing),
        horizontal=True,
    )
    spec = dataclasses.replace(start, **steps)
    spec.validate_for(dataset)
    return spec
