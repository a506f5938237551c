"""The leaderboard as the pages show it: every run of a dataset, every family, one table."""

from __future__ import annotations

import streamlit as st

from core.leaderboard import leaderboard

UNDEFINED = "—"  # a metric a run does not have (failed, still running, not defined for its classes)


def leaderboard_table(records, key: str) -> None:
    """Sortable table of `records` (RunRecords) with numbers formatted for reading."""
    st.dataframe(leaderboard_styler(leaderboard(records)), key=key, hide_index=True)


def leaderboard_styler(table):
    """Metrics to 4 decimals, seconds and megabytes to 2, throughput in whole examples, and "—" where a value is
    undefined (Streamlit would print None)."""
    styled = table.style.format(na_rep=UNDEFINED)
    for columns, pattern in (
        ([c for c in table.columns if c.startswith(("val ", "test "))], "{:.4f}"),
        ([c for c in ("fit s", "predict s", "size MB") if c in table.columns], "{:.2f}"),
        ([c for c in ("examples/s",) if c in table.columns], "{:,.0f}"),
    ):
        if columns:
            styled = styled.format(pattern, subset=columns, na_rep=UNDEFINED)
    return styled
