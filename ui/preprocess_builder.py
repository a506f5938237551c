"""The preprocessing builder: widgets that produce a PreprocessSpec. Every widget key carries the dataset and
target, so switching datasets never feeds one dataset's choices to another; every widget starts from the spec
`starting_spec` names (what the builder last showed, else the kept spec), so a visit to another page, or an
uploaded spec, leaves the builder showing the spec it should (see ui/preprocess_state.py)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from core.datasets import Dataset
from core.errors import TrainboardError
from core.preprocess import CHOICES, DerivedTarget, PreprocessSpec, RangeFilter
from ui.preprocess_order import step_box
from ui.preprocess_state import builder_key, keep_spec, kept_spec, seed, starting_spec
from ui.preprocess_widgets import class_operations, column_kinds, present

__all__ = ["keep_spec", "kept_spec", "preprocess_builder"]  # the training pages read the kept spec from here

DEFAULT_BINS, DEFAULT_LABELS = "0, 25, 60, 120", "Youth, Adults, Seniors"
ENCODING_HELP = (
    "auto: each model its own. The tree models (random forest, gradient boosting, hgb, XGBoost) get one code "
    "per column, which they split on as well as on one-hot columns and fit several times faster; the others "
    "(linear, SVM, k-NN, networks) get one-hot columns. onehot: a 0/1 column per category. ordinal: codes in "
    "text order. label: codes by frequency, the most common 0. One-hot and ordinal keep the 20 most common "
    "categories of a column; the rest share one."
)


def _parse_numbers(text: str, field: str) -> tuple[float, ...]:
    try:
        return tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise TrainboardError(f"{field}: write numbers separated by commas, e.g. 0, 25, 60, 120") from None


def _number_text(value: float) -> str:
    """A bin edge as the user would write it, exact (repr is the shortest text that reads back the same)."""
    return str(int(value)) if value.is_integer() else repr(value)


@dataclass(frozen=True)
class _Context:
    """What every row step's widgets read: the data, the spec they start from, the key prefix, the numeric
    columns a range or a bin can be made of, and the steps drawn above them (in the order they run)."""

    dataset: Dataset
    start: PreprocessSpec
    key: str
    numeric: list[str]
    above: dict


def _row_steps(dataset: Dataset, start: PreprocessSpec, key: str) -> dict:
    frame = dataset.features
    columns = list(frame.columns)
    steps = {}
    dropped = st.session_state[seed(f"{key}_drop", present(start.drop_columns, columns))]
    steps["column_kinds"] = column_kinds(frame, [c for c in columns if c not in dropped], start, key)
    numeric = [  # a range needs two distinct values: a slider cannot span one
        c
        for c in columns
        if pd.api.types.is_numeric_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
        and frame[c].nunique() > 1
    ]
    st.caption("Row steps, in the order they run (before the split; they learn nothing from the data):")
    for name in start.row_order:
        with step_box(dataset, start.row_order, name):
            steps |= ROW_STEP_WIDGETS[name](_Context(dataset, start, key, numeric, steps))
    left, right = st.columns(2)
    steps["numeric_impute"] = left.selectbox(
        "Impute numbers", ["median", "mean", "constant", "none"], key=seed(f"{key}_num_impute", start.numeric_impute)
    )
    steps["categorical_impute"] = right.selectbox(
        "Impute categories", ["mode", "constant", "none"], key=seed(f"{key}_cat_impute", start.categorical_impute)
    )
    return steps


def _drop_columns(ctx: _Context) -> dict:
    columns = list(ctx.dataset.features.columns)
    chosen = st.multiselect(
        "Drop columns",
        columns,
        key=seed(f"{ctx.key}_drop", present(ctx.start.drop_columns, columns)),
        help="Pre-filled with the columns the alerts flag as leaking or identifier-like.",
        label_visibility="collapsed",
    )
    return {"drop_columns": tuple(chosen)}


def _drop_duplicates(ctx: _Context) -> dict:
    label = "Drop rows that repeat another row (features and target alike)"
    return {"drop_duplicates": st.checkbox(label, key=seed(f"{ctx.key}_dedupe", ctx.start.drop_duplicates))}


def _missing_rows(ctx: _Context) -> dict:
    chosen = st.selectbox(
        "Rows with missing values",
        ["keep", "drop", "ffill", "bfill"],
        key=seed(f"{ctx.key}_missing_rows", ctx.start.missing_rows),
        help="keep: the imputation below fills them, fitted on the training rows; drop: rows with any missing "
        "feature go; ffill / bfill: copied from the row before / after, in the file's order",
        label_visibility="collapsed",
    )
    return {"missing_rows": chosen}


def _filters(ctx: _Context) -> dict:
    frame, numeric, start, key = ctx.dataset.features, ctx.numeric, ctx.start, ctx.key
    started = {f.column: f for f in start.filters}
    filters = []
    chosen_columns = st.multiselect(
        "Keep rows in a range of", numeric, key=seed(f"{key}_filter_columns", present(started, numeric))
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
    return {"filters": tuple(filters)}


def _derived_target(ctx: _Context) -> dict:
    derived, numeric, key = ctx.start.derived_target, ctx.numeric, ctx.key
    if derived is not None and derived.source not in numeric:
        numeric = [*numeric, derived.source]  # declared numeric by column_kinds
    if not numeric:
        st.caption("No numeric column to cut a target from.")
        return {"derived_target": None}
    label = "Derive the target from a numeric column (e.g. age groups)"
    if not st.toggle(label, key=seed(f"{key}_derive", derived is not None)):
        return {"derived_target": None}
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
    old = ctx.dataset.target_name
    keep_old = st.checkbox(
        f"Keep '{old}' (the loaded target) as a feature, with its rows where it is missing",
        key=seed(f"{key}_derive_keep_old", derived is None or derived.old_target == "feature"),
    )
    st.caption(f"'{source}' is removed from the features: a target made from it would leak it.")
    name = derived.name if derived and derived.source == source else ""
    return {"derived_target": DerivedTarget(source, bins, labels, name, "feature" if keep_old else "drop")}


def _classes(ctx: _Context) -> dict:
    # Listed after a derived target, the class changes act on its classes; before it, on the loaded target's.
    derived = ctx.above.get("derived_target")
    return class_operations(ctx.dataset, derived.labels if derived else ctx.dataset.classes, ctx.start, ctx.key)


# Each row step's widgets by its name in PreprocessSpec.row_order: (context) -> the spec fields they set.
ROW_STEP_WIDGETS: dict[str, Callable[[_Context], dict]] = {
    "drop_columns": _drop_columns,
    "filters": _filters,
    "derived_target": _derived_target,
    "classes": _classes,
    "drop_duplicates": _drop_duplicates,
    "missing_rows": _missing_rows,
}


def preprocess_builder(dataset: Dataset, alerts=()) -> PreprocessSpec:
    """Draw the builder and return the spec it describes (validated for this dataset). Fields the builder has
    no widget for (fill_value, max_categories, rare_label, seed) keep the starting spec's values; so does
    row_order, which the row steps' up/down buttons change in the draft (ui/preprocess_state.move_step)."""
    key = builder_key(dataset)
    start = starting_spec(dataset, alerts)
    steps = _row_steps(dataset, start, key) if dataset.kind == "tabular" else {}
    left, mid, right = st.columns(3)
    if dataset.kind == "tabular":
        steps["encoding"] = left.radio(
            "Encode categories",
            list(CHOICES["encoding"]),
            key=seed(f"{key}_encoding", start.encoding),
            horizontal=True,
            help=ENCODING_HELP,
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
