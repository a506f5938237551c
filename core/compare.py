"""Runs side by side: which to compare (filters), which saw the same rows (groups by split hash, and a note
when they did not), how their settings differ, and their saved test predictions. The statistics live in
core/compare_stats.py and are re-exported here, so `from core.compare import mcnemar` works."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import Any

import pandas as pd

from core.compare_stats import (
    McNemarResult,
    PairComparison,
    bootstrap_difference,
    compare_predictions,
    describe_difference,
    format_p_value,
    mcnemar,
    pareto_front,
    reliability_curve,
)
from core.runs.record import unique_labels

__all__ = [
    "COSTS",
    "cost_points",
    "RUN_LABEL",
    "McNemarResult",
    "PairComparison",
    "SplitGroup",
    "bootstrap_difference",
    "compare_predictions",
    "describe_difference",
    "fairness_note",
    "format_p_value",
    "group_by_split",
    "label",
    "load_predictions",
    "mcnemar",
    "parameter_table",
    "pareto_front",
    "reliability_curve",
    "select_runs",
    "unique_labels",
]


def label(record) -> str:
    """A run's name in legends and tables (RunRecord.label): its model and its name, or the last four characters
    of its id until it has one ('rf · ab12'). Where several runs are shown at once, use `unique_labels`."""
    return record.label


RUN_LABEL = label


def _day(value: Any) -> str:
    """'2026-11-22' from an ISO date or timestamp text, a date or a datetime."""
    return (value.isoformat() if hasattr(value, "isoformat") else str(value))[:10]


def select_runs(records, *, dataset=None, families=None, statuses=None, tags=None, since=None, until=None) -> list:
    """The records that pass every filter given, in their order. None means any; `families`, `statuses` and
    `tags` are collections (a run passes the tag filter with any one of the tags); `since` and `until` are
    ISO dates, both inclusive, compared with the day the run was created (UTC)."""
    families = None if families is None else set(families)
    statuses = None if statuses is None else set(statuses)
    tags = None if tags is None else set(tags)
    since = None if since is None else _day(since)
    until = None if until is None else _day(until)
    return [
        r
        for r in records
        if (dataset is None or r.dataset == dataset)
        and (families is None or r.family in families)
        and (statuses is None or r.status in statuses)
        and (tags is None or not tags.isdisjoint(r.tags or ()))
        and (since is None or r.created_at[:10] >= since)
        and (until is None or r.created_at[:10] <= until)
    ]


def keep_selection(chosen, options, previous_options) -> list:
    """The runs to show chosen when the filters give `options` where they gave `previous_options`: what the user
    had chosen that still matches, plus every run that has just come to match (a new dataset, a new run), so a
    change of filter never leaves the page showing nothing while runs match. All of them when nothing is left."""
    options, before = list(options), set(previous_options or ())
    kept = [run_id for run_id in chosen if run_id in set(options)]
    kept += [run_id for run_id in options if run_id not in before and run_id not in kept]
    return kept or options


def left_out(records) -> list[tuple]:
    """(record, why) for each run of `records` the comparison cannot show: one with no results to compare."""
    why = {
        "stopped": "stopped before it had results",
        "failed": "failed before it had results",
        "diverged": "diverged before it had results",
    }
    return [(r, why.get(r.status, f"{r.status}: no results yet")) for r in records if not r.split_hash]


@dataclass(frozen=True)
class SplitGroup:
    """Runs that were trained and tested on the same rows (the same split hash); None: runs with no split."""

    split_hash: str | None
    runs: tuple  # RunRecords, best test accuracy first (runs without one last)


def _test_accuracy(record) -> float | None:
    return ((record.metrics or {}).get("test") or {}).get("accuracy")


def _best_first(records) -> tuple:
    return tuple(sorted(records, key=lambda r: (_test_accuracy(r) is None, -(_test_accuracy(r) or 0.0))))


def group_by_split(records) -> list[SplitGroup]:
    """Runs grouped by split hash, the largest group first (ties keep the order of first appearance); runs
    without a split hash (failed early, queued) form one group with split_hash None, last."""
    by_hash: dict[str | None, list] = {}
    for record in records:
        by_hash.setdefault(record.split_hash or None, []).append(record)
    hashed = sorted((h for h in by_hash if h is not None), key=lambda h: -len(by_hash[h]))
    groups = [SplitGroup(h, _best_first(by_hash[h])) for h in hashed]
    if None in by_hash:
        groups.append(SplitGroup(None, _best_first(by_hash[None])))
    return groups


def _names(records) -> str:
    names = [label(r) for r in records]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def fairness_note(groups) -> str | None:
    """None when every run with a split hash saw the same rows; otherwise which runs saw which split."""
    hashed = [g for g in groups if g.split_hash is not None]
    if len(hashed) < 2:
        return None
    saw = "; ".join(f"{_names(g.runs)} saw split {g.split_hash[:8]}" for g in hashed)
    return f"{saw} (different rows). Compared within each group."


def _cell(value: Any) -> Any:
    """Scalars as they are; lists and dicts as compact JSON, so a column holds one kind of value."""
    return value if value is None or isinstance(value, str | int | float | bool) else json.dumps(value)


def _comparable(value: Any) -> str:
    return "missing" if value is None or (isinstance(value, float) and value != value) else repr(value)


def describe_preprocess(preprocess: Any) -> str:
    """The preprocessing spec in a few words: the fields that differ from the defaults ('defaults' if none)."""
    from core.preprocess.spec import PreprocessSpec

    if preprocess in (None, "", "{}", {}):
        return "defaults"
    try:
        spec = json.loads(preprocess) if isinstance(preprocess, str) else dict(preprocess)
    except (TypeError, ValueError):
        return str(preprocess)[:80]
    if not isinstance(spec, dict):
        return str(preprocess)[:80]
    defaults = {f.name: f.default for f in fields(PreprocessSpec)}
    changed = []
    for name, value in spec.items():
        default = defaults.get(name)
        if isinstance(default, tuple):
            default = list(default)
        if name not in defaults or value != default:
            changed.append(f"{name}={_cell(value)}")
    return ", ".join(changed) or "defaults"


def parameter_table(records, only_differing: bool = False) -> pd.DataFrame:
    """One row per run (index: its label): model, family, seed, limit, each model parameter ('param NAME'),
    each training option ('train NAME') and the preprocessing in short. `only_differing` drops the columns
    whose values are the same for every run (with two runs or more)."""
    rows, names = {}, unique_labels(records)
    for record in records:
        config = record.config or {}
        row = {"model": record.model, "family": record.family, "seed": record.seed, "limit": config.get("limit")}
        row.update({f"param {k}": _cell(v) for k, v in sorted((record.params or {}).items())})
        row.update({f"train {k}": _cell(v) for k, v in sorted((config.get("training") or {}).items())})
        row["preprocess"] = describe_preprocess(record.preprocess)
        rows[names[record.id]] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    if table.empty:
        return table
    leading = ["model", "family", "seed", "limit"]
    params = sorted(c for c in table.columns if c.startswith("param "))
    training = sorted(c for c in table.columns if c.startswith("train "))
    table = table[leading + params + training + ["preprocess"]]
    table.index.name = "run"
    if only_differing and len(table) > 1:
        differing = [c for c in table.columns if table[c].map(_comparable).nunique() > 1]
        table = table[differing]
    return table


def load_predictions(store, record) -> dict | None:
    """The run's test predictions (predictions.npz: rows, y_true, proba), or None when it has none (a run
    that did not finish, or one from before predictions were kept)."""
    from core.runs.artifacts import PREDICTIONS_FILE, read_arrays

    try:
        return read_arrays(store.artifacts_dir(record.id), PREDICTIONS_FILE)
    except FileNotFoundError:
        return None


# What accuracy is plotted against: axis title -> the cost read from a run's timings (None when unknown).
COSTS = {
    "training time (s)": lambda timings: timings.get("fit_seconds"),
    "model size (MB)": lambda timings: (
        None if timings.get("model_size_bytes") is None else timings["model_size_bytes"] / 1e6
    ),
}


def cost_points(records, cost: str, label_of=label) -> list[dict]:
    """Test accuracy against one of COSTS for each scored run, with the Pareto front flagged ("front"): the
    points cost_accuracy_figure draws, for the page and the report alike."""
    scored = [r for r in records if r.metrics and r.metrics.get("test")]
    costs = [COSTS[cost](r.timings or {}) for r in scored]
    scores = [r.metrics["test"]["accuracy"] for r in scored]
    front = pareto_front(costs, scores)
    return [
        {"label": label_of(r), "accuracy": score, "cost": value, "front": on_front}
        for r, value, score, on_front in zip(scored, costs, scores, front, strict=True)
    ]
