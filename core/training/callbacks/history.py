"""One row per finished epoch: in `trainer.history`, and in the run folder as history.json and history.csv,
which a page reads to draw live curves while the run trains."""

from __future__ import annotations

import csv
import io
import json
import math
from numbers import Integral, Real
from pathlib import Path
from typing import Any

from core.runs.artifacts import write_json, write_text
from core.training.callbacks.base import Callback

HISTORY_JSON = "history.json"
HISTORY_CSV = "history.csv"


class HistoryWriter(Callback):
    """Appends a JSON-plain copy of the epoch logs (NaN and infinities become None) to `trainer.history` and
    rewrites both history files. Put it last in the callback list, so the rows hold every other callback's keys."""

    def on_epoch_end(self, trainer: Any, logs: dict) -> None:
        trainer.history.append({key: _plain(key, value) for key, value in logs.items()})
        if trainer.run_dir is not None:
            run_dir = Path(trainer.run_dir)
            write_json(run_dir, HISTORY_JSON, trainer.history)
            write_text(run_dir, HISTORY_CSV, history_csv(trainer.history))


def history_csv(rows: list[dict]) -> str:
    """CSV text: one header with the union of the rows' keys in first-seen order; None and absent keys are empty."""
    columns = list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def read_history(run_dir: Path | str) -> list[dict]:
    """The rows HistoryWriter wrote for a run, one per finished epoch; [] when none is written yet."""
    path = Path(run_dir) / HISTORY_JSON
    if not path.is_file():
        return []
    return json.loads(path.read_text(encoding="utf-8"))


def _plain(key: str, value: Any) -> Any:
    if hasattr(value, "item") and getattr(value, "ndim", 0) == 0:  # numpy scalars, 0-d tensors
        value = value.item()
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        return float(value) if math.isfinite(value) else None
    raise TypeError(f"history: log {key!r} holds a {type(value).__name__}; only numbers, strings and None are kept")
