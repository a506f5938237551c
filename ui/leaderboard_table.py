"""The leaderboard as the pages show it: every run of a dataset, every family, one table."""

from __future__ import annotations

from core.leaderboard import leaderboard
from ui.number_table import UNDEFINED, Formats, number_table, readable_styler


def _fixed(pattern: str):
    return lambda value: UNDEFINED if value is None or value != value else pattern.format(value)  # NaN != NaN


def leaderboard_formats(table) -> Formats:
    """Metrics to 4 decimals, seconds and megabytes to 2, throughput in whole examples; "—" where a value is
    undefined (a metric a run does not have: failed, still running, not defined for its classes)."""
    formats = {}
    for columns, pattern in (
        ([c for c in table.columns if c.startswith(("val ", "test "))], "{:.4f}"),
        ([c for c in ("fit s", "predict s", "size MB") if c in table.columns], "{:.2f}"),
        ([c for c in ("examples/s",) if c in table.columns], "{:,.0f}"),
    ):
        formats.update({column: _fixed(pattern) for column in columns})
    return formats


def leaderboard_styler(table):
    """table.style showing what leaderboard_formats says, "—" in every undefined cell."""
    return readable_styler(table, leaderboard_formats(table))


def leaderboard_table(records, key: str) -> None:
    """Sortable table of `records` (RunRecords) with numbers formatted for reading and columns that fit them."""
    show_leaderboard(leaderboard(records), key)


def show_leaderboard(table, key: str, restyle=None) -> None:
    """`table` (a leaderboard frame) as leaderboard_table shows it; `restyle(styler)` adds the caller's styles
    (Compare bolds the best value of each column)."""
    number_table(table, key, formats=leaderboard_formats(table), restyle=restyle)
