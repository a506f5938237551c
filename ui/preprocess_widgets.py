"""Builder widgets that are not row steps of their own order: the declared column kinds (read before every
row step) and the class changes' widgets (the "classes" row step draws them)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.datasets import Dataset
from core.preprocess import ClassMerge, ColumnKind, PreprocessSpec
from ui.preprocess_state import seed


def present(values, options) -> list:
    """The values a multiselect can show: a spec may name what this dataset's options lack."""
    return [v for v in values if v in options]


def column_kinds(frame: pd.DataFrame, columns: list[str], start: PreprocessSpec, key: str) -> tuple[ColumnKind, ...]:
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
            key=seed(f"{key}_as_cat", present(declared["categorical"], numbers)),
        )
        numeric = st.multiselect(
            "Text that holds numbers (e.g. decimal commas)",
            texts,
            key=seed(f"{key}_as_num", present(declared["numeric"], texts)),
        )
        left, right = st.columns([2, 1])
        date_options = [c for c in texts if c not in numeric]
        dates = left.multiselect(
            "Text that holds dates",
            date_options,
            key=seed(f"{key}_as_date", present(declared["datetime"], date_options)),
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


def class_operations(dataset: Dataset, classes: tuple[str, ...], start: PreprocessSpec, key: str) -> dict:
    """Drop classes, merge named classes, merge every class under N rows into 'other'."""
    counts = dataset.class_counts() if classes == dataset.classes else {}
    label = (lambda c: f"{c} ({counts[c]:,} rows)") if counts else str
    first = start.merge_classes[0] if start.merge_classes else None
    with st.expander("Drop or merge classes", icon=":material/merge:"):
        dropped = st.multiselect(
            "Drop the rows of classes",
            classes,
            key=seed(f"{key}_drop_classes", present(start.drop_classes, classes)),
            format_func=label,
        )
        left, right = st.columns([2, 1])
        options = [c for c in classes if c not in dropped]
        merged = left.multiselect(
            "Merge classes",
            options,
            key=seed(f"{key}_merge", present(first.classes, options) if first else []),
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
