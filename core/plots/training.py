"""Figures of the Neural Nets page about training: learning curves, learning rate and accuracy per class.
Gradients and weights layer by layer are in core.plots.layers; the network itself in core.plots.network.

Inputs are the plain rows the trainer writes; any key may be missing or None, and empty input gives a figure
that says there is nothing to show yet."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from core.errors import TrainboardError
from core.plots.common import HEIGHT, MARGIN, _empty, _finite
from core.plots.dataset import SPLIT_COLOURS

# Percent ticks with as many decimals as they need (d3's "~" drops trailing zeros): a run stuck near chance
# spans 9.9-10.1%, where whole percents would label every tick "10%".
SHARE_TICKS = ".4~%"
# What each history key means to a student, and whether it is a share shown as a percentage.
METRICS = {
    "loss": ("training loss", False),
    "accuracy": ("training accuracy", True),
    "val_loss": ("validation loss", False),
    "val_accuracy": ("validation accuracy", True),
    "val_f1_micro": ("validation F1 (micro)", True),
    "val_roc_auc": ("validation ROC AUC", True),
    "lr": ("learning rate", False),
    "grad_norm": ("gradient norm", False),
    "seconds": ("seconds per epoch", False),
    "elapsed_seconds": ("seconds since training began", False),
    "examples_per_second": ("examples per second", False),
}
MAX_SMOOTHING = 0.95


def exponential_moving_average(values: Sequence[float | None], smoothing: float) -> list[float | None]:
    """TensorBoard-style smoothing: each point is `smoothing` x the previous smoothed point + (1 - smoothing) x
    itself, starting from the first value. Missing (None or non-finite) values stay None and are skipped."""
    if not 0 <= smoothing <= MAX_SMOOTHING:
        raise TrainboardError(f"smoothing: must be between 0 and {MAX_SMOOTHING}, got {smoothing!r}")
    smoothed: list[float | None] = []
    last = None
    for value in values:
        if not _finite(value):
            smoothed.append(None)
            continue
        last = value if last is None else smoothing * last + (1 - smoothing) * value
        smoothed.append(last)
    return smoothed


def best_epoch(history: list[dict]) -> int | None:
    """The epoch with the highest validation accuracy (the earliest on a tie); None without validation rows."""
    scored = [(row["val_accuracy"], -epoch) for epoch, row in _epochs(history) if _finite(row.get("val_accuracy"))]
    return -max(scored)[1] if scored else None


# The x-axes of the learning curves: epochs (fractional for the points within an epoch), or wall time.
CURVE_AXES = {"epoch": "epoch", "time": "seconds since training began"}
BATCH_LABEL = "train, within epochs"


def learning_curves_figure(
    history: list[dict],
    smoothing: float = 0.0,
    title: str = "Learning curves",
    batches: Sequence[dict] = (),
    x_axis: str = "epoch",
) -> go.Figure:
    """Loss (left) and accuracy (right) per epoch, train solid and validation dashed, smoothed by `smoothing`
    (raw points faint behind), with the best validation-accuracy epoch marked. `batches` are the points within
    epochs (core.training.callbacks.batch_curve: "epoch" fractional, "seconds", "loss", "accuracy"), drawn as a
    thin line under the epoch markers. `x_axis` is "epoch" or "time" (seconds since training began: a row's
    "elapsed_seconds", else the sum of the epochs' "seconds" so far)."""
    if x_axis not in CURVE_AXES:
        raise TrainboardError(f"x_axis: must be one of {', '.join(CURVE_AXES)}, got {x_axis!r}")
    epochs = [epoch for epoch, _ in _epochs(history)]
    where = _epoch_positions(history, x_axis)
    panels = [("loss", "val_loss"), ("accuracy", "val_accuracy")]
    has_epochs = any(_finite(row.get(key)) for row in history for pair in panels for key in pair)
    has_batches = any(_finite(point.get(key)) for point in batches for key in ("loss", "accuracy"))
    if not has_epochs and not has_batches:
        return _empty(title, "No epoch has finished yet.")
    figure = make_subplots(rows=1, cols=2, subplot_titles=("Loss (lower is better)", "Accuracy (higher is better)"))
    batch_x = [point.get("epoch" if x_axis == "epoch" else "seconds") for point in batches]
    in_legend: set[str] = set()  # one legend entry per split; clicking it hides the split in both panels
    for col, keys in enumerate(panels, start=1):
        values = [point.get(keys[0]) for point in batches]
        if any(_finite(v) for v in values):  # first, so the epoch lines and markers are drawn over it
            _add_batch_line(figure, batch_x, values, col, legend=BATCH_LABEL not in in_legend)
            in_legend.add(BATCH_LABEL)
        for key in keys:
            part = "val" if key.startswith("val_") else "train"
            values = [row.get(key) for row in history]
            if any(_finite(v) for v in values):
                label = "validation" if part == "val" else "train"
                style = dict(color=SPLIT_COLOURS[part], dash="dash" if part == "val" else "solid")
                # Over a dense batch line the epoch points need to stand out: larger markers.
                marker = dict(size=8) if has_batches else None
                legend = label not in in_legend
                _add_series(figure, where, values, smoothing, label, style, col=col, legend=legend, marker=marker)
                in_legend.add(label)
    best = best_epoch(history)
    if best is not None:
        index = epochs.index(best)
        figure.add_scatter(
            x=[where[index]],
            y=[history[index]["val_accuracy"]],
            mode="markers",
            name=f"best epoch ({best})",
            row=1,
            col=2,
            marker=dict(symbol="star", size=14, color="gold", line=dict(color="black", width=1)),
            hovertemplate=f"best validation accuracy %{{y:.1%}} at epoch {best}<extra></extra>",
        )
        figure.add_vline(x=where[index], line=dict(dash="dot", color="grey"), row="all", col="all")
    if x_axis == "time":
        figure.update_xaxes(title=CURVE_AXES["time"], rangemode="tozero")
    else:  # a run still in its first epochs: let plotly put ticks between the whole epochs
        long_enough = max([*epochs, *(x for x in batch_x if _finite(x))], default=0) >= 2
        ticks = _epoch_ticks(epochs) if long_enough or not has_batches else {}
        figure.update_xaxes(title="epoch", rangemode="tozero" if has_batches else "normal", **ticks)
    figure.update_yaxes(title="loss", row=1, col=1)
    figure.update_yaxes(title="accuracy", tickformat=SHARE_TICKS, row=1, col=2)
    if has_batches:  # an epoch's mean trails its last batches while the model improves: say why they differ
        subtitle = "Thin line: training loss and accuracy over the last few batches. Markers: each epoch's mean."
        figure.update_layout(title=dict(text=title, subtitle=dict(text=subtitle)), margin=dict(t=110, b=40))
    else:
        figure.update_layout(title=title, margin=MARGIN)
    figure.update_layout(height=HEIGHT, hovermode="x unified")
    return figure


RUN_DASHES = ("solid", "dash", "dot", "dashdot")
RUN_MARKERS = ("circle", "diamond-open", "square-open", "x-thin-open")


def overlay_learning_curves_figure(
    histories: dict[str, list[dict]], metric: str = "val_accuracy", smoothing: float = 0.0
) -> go.Figure:
    """One line per run (labelled by the dict's keys) of `metric` per epoch, for comparing runs."""
    label, is_share = METRICS.get(metric, (metric.replace("_", " "), False))
    title = f"{label[0].upper()}{label[1:]} per epoch, by run"
    figure = go.Figure()
    all_epochs: list[int] = []
    for index, (run, history) in enumerate(histories.items()):
        values = [row.get(metric) for row in history]
        all_epochs += [epoch for epoch, _ in _epochs(history)]
        if any(_finite(v) for v in values):
            epochs = [epoch for epoch, _ in _epochs(history)]
            # Colour, dash and marker all differ: runs that agree exactly (a numpy-mlp and an mlp trained step for
            # step) lie on one line, and the dashes and open markers still show that both are there.
            style = dict(color=qualitative.Plotly[index % len(qualitative.Plotly)], dash=RUN_DASHES[index % 4])
            marker = dict(size=7 + 2 * (index % 4), symbol=RUN_MARKERS[index % 4])
            _add_series(figure, epochs, values, smoothing, run, style, marker=marker)
    if not figure.data:
        return _empty(title, f"No run has recorded {label} yet.")
    figure.update_xaxes(title="epoch", **_epoch_ticks(sorted(set(all_epochs))))
    figure.update_yaxes(title=label, tickformat=SHARE_TICKS if is_share else None)
    figure.update_layout(title=title, height=HEIGHT, margin=MARGIN, legend_title="run")
    return figure


def learning_rate_figure(rates: list[float], title: str = "Learning rate per epoch") -> go.Figure:
    """The learning rate of each epoch (1-based), on a log axis unless a rate is zero or negative."""
    if not any(_finite(rate) for rate in rates):
        return _empty(title, "No learning rate to show yet.")
    epochs = list(range(1, len(rates) + 1))
    figure = go.Figure(
        go.Scatter(
            x=epochs,
            y=[rate if _finite(rate) else None for rate in rates],
            mode="lines+markers",
            name="learning rate",
            hovertemplate="epoch %{x}: learning rate %{y:.3g}<extra></extra>",
        )
    )
    positive = all(rate > 0 for rate in rates if _finite(rate))
    figure.update_xaxes(title="epoch", **_epoch_ticks(epochs))
    figure.update_yaxes(title="learning rate", type="log" if positive else "linear", exponentformat="power")
    figure.update_layout(title=title, height=320, margin=MARGIN)
    return figure


def per_class_accuracy_figure(
    confusion_matrix: list[list[int]], classes: list[str], title: str = "Accuracy per class"
) -> go.Figure:
    """Horizontal bars of each class's accuracy (recall: correct / rows of that class), weakest class on top, with
    the overall accuracy as a dashed line. Classes without rows are left out."""
    counts = np.asarray(confusion_matrix, dtype=float)
    if counts.ndim != 2 or counts.size == 0 or counts.shape[0] != counts.shape[1] or counts.sum() == 0:
        return _empty(title, "No predictions to score yet.")
    names = [str(classes[i]) if i < len(classes) else f"class {i}" for i in range(len(counts))]
    rows, correct = counts.sum(axis=1), np.diag(counts)
    scored = sorted((correct[i] / rows[i], names[i], int(correct[i]), int(rows[i])) for i in np.flatnonzero(rows))
    figure = go.Figure(
        go.Bar(
            x=[s[0] for s in scored],
            y=[s[1] for s in scored],
            orientation="h",
            marker=dict(color=[s[0] for s in scored], colorscale="RdYlGn", cmin=0, cmax=1),
            text=[f"{s[0]:.0%} ({s[2]:,}/{s[3]:,})" for s in scored],
            textposition="auto",
            hovertemplate="%{y}: %{x:.1%} of its rows predicted right<extra></extra>",
            name="class accuracy",
        )
    )
    overall = correct.sum() / counts.sum()
    figure.add_vline(
        x=overall,
        line=dict(dash="dash", color="black"),
        annotation_text=f"overall {overall:.1%}",
        annotation_position="top",
    )
    figure.update_xaxes(title="accuracy (share of the class's rows predicted right)", range=[0, 1.02], tickformat=".0%")
    figure.update_yaxes(title="true class", autorange="reversed", type="category")
    figure.update_layout(title=title, height=max(300, 26 * len(scored) + 140), margin=MARGIN)
    return figure


def _add_series(figure, epochs, values, smoothing, name, style, col=None, legend=True, marker=None) -> None:
    """One line of a metric per epoch; when smoothed, the raw points stay faint behind the smoothed line."""
    where = dict(row=1, col=col) if col is not None else {}
    values = [v if _finite(v) else None for v in values]
    if smoothing > 0:
        figure.add_scatter(
            x=epochs,
            y=values,
            mode="lines",
            name=f"{name} (raw)",
            legendgroup=name,
            showlegend=False,
            line=dict(color=style["color"], width=1),
            opacity=0.25,
            hoverinfo="skip",
            **where,
        )
    figure.add_scatter(
        x=epochs,
        y=exponential_moving_average(values, smoothing),
        mode="lines+markers",
        name=name,
        legendgroup=name,
        showlegend=legend,
        line=style,
        marker=marker or dict(size=5),
        hovertemplate=f"{name}: %{{y:.4g}}<extra></extra>",
        **where,
    )


def _add_batch_line(figure, x, values, col, legend) -> None:
    """The training metric within epochs: a thin, faint line in the train colour, without markers."""
    figure.add_scatter(
        x=x,
        y=[v if _finite(v) else None for v in values],
        mode="lines",
        name=BATCH_LABEL,
        legendgroup=BATCH_LABEL,
        showlegend=legend,
        line=dict(color=SPLIT_COLOURS["train"], width=1),
        opacity=0.6,
        hovertemplate=f"{BATCH_LABEL}: %{{y:.4g}}<extra></extra>",
        row=1,
        col=col,
    )


def _epochs(history: list[dict]) -> list[tuple[int, dict]]:
    return [(row.get("epoch") or i, row) for i, row in enumerate(history, start=1)]


def _epoch_positions(history: list[dict], x_axis: str) -> list:
    """Where each history row goes on the x-axis: its epoch, or its seconds since training began."""
    if x_axis == "epoch":
        return [epoch for epoch, _ in _epochs(history)]
    positions, total = [], 0.0
    for row in history:
        total += row.get("seconds") if _finite(row.get("seconds")) else 0.0
        elapsed = row.get("elapsed_seconds")
        positions.append(elapsed if _finite(elapsed) else total)
    return positions


def _epoch_ticks(epochs: list) -> dict:
    # Whole epochs only: plotly would otherwise put ticks at 1.5, 2.5 on short runs.
    return dict(dtick=1) if len(epochs) <= 20 else dict(tickformat="d")
