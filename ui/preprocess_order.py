"""The row steps of the preprocessing builder, drawn in the order they run: each in a box with its number and
buttons that move it one place up or down (the order itself is core's: PreprocessSpec.row_order)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from core.datasets import Dataset
from ui.preprocess_state import builder_key, move_step

TITLES = {
    "drop_columns": "Drop columns",
    "filters": "Keep rows in a range",
    "derived_target": "Derive the target",
    "classes": "Classes of the target",
    "drop_duplicates": "Drop duplicate rows",
    "missing_rows": "Rows with missing values",
}


@contextmanager
def step_box(dataset: Dataset, order: tuple[str, ...], name: str) -> Iterator[None]:
    """A bordered box for row step `name`, headed '2. Keep rows in a range' with its up and down buttons."""
    key, at = builder_key(dataset), order.index(name)
    with st.container(border=True):
        title, up, down = st.columns([8, 1, 1], vertical_alignment="center")
        title.markdown(f"**{at + 1}. {TITLES[name]}**")
        for column, offset, icon, word in ((up, -1, "arrow_upward", "earlier"), (down, 1, "arrow_downward", "later")):
            column.button(
                f":material/{icon}:",
                key=f"{key}_move_{name}_{offset}",
                help=f"Run this step {word}",
                disabled=not 0 <= at + offset < len(order),
                on_click=move_step,
                args=(dataset, name, offset),
            )
        yield
