"""The leaderboard as the pages show it: every run of a dataset, every family, one table."""

from __future__ import annotations

import streamlit as st

from core.leaderboard import leaderboard


def leaderboard_formats(table) -> dict:
    """Metrics to 4 decimals, seconds and megabytes to 2, throughput in whole examples."""
    formats = {}
    for column in table.columns:
        if column.startswith(("val ", "test ")):
            formats[column] = st.column_config.NumberColumn(format="%.4f")
        elif column in ("fit s", "predict s", "size MB"):
            formats[column] = st.column_config.NumberColumn(format="%.2f")
        elif column == "examples/s":
            formats[column] = st.column_config.NumberColumn(format="%.0f")
    return formats


def leaderboard_table(records, key: str) -> None:
    """Sortable table of `records` (RunRecords) with numbers formatted for reading."""
    table = leaderboard(records)
    st.dataframe(table, key=key, hide_index=True, column_config=leaderboard_formats(table))
