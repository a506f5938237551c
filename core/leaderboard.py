"""Runs as a table: one row per run, every headline metric for validation and test, and the timings."""

from __future__ import annotations

import pandas as pd

from core.evaluate import Metrics

# Shown first: what people compare at a glance; every other metric follows.
LEADING_COLUMNS = (
    "label",
    "model",
    "family",
    "status",
    "leak",
    "test accuracy",
    "val accuracy",
    "test balanced_accuracy",
    "test f1_macro",
    "test log_loss",
    "test roc_auc",
    "fit s",
    "predict s",
    "examples/s",
    "size MB",
)
TIMING_COLUMNS = {"fit_seconds": "fit s", "predict_seconds": "predict s", "examples_per_second": "examples/s"}


def leaderboard(records) -> pd.DataFrame:
    """Finished runs first by test accuracy; unfinished ones keep their status and error; a run whose feature
    leaks the target is marked in a "leak" column (with its "warnings"), present only when some run is."""
    rows = []
    for record in records:
        row = {"run": record.id, "label": record.label, "model": record.model, "family": record.family}
        row["status"] = record.status
        row["leak"] = "⚠ leak" if (record.metrics or {}).get("warnings") else ""
        row["split"] = (record.split_hash or "")[:8]
        for part in ("val", "test"):
            metrics = (record.metrics or {}).get(part)
            if metrics:
                row.update({f"{part} {name}": value for name, value in Metrics.from_dict(metrics).headline().items()})
        timings = record.timings or {}
        row.update({label: timings.get(key) for key, label in TIMING_COLUMNS.items()})
        size = timings.get("model_size_bytes")
        row["size MB"] = size / 1e6 if size is not None else None
        row["tags"] = ", ".join(record.tags or [])
        row["created"] = record.created_at
        row["error"] = record.error or ""
        row["warnings"] = " ".join((record.metrics or {}).get("warnings", []))
        rows.append(row)
    table = pd.DataFrame(rows)
    if not table.empty and not table["warnings"].any():  # the columns appear when a run has something to say
        table = table.drop(columns=["leak", "warnings"])
    leading = [c for c in LEADING_COLUMNS if c in table.columns]
    table = table[leading + [c for c in table.columns if c not in leading]]
    if "test accuracy" in table.columns:
        table = table.sort_values("test accuracy", ascending=False, na_position="last", kind="stable")
    return table.reset_index(drop=True)
