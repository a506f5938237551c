"""The sections of the comparison report, in order (SECTIONS: title -> builder), and what they share: the
runs, their labels and split groups, test metrics and predictions read once (ReportRuns)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from core.evaluate import Metrics
from core.report import comparison_figures as figures
from core.report.html import escape, section, table_html


@dataclass
class ReportRuns:
    """The runs a report shows, with what several sections read: labels, split groups, metrics, predictions."""

    records: list
    store: Any
    labels: dict[str, str]
    groups: list  # core.compare.SplitGroup, the largest first
    _predictions: dict = field(default_factory=dict)

    @classmethod
    def of(cls, records: list, store) -> ReportRuns:
        from core.compare import group_by_split, unique_labels

        return cls(records, store, unique_labels(records), group_by_split(records))

    def label(self, record) -> str:
        return self.labels[record.id]

    def test_metrics(self, record) -> Metrics | None:
        test = (record.metrics or {}).get("test")
        return Metrics.from_dict(test) if test else None

    def predictions(self, record) -> dict | None:
        """The run's predictions.npz arrays (None when it has none), read once."""
        from core.compare import load_predictions

        if record.id not in self._predictions:
            self._predictions[record.id] = load_predictions(self.store, record)
        return self._predictions[record.id]

    def scored_groups(self) -> list[tuple[str, list]]:
        """(split hash, runs with test metrics, best first) for each group that has any."""
        groups = []
        for group in self.groups:
            scored = [r for r in group.runs if group.split_hash and self.test_metrics(r) is not None]
            if scored:
                groups.append((group.split_hash, scored))
        return groups

    def classes(self, records: list) -> list[str]:
        return list(self.test_metrics(records[0]).classes) if records else []


def runs_and_fairness(runs: ReportRuns) -> str:
    from core.compare import fairness_note

    note = fairness_note(runs.groups)
    hashes = [g.split_hash for g in runs.groups if g.split_hash]
    if note:
        intro = f"<div class='alert warning'>{escape(note)}</div>"
    elif hashes:
        same = f"Every run with results saw the same rows (split {escape(hashes[0][:8])})."
        intro = f"<div class='alert info'>{same}</div>"
    else:
        intro = "<div class='alert info'>No run has results yet.</div>"
    intro += "".join(
        f"<div class='alert warning'>{escape(runs.label(record))}: {escape(warning)}</div>"
        for group in runs.groups
        for record in group.runs
        for warning in (record.metrics or {}).get("warnings", [])
    )
    rows = []
    for group in runs.groups:
        for record in group.runs:
            test = runs.test_metrics(record)
            rows.append(
                {
                    "run": runs.label(record),
                    "id": record.id,
                    "split": (group.split_hash or "none")[:8],
                    "dataset": record.dataset,
                    "model": record.model,
                    "family": record.family,
                    "status": record.status,
                    "test accuracy": None if test is None else test.accuracy,
                    "tags": ", ".join(map(str, record.tags or [])),
                    "created": record.created_at[:19].replace("T", " "),
                    "error": record.error or "",
                }
            )
    return intro + (table_html(pd.DataFrame(rows)) if rows else "")


def leaderboard_section(runs: ReportRuns) -> str:
    from core.report.comparison import leaderboard_html

    return leaderboard_html(runs.records, runs.labels)


def parameters(runs: ReportRuns) -> str:
    from core.compare import parameter_table

    if not runs.records:
        return "<p class='muted'>No runs.</p>"
    differing = parameter_table(runs.records, only_differing=True)
    shown = (
        table_html(differing.reset_index())
        if len(differing.columns)
        else "<p>Every run has the same parameters, training options and preprocessing.</p>"
    )
    every = table_html(parameter_table(runs.records).reset_index())
    return shown + f"<details><summary>Every parameter</summary>{every}</details>"


def significance(runs: ReportRuns) -> str:
    """The most accurate run of each split group against every other run in it, on the same test rows."""
    from core.compare import compare_predictions
    from core.errors import TrainboardError

    blocks, groups = [], runs.scored_groups()
    for split_hash, records in groups:
        if len(records) < 2:
            continue
        best, best_predictions = records[0], runs.predictions(records[0])
        sentences, rows = [], []
        for other in records[1:]:
            other_predictions = runs.predictions(other)
            if best_predictions is None or other_predictions is None:
                sentences.append(f"{runs.label(best)} vs {runs.label(other)}: no saved predictions to compare.")
                continue
            try:
                pair = compare_predictions(runs.label(best), best_predictions, runs.label(other), other_predictions)
            except TrainboardError as exc:
                sentences.append(str(exc))
                continue
            sentences.append(pair.sentence)
            rows.append(_pair_row(pair))
        head = f"<h3>Split {escape(split_hash[:8])}</h3>" if len(groups) > 1 else ""
        items = "".join(f"<li>{escape(s)}</li>" for s in sentences)
        blocks.append(head + f"<ul>{items}</ul>" + (table_html(pd.DataFrame(rows)) if rows else ""))
    if not blocks:
        return "<p class='muted'>Significance needs two runs with results on the same split.</p>"
    method = (
        "<p class='muted'>McNemar's test on the test rows only one of the two runs got right (exact binomial below "
        "25 such rows, else chi-square with continuity correction); 95% interval of the accuracy difference from "
        "2,000 paired bootstrap resamples of the test rows.</p>"
    )
    return method + "\n".join(blocks)


def _pair_row(pair) -> dict:
    return {
        "run A": pair.label_a,
        "run B": pair.label_b,
        "accuracy A": pair.accuracy_a,
        "accuracy B": pair.accuracy_b,
        "difference (points)": f"{100 * pair.difference:+.1f}",
        "95% CI (points)": f"{100 * pair.low:+.1f} to {100 * pair.high:+.1f}",
        "only A right": pair.mcnemar.only_a_right,
        "only B right": pair.mcnemar.only_b_right,
        "McNemar p": f"{pair.mcnemar.p_value:.3g}",
        "test": "exact binomial" if pair.mcnemar.exact else "chi-square",
    }


def configurations(runs: ReportRuns) -> str:
    from core.report.repro import command_line

    blocks = []
    for record in runs.records:
        config = record.config or {}
        try:
            command = command_line(record)
        except (TypeError, ValueError, KeyError) as exc:  # a config this version cannot read
            command = f"(cannot rebuild the command: {exc})"
        facts = {
            "run id": record.id,
            "status": record.status,
            "dataset": record.dataset,
            "model": f"{record.model} ({record.family})",
            "seed": record.seed,
            "limit": config.get("limit") or "none (every row)",
            "split hash": record.split_hash or "none",
            "tags": ", ".join(map(str, record.tags or [])) or "none",
            "created": record.created_at,
        }
        items = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in facts.items())
        details = [
            ("Command", command),
            ("Parameters", _json(record.params)),
            ("Training options", _json(config.get("training") or {})),
            ("Preprocessing spec", _json(_spec(config.get("preprocess")))),
            ("Dataset request", _json(config.get("dataset") or {})),
            ("Library versions", _json(record.versions or {})),
        ]
        blocks.append(
            f"<details><summary><b>{escape(runs.label(record))}</b> <span class='muted'>{escape(record.id)}</span>"
            f"</summary><table>{items}</table>"
            + "".join(f"<p><b>{escape(name)}</b></p><pre>{escape(text)}</pre>" for name, text in details)
            + "</details>"
        )
    return "\n".join(blocks) or "<p class='muted'>No runs.</p>"


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, default=str)


def _spec(preprocess: Any) -> Any:
    try:
        return json.loads(preprocess) if isinstance(preprocess, str) and preprocess else (preprocess or {})
    except ValueError:
        return preprocess


def provenance(runs: ReportRuns) -> str:
    """dataset.json of each distinct dataset (name and content hash), with the runs that used it."""
    from core.runs.artifacts import read_json

    seen: dict[tuple, tuple[dict, list]] = {}
    missing: list = []
    for record in runs.records:
        try:
            info = read_json(runs.store.artifacts_dir(record.id), "dataset.json")
        except (FileNotFoundError, ValueError):
            missing.append(record)
            continue
        seen.setdefault((info.get("name"), info.get("sha256")), (info, []))[1].append(record)
    blocks = [_dataset_block(info, [runs.label(r) for r in used]) for info, used in seen.values()]
    if missing:
        names = ", ".join(f"{runs.label(r)} ({r.dataset})" for r in missing)
        blocks.append(f"<p class='muted'>No dataset record (the run did not finish): {escape(names)}</p>")
    return "\n".join(blocks) or "<p class='muted'>No runs.</p>"


def _dataset_block(info: dict, labels: list[str]) -> str:
    badge = " <span class='badge'>SYNTHETIC: generated stand-in, not real data</span>" if info.get("synthetic") else ""
    split = info.get("split") or {}
    classes = info.get("classes") or []
    items = [
        f"<b>Rows</b>: {escape(info.get('rows'))}; <b>target</b>: {escape(info.get('target'))} "
        f"({len(classes)} classes: {escape(', '.join(map(str, classes[:20])))}{' ...' if len(classes) > 20 else ''})",
        f"<b>Data sha256</b>: <code>{escape(info.get('sha256'))}</code>",
        "<b>Split</b>: " + escape(", ".join(f"{part} {count:,}" for part, count in split.items())),
        f"<b>Runs</b>: {escape(', '.join(labels))}",
        *(escape(note) for note in info.get("notes") or []),
    ]
    return f"<h3>{escape(info.get('name'))}{badge}</h3><ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


SECTION_BUILDERS = {
    "Runs & fairness": runs_and_fairness,
    "Leaderboard": leaderboard_section,
    "Parameters": parameters,
    "Learning curves": figures.learning_curves,
    "ROC and precision-recall": figures.roc_and_pr,
    "Confusion matrices": figures.confusion,
    "Cost": figures.cost,
    "Per-class F1": figures.per_class_f1,
    "Calibration": figures.calibration,
    "Significance": significance,
    "Configurations": configurations,
    "Dataset provenance": provenance,
}
# Title -> builder of the whole section (its heading included), in the report's order.
SECTIONS = {
    title: (lambda runs, title=title, build=build: section(title, build(runs)))
    for title, build in SECTION_BUILDERS.items()
}
