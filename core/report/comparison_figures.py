"""The figure sections of the comparison report: learning curves, ROC and precision-recall, confusion matrices,
cost, per-class F1 and calibration. Each compares only runs that saw the same rows (one block per split group)."""

from __future__ import annotations

from collections.abc import Callable

from core.plots import (
    calibration_figure,
    confusion_difference_figure,
    confusion_matrices_figure,
    cost_accuracy_figure,
    overlay_learning_curves_figure,
    per_class_f1_figure,
    pr_overlay_figure,
    roc_overlay_figure,
)
from core.report.html import escape, figure_html

# One-vs-rest curves per class are drawn up to this many classes; beyond, the macro average alone stays readable.
MAX_CLASS_CURVES = 10
# Learning-curve metrics a history row may carry, in the order they are drawn.
CURVE_METRICS = ("val_accuracy", "val_loss", "accuracy", "loss")


def per_group(runs, build: Callable[[list], list[str]]) -> str:
    """`build(scored runs)` for each split group, headed by the group's split when there are several."""
    groups = runs.scored_groups()
    if not groups:
        return "<p class='muted'>No run has test results.</p>"
    parts = []
    for split_hash, records in groups:
        if len(groups) > 1:
            names = ", ".join(runs.label(r) for r in records)
            parts.append(f"<h3>Split {escape(split_hash[:8])}: {escape(names)}</h3>")
        parts.extend(build(records))
    return "\n".join(parts)


def learning_curves(runs) -> str:
    from core.training.callbacks.history import read_history

    histories = {runs.label(r): read_history(runs.store.artifacts_dir(r.id)) for r in runs.records}
    histories = {name: rows for name, rows in histories.items() if rows}
    if not histories:
        return "<p class='muted'>No run has per-epoch history (classical models fit in one step).</p>"
    present = {key for rows in histories.values() for row in rows for key, value in row.items() if value is not None}
    return "\n".join(
        figure_html(overlay_learning_curves_figure(histories, metric)) for metric in CURVE_METRICS if metric in present
    )


def roc_and_pr(runs) -> str:
    def build(records: list) -> list[str]:
        tests = {runs.label(r): runs.test_metrics(r) for r in records}
        roc = {name: m.roc_curves for name, m in tests.items()}
        pr = {name: m.pr_curves for name, m in tests.items()}
        parts = [figure_html(roc_overlay_figure(roc)), figure_html(pr_overlay_figure(pr))]
        classes = runs.classes(records)
        if 2 < len(classes) <= MAX_CLASS_CURVES:
            per_class = [
                figure_html(figure(curves, name))
                for name in classes
                for figure, curves in ((roc_overlay_figure, roc), (pr_overlay_figure, pr))
            ]
            parts.append(
                "<details><summary>One-vs-rest curves per class</summary>" + "\n".join(per_class) + "</details>"
            )
        return parts

    return per_group(runs, build)


def confusion(runs) -> str:
    def build(records: list) -> list[str]:
        classes = runs.classes(records)
        matrices = {runs.label(r): runs.test_metrics(r).confusion_matrix for r in records}
        parts = [
            figure_html(confusion_matrices_figure(matrices, classes)),
            figure_html(confusion_matrices_figure(matrices, classes, normalised=True)),
        ]
        if len(records) >= 2:
            (label_a, matrix_a), (label_b, matrix_b) = list(matrices.items())[:2]
            parts.append(f"<p>The two most accurate runs: {escape(label_a)} minus {escape(label_b)}.</p>")
            parts.append(figure_html(confusion_difference_figure(matrix_a, matrix_b, classes, label_a, label_b)))
        return parts

    return per_group(runs, build)


def cost(runs) -> str:
    from core.compare import COSTS, cost_points

    def build(records: list) -> list[str]:
        return [figure_html(cost_accuracy_figure(cost_points(records, name, runs.label), name)) for name in COSTS]

    return per_group(runs, build)


def per_class_f1(runs) -> str:
    def build(records: list) -> list[str]:
        reports = {runs.label(r): runs.test_metrics(r).report for r in records}
        return [figure_html(per_class_f1_figure(reports, runs.classes(records)))]

    return per_group(runs, build)


def calibration(runs) -> str:
    from core.compare import reliability_curve

    def build(records: list) -> list[str]:
        curves = {}
        for record in records:
            predictions = runs.predictions(record)
            if predictions is not None:
                curves[runs.label(record)] = reliability_curve(predictions["proba"], predictions["y_true"])
        return [figure_html(calibration_figure(curves))]

    return per_group(runs, build)
