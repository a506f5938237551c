"""The comparison report (`python -m core compare ... --report`, `python -m core report ID ...`): the runs side by
side in one self-contained HTML file, and the leaderboard as CSV and JSON."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from core.leaderboard import leaderboard
from core.report.html import _cell, escape, page, write_page

# Columns where less is better; every other numeric column is best at its maximum.
LOWER_IS_BETTER_SUFFIXES = ("log_loss",)
LOWER_IS_BETTER_COLUMNS = ("fit s", "predict s", "size MB")
# The leaderboard's columns that hold words (a split hash may look like a number), never marked.
TEXT_COLUMNS = ("run", "label", "model", "family", "status", "split", "tags", "created", "error")


def is_lower_better(column: str) -> bool:
    return column in LOWER_IS_BETTER_COLUMNS or column.endswith(LOWER_IS_BETTER_SUFFIXES)


def leaderboard_with_best(records) -> tuple[pd.DataFrame, dict[str, object]]:
    """`core.leaderboard.leaderboard(records)` and, per numeric column with a value, the best value in it
    (the minimum for log loss, times and size; the maximum otherwise)."""
    table = leaderboard(records)
    best: dict[str, object] = {}
    for column in table.columns:
        if column in TEXT_COLUMNS:
            continue
        values = pd.to_numeric(table[column], errors="coerce")
        if pd.api.types.is_bool_dtype(table[column]):
            continue
        values = values.dropna()
        if values.empty:
            continue
        value = values.min() if is_lower_better(column) else values.max()
        best[column] = value.item() if hasattr(value, "item") else value
    return table, best


def leaderboard_csv(records) -> str:
    """Every column of the leaderboard, one row per run."""
    return leaderboard(records).to_csv(index=False)


def leaderboard_json(records) -> str:
    """Every column of the leaderboard as a JSON list of objects, one per run; missing values are null."""
    return leaderboard(records).to_json(orient="records", indent=2) + "\n"


def leaderboard_html(records, labels: dict[str, str]) -> str:
    """The leaderboard as an HTML table with the run labels given (unique among the report's runs) first and the
    best value of each column in bold."""
    table, best = leaderboard_with_best(records)
    if table.empty:
        return "<p>No runs.</p>"
    table["label"] = [labels.get(run_id, label) for run_id, label in zip(table["run"], table["label"], strict=True)]
    head = "".join(f"<th>{escape(column)}</th>" for column in table.columns)
    rows = []
    for _, row in table.iterrows():
        cells = []
        for column in table.columns:
            text = escape(_cell(row[column]))
            cells.append(f"<td><b>{text}</b></td>" if _is_best(row[column], best.get(column)) else f"<td>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    caption = "<p class='muted'>Best value of each column in bold (lowest for log loss, times and size).</p>"
    table_text = f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    return f"{caption}<div class='scroll'>{table_text}</div>"


def _is_best(value: object, best: object) -> bool:
    if best is None or isinstance(value, (str, bool)) or value is None:
        return False
    try:
        return not math.isnan(float(value)) and float(value) == float(best)
    except (TypeError, ValueError):
        return False


def comparison_report(records, store, title: str = "Trainboard comparison") -> str:
    """The whole HTML text: every section of core.report.comparison_sections, in order, for `records`."""
    from core.report.comparison_sections import SECTIONS, ReportRuns

    runs = ReportRuns.of(list(records), store)
    datasets = sorted({r.dataset for r in runs.records})
    created = sorted(r.created_at[:10] for r in runs.records)
    period = f"{created[0]} to {created[-1]}" if created and created[0] != created[-1] else (created or [""])[0]
    subtitle = escape(
        f"{len(runs.records)} run(s) on {', '.join(datasets) or 'no dataset'}"
        + (f", created {period}" if period else "")
        + ". Figures are interactive: hover for values, click a legend entry to hide a run."
    )
    return page(title, subtitle, [build(runs) for build in SECTIONS.values()])


def write_comparison_report(records, store, path: Path | str, title: str = "Trainboard comparison") -> Path:
    """The report written to `path` whole or not at all."""
    return write_page(path, comparison_report(records, store, title))
