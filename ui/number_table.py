"""Tables of numbers as a person reads them: significant digits, "—" where a value is undefined, and every
column wide enough for its longest value.

Left to itself, st.dataframe sizes a column from its header and first cells and cuts what does not fit from the
left of right-aligned numbers: the Explore profile showed "118.3685" for -118.37 and "754.0381" for 104,754.04.
Here each column gets the width of its longest shown text, and floats keep six significant digits (four in
scientific form where that is shorter to read), so no value is cut; the cells stay numbers, so a click on a
header still sorts by value.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
import streamlit as st

UNDEFINED = "—"  # a value a row does not have (a mean of text, a metric of a failed run)
CHAR_PX, PAD_PX, MIN_PX, MAX_PX = 8, 26, 48, 420  # Source Sans at the table's 14 px: about 8 px a character


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float | np.floating) and math.isnan(value))


def readable_number(value) -> str:
    """'-118.368', '104754', '0.0196', '1.2e-05'; integers as they are (ids and years read wrong with
    separators); UNDEFINED for None and NaN."""
    if _missing(value):
        return UNDEFINED
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    value = float(value)
    if value != 0 and (abs(value) >= 1e12 or abs(value) < 1e-4):
        return f"{value:.4g}"
    if abs(value) >= 1e5:  # six significant digits would turn to 1.31215e+08: whole numbers read better
        return f"{value:.0f}"
    return f"{value:.6g}"


Formats = dict[str, Callable[[object], str]]


def display_text(table: pd.DataFrame, formats: Formats | None = None) -> pd.DataFrame:
    """What each cell of `table` shows: `formats[column]` where given, readable_number for numbers, else str."""
    formats = formats or {}
    shown = {}
    for column in table.columns:
        values = table[column]
        if column in formats:
            fmt = formats[column]
        elif _is_number(values):
            fmt = readable_number
        else:
            fmt = _text
        shown[column] = [fmt(v) for v in values]
    return pd.DataFrame(shown, index=table.index, columns=table.columns)


def column_widths(shown: pd.DataFrame, index: bool = False) -> dict:
    """column_config giving each column of `shown` (display text) the width of its header or longest value."""
    config = {}
    for column in shown.columns:
        longest = max([len(str(column)), *(len(text) for text in shown[column])])
        config[column] = st.column_config.Column(width=min(MAX_PX, max(MIN_PX, PAD_PX + CHAR_PX * longest)))
    if index:
        longest = max([0, *(len(str(label)) for label in shown.index)])
        config["_index"] = st.column_config.Column(width=min(MAX_PX, max(MIN_PX, PAD_PX + CHAR_PX * longest)))
    return config


def readable_styler(table: pd.DataFrame, formats: Formats | None = None):
    """table.style showing `formats[column]` where given, readable_number for the other numbers, UNDEFINED in
    every empty cell; the cells keep their values, so sorting stays by value."""
    styler = table.style.format(na_rep=UNDEFINED)
    for column, fmt in (formats or {}).items():
        styler = styler.format(fmt, subset=[column])
    numeric = [c for c in table.columns if c not in (formats or {}) and _is_number(table[c])]
    return styler.format(readable_number, subset=numeric)


def number_table(table: pd.DataFrame, key: str, *, formats: Formats | None = None, hide_index: bool = True,
                 restyle=None, **kwargs) -> None:  # fmt: skip
    """st.dataframe of `table` with readable numbers (`formats` per column where given) and columns that fit
    them; `restyle(styler)` adds the caller's own styles (Compare bolds the best value of each column)."""
    styler = readable_styler(table, formats)
    if restyle is not None:
        styler = restyle(styler)
    # placeholder: Streamlit draws its own "None" in an empty cell whatever the Styler says.
    st.dataframe(styler, key=key, hide_index=hide_index, placeholder=UNDEFINED,
                 column_config=column_widths(display_text(table, formats), index=not hide_index), **kwargs)  # fmt: skip


def _text(value) -> str:
    return UNDEFINED if _missing(value) else str(value)


def _is_number(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
