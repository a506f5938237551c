"""Figures of one evaluated run: confusion matrix, ROC and precision-recall curves."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

HEIGHT = 420


def confusion_matrix_figure(
    matrix: list[list[int]], classes: list[str], normalised: bool = False, title: str = "Confusion matrix"
) -> go.Figure:
    """Rows are true classes, columns predicted ones; normalised shows each row's shares (recall on the diagonal)."""
    counts = np.asarray(matrix, dtype=float)
    shown = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1) if normalised else counts
    text = [[f"{v:.0%}" if normalised else f"{int(v):,}" for v in row] for row in shown]
    figure = go.Figure(
        go.Heatmap(
            z=shown,
            x=classes,
            y=classes,
            colorscale="Blues",
            text=text,
            texttemplate="%{text}",
            customdata=counts,
            zmin=0,
            hovertemplate="true %{y}, predicted %{x}: %{customdata:,.0f}<extra></extra>",
        )
    )
    figure.update_yaxes(autorange="reversed", title="true", type="category")
    figure.update_xaxes(title="predicted", type="category")
    size = max(HEIGHT, 36 * len(classes) + 160)
    figure.update_layout(
        title=title + (" (share of each true class)" if normalised else " (counts)"),
        height=size,
        margin=dict(t=50, b=40),
    )
    return figure


def roc_figure(curves: dict[str, dict], title: str = "ROC curves (one-vs-rest)") -> go.Figure:
    figure = go.Figure()
    for name, curve in curves.items():
        figure.add_scatter(x=curve["fpr"], y=curve["tpr"], mode="lines", name=f"{name} (AUC {curve['auc']:.3f})")
    figure.add_scatter(x=[0, 1], y=[0, 1], mode="lines", line=dict(dash="dot", color="grey"), name="chance")
    figure.update_layout(
        title=title,
        xaxis_title="false positive rate",
        yaxis_title="true positive rate",
        height=HEIGHT,
        margin=dict(t=50, b=40),
    )
    return figure


def precision_recall_figure(curves: dict[str, dict], title: str = "Precision-recall curves") -> go.Figure:
    figure = go.Figure()
    for name, curve in curves.items():
        figure.add_scatter(x=curve["recall"], y=curve["precision"], mode="lines", name=f"{name} (AP {curve['ap']:.3f})")
    figure.update_layout(
        title=title,
        xaxis_title="recall",
        yaxis_title="precision",
        height=HEIGHT,
        yaxis_range=[0, 1.02],
        margin=dict(t=50, b=40),
    )
    return figure
