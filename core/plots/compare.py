"""Figures that compare runs side by side: ROC and precision-recall overlays, confusion matrices and their
difference, accuracy against cost with the Pareto front, F1 per class and calibration.

Inputs are plain data keyed by a run's label (the legend text); a run keeps the same colour in every figure
when callers pass runs in the same order. Empty input gives a figure that says there is nothing to show."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from core.errors import TrainboardError
from core.plots.common import HEIGHT, MARGIN, _empty, _finite

GRID_POINTS = 101  # common x grid on which per-class curves are averaged into a macro curve
MATRICES_PER_ROW = 4
CHANCE = dict(dash="dot", color="grey")
# What each curve kind plots, so ROC and precision-recall overlays share one code path.
CURVE_KINDS = {
    # binary: how many class curves a binary run carries (the ROC only the positive class, precision-recall both)
    "roc": dict(x="fpr", y="tpr", score="auc", title="ROC curves", x_title="false positive rate",
                y_title="true positive rate (recall)", binary=1),
    "pr": dict(x="recall", y="precision", score="ap", title="Precision-recall curves", x_title="recall",
               y_title="precision", binary=2),
}  # fmt: skip


def macro_average_curve(curves: dict[str, dict], x_key: str, y_key: str) -> tuple[list[float], list[float]]:
    """The mean over classes of each class's curve, linearly interpolated on GRID_POINTS evenly spaced x values
    from 0 to 1 (sklearn's macro-average ROC recipe)."""
    grid = np.linspace(0, 1, GRID_POINTS)
    rows = []
    for curve in curves.values():
        x, y = np.asarray(curve[x_key], dtype=float), np.asarray(curve[y_key], dtype=float)
        order = np.argsort(x, kind="stable")  # precision-recall curves come with recall falling
        rows.append(np.interp(grid, x[order], y[order]))
    return grid.tolist(), np.mean(rows, axis=0).tolist()


def roc_overlay_figure(curves_by_run: dict[str, dict[str, dict]], class_name: str | None = None) -> go.Figure:
    """One ROC line per run (label -> Metrics.roc_curves): the positive class for binary runs; for multiclass
    runs `class_name`'s one-vs-rest curve, or with None the macro average over classes. AUC in the legend."""
    return _curve_overlay("roc", curves_by_run, class_name)


def pr_overlay_figure(curves_by_run: dict[str, dict[str, dict]], class_name: str | None = None) -> go.Figure:
    """One precision-recall line per run (label -> Metrics.pr_curves), chosen like roc_overlay_figure; AP in the
    legend. Binary runs carry a curve for both classes: the second (the positive class, as in the ROC) is drawn."""
    return _curve_overlay("pr", curves_by_run, class_name)


def _curve_overlay(kind: str, curves_by_run: dict[str, dict[str, dict]], class_name: str | None) -> go.Figure:
    spec = CURVE_KINDS[kind]
    figure, averaged = go.Figure(), False
    for index, (run, curves) in enumerate(curves_by_run.items()):
        if not curves or (class_name is not None and class_name not in curves):
            continue
        if class_name is not None or len(curves) <= spec["binary"]:
            curve = curves[class_name] if class_name is not None else list(curves.values())[-1]
            x, y, score = curve[spec["x"]], curve[spec["y"]], curve[spec["score"]]
        else:
            x, y = macro_average_curve(curves, spec["x"], spec["y"])
            score, averaged = float(np.mean([curve[spec["score"]] for curve in curves.values()])), True
        figure.add_scatter(
            x=list(x),
            y=list(y),
            mode="lines",
            name=f"{run} ({spec['score'].upper()} {score:.3f})",
            line=dict(color=_colour(index)),
            hovertemplate=f"{run}: {spec['x_title']} %{{x:.2f}}, {spec['y_title']} %{{y:.2f}}<extra></extra>",
        )
    what = f" (class {class_name})" if class_name is not None else " (macro average over classes)" if averaged else ""
    title = f"{spec['title']} by run{what}"
    if not figure.data:
        return _empty(title, f"No run has a {'curve for ' + class_name if class_name else 'curve'} to draw.")
    if kind == "roc":
        figure.add_scatter(x=[0, 1], y=[0, 1], mode="lines", line=CHANCE, name="chance (random guessing)")
    figure.update_xaxes(title=spec["x_title"], range=[0, 1.02])
    figure.update_yaxes(title=spec["y_title"], range=[0, 1.02])
    figure.update_layout(title=title, height=HEIGHT, margin=MARGIN, legend_title="run")
    return figure


def confusion_matrices_figure(
    matrices: dict[str, list[list[int]]], classes: list[str], normalised: bool = False
) -> go.Figure:
    """One confusion matrix per run side by side (at most 4 per row), rows true and columns predicted classes, on
    one shared colour scale; normalised shows each row's shares (recall on the diagonal)."""
    title = "Confusion matrices by run" + (" (share of each true class)" if normalised else " (counts)")
    if not matrices:
        return _empty(title, "No run has a confusion matrix.")
    shown = {run: _shares(m) if normalised else np.asarray(m, dtype=float) for run, m in matrices.items()}
    cols = min(MATRICES_PER_ROW, len(shown))
    rows = math.ceil(len(shown) / cols)
    figure = make_subplots(rows=rows, cols=cols, subplot_titles=list(shown), horizontal_spacing=0.06)
    for index, (run, values) in enumerate(shown.items()):
        counts = np.asarray(matrices[run], dtype=float)
        figure.add_heatmap(
            z=values,
            x=classes,
            y=classes,
            coloraxis="coloraxis",
            text=[[f"{v:.0%}" if normalised else f"{int(v):,}" for v in row] for row in values],
            texttemplate="%{text}",
            customdata=counts,
            name=run,
            hovertemplate=f"{run}<br>true %{{y}}, predicted %{{x}}: %{{customdata:,.0f}}<extra></extra>",
            row=index // cols + 1,
            col=index % cols + 1,
        )
    top = 1.0 if normalised else max(float(values.max()) for values in shown.values())
    colour_title = "share of row" if normalised else "rows"
    figure.update_layout(coloraxis=dict(colorscale="Blues", cmin=0, cmax=max(top, 1e-9), colorbar_title=colour_title))
    figure.update_yaxes(autorange="reversed", type="category")
    figure.update_xaxes(type="category")
    for row in range(1, rows + 1):
        figure.update_yaxes(title="true", row=row, col=1)
        figure.update_xaxes(title="predicted", row=row)
        for col in range(2, cols + 1):  # the same classes in the same order: the first matrix's names serve all,
            figure.update_yaxes(showticklabels=False, row=row, col=col)  # and the next ones would overlap it
    cell_height = max(HEIGHT - 100, 30 * len(classes) + 120)
    figure.update_layout(title=title, height=rows * cell_height + 100, margin=MARGIN)
    return figure


def confusion_difference_figure(
    matrix_a, matrix_b, classes, label_a: str, label_b: str, normalised: bool = True
) -> go.Figure:
    """Cell by cell `label_a` minus `label_b` (each row's shares when normalised, else counts) on a diverging
    scale centred at 0: positive (blue) cells are where run A puts more rows than B, so a positive diagonal
    means A gets that class right more often."""
    title = f"Confusion difference: {label_a} minus {label_b} (positive: more in {label_a})"
    a, b = np.asarray(matrix_a, dtype=float), np.asarray(matrix_b, dtype=float)
    if a.size == 0 or b.size == 0:
        return _empty(title, "Two confusion matrices are needed.")
    if a.shape != b.shape:
        raise TrainboardError(f"confusion matrices of {label_a} ({a.shape}) and {label_b} ({b.shape}) differ in size")
    difference = _shares(a) - _shares(b) if normalised else a - b
    limit = max(float(np.abs(difference).max()), 1e-9)
    text = [[f"{v:+.0%}" if normalised else f"{int(v):+,}" for v in row] for row in difference]
    figure = go.Figure(
        go.Heatmap(
            z=difference,
            x=classes,
            y=classes,
            colorscale="RdBu",
            zmid=0,
            zmin=-limit,
            zmax=limit,
            text=text,
            texttemplate="%{text}",
            colorbar_title=f"{label_a} − {label_b}",
            hovertemplate=f"true %{{y}}, predicted %{{x}}: {label_a} minus {label_b} = %{{text}}<extra></extra>",
        )
    )
    unit = "share of the true class" if normalised else "rows"
    subtitle = f"Blue: {label_a} has more ({unit}) there; on the diagonal that means {label_a} is more often right."
    figure.update_yaxes(autorange="reversed", title="true", type="category")
    figure.update_xaxes(title="predicted", type="category")
    size = max(HEIGHT, 36 * len(classes) + 160)
    figure.update_layout(title=dict(text=title, subtitle=dict(text=subtitle)), height=size, margin=dict(t=80, b=40))
    return figure


def cost_accuracy_figure(points: list[dict], cost_label: str = "training time (s)", log_x: bool = True) -> go.Figure:
    """Each run's test accuracy against its cost (`points`: {"label", "accuracy", "cost", "front"}); the Pareto
    front (runs no other run beats on both) is highlighted and joined by a step line. Runs without a cost or an
    accuracy are left out; the x axis is logarithmic when `log_x` and every cost is positive."""
    title = f"Accuracy against {cost_label}"
    placed = [p for p in points if _finite(p.get("cost")) and _finite(p.get("accuracy"))]
    if not placed:
        return _empty(title, f"No run has both an accuracy and a {cost_label}.")
    figure = go.Figure()
    others = [p for p in placed if not p.get("front")]
    front = sorted((p for p in placed if p.get("front")), key=lambda p: (p["cost"], p["accuracy"]))
    hover = f"%{{text}}: accuracy %{{y:.1%}}, {cost_label} %{{x:.3g}}<extra></extra>"
    if others:
        figure.add_scatter(
            x=[p["cost"] for p in others],
            y=[p["accuracy"] for p in others],
            text=[p["label"] for p in others],
            mode="markers+text",
            textposition="top center",
            name="other runs",
            marker=dict(size=9, color="lightslategrey"),
            hovertemplate=hover,
        )
    if front:
        figure.add_scatter(
            x=[p["cost"] for p in front],
            y=[p["accuracy"] for p in front],
            text=[p["label"] for p in front],
            mode="lines+markers+text",
            textposition="top center",
            name="Pareto front (no run is both cheaper and more accurate)",
            line=dict(shape="hv", color="crimson", dash="dash"),
            marker=dict(size=13, symbol="star", color="crimson", line=dict(color="black", width=1)),
            hovertemplate=hover,
        )
    logarithmic = log_x and all(p["cost"] > 0 for p in placed)
    figure.update_xaxes(title=cost_label + (" (log scale)" if logarithmic else ""), type="log" if logarithmic else None)
    figure.update_yaxes(title="test accuracy", tickformat=".0%")
    figure.update_layout(title=title, height=HEIGHT, margin=MARGIN, legend=dict(orientation="h", y=-0.2))
    return figure


def per_class_f1_figure(reports: dict[str, dict], classes: list[str]) -> go.Figure:
    """F1 score of each class (x) for each run (one bar colour per run), from sklearn classification_report
    dicts (label -> report). A class missing from a run's report has no bar."""
    title = "F1 score per class, by run"
    figure = go.Figure()
    for index, (run, report) in enumerate(reports.items()):
        scores = [(report.get(name) or {}).get("f1-score") for name in classes]
        if any(_finite(score) for score in scores):
            figure.add_bar(
                x=list(classes),
                y=scores,
                name=run,
                marker_color=_colour(index),
                hovertemplate=f"{run}, class %{{x}}: F1 %{{y:.3f}}<extra></extra>",
            )
    if not figure.data:
        return _empty(title, "No run has a per-class report.")
    figure.update_xaxes(title="class", type="category")
    figure.update_yaxes(title="F1 score (higher is better)", range=[0, 1.02])
    figure.update_layout(title=title, barmode="group", height=HEIGHT, margin=MARGIN, legend_title="run")
    return figure


def calibration_figure(curves: dict[str, dict]) -> go.Figure:
    """Reliability diagram: per run (label -> core.compare.reliability_curve dict) the accuracy of the predictions
    in each confidence bin against their mean confidence, markers sized by the bin's rows, ECE in the legend.
    Points below the diagonal are over-confident."""
    title = "Calibration: how often a prediction is right against how sure the model was"
    drawn = {run: curve for run, curve in curves.items() if curve and curve.get("confidence")}
    if not drawn:
        return _empty(title, "No run has predictions to calibrate.")
    largest = max(max(curve["count"]) for curve in drawn.values()) or 1
    figure = go.Figure()
    for index, (run, curve) in enumerate(curves.items()):
        if run not in drawn:
            continue
        figure.add_scatter(
            x=list(curve["confidence"]),
            y=list(curve["accuracy"]),
            customdata=list(curve["count"]),
            mode="lines+markers",
            name=f"{run} (ECE {curve['ece']:.3f})",
            line=dict(color=_colour(index)),
            marker=dict(size=[6 + 14 * math.sqrt(count / largest) for count in curve["count"]]),
            hovertemplate=f"{run}: sure %{{x:.0%}}, right %{{y:.0%}} of %{{customdata:,}} rows<extra></extra>",
        )
    figure.add_scatter(x=[0, 1], y=[0, 1], mode="lines", line=CHANCE, name="perfectly calibrated")
    figure.update_xaxes(title="confidence (probability of the predicted class)", range=[0, 1.02], tickformat=".0%")
    figure.update_yaxes(title="accuracy (share predicted right)", range=[0, 1.02], tickformat=".0%")
    subtitle = "Below the diagonal: over-confident; above: under-confident. ECE: mean gap, weighted by rows."
    figure.update_layout(
        title=dict(text=title, subtitle=dict(text=subtitle)), height=HEIGHT, margin=dict(t=80, b=40), legend_title="run"
    )
    return figure


def _shares(matrix) -> np.ndarray:
    counts = np.asarray(matrix, dtype=float)
    return counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)


def _colour(index: int) -> str:
    return qualitative.Plotly[index % len(qualitative.Plotly)]
