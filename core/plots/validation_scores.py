"""Validation scores per epoch beyond accuracy: micro-averaged F1 and ROC AUC, the scores the reference study's
callback printed after each epoch. The rows are the trainer's history (keys val_f1_micro, val_roc_auc; either
may be missing or None, ROC AUC is None where it is undefined)."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.colors import qualitative

from core.plots.common import MARGIN, _empty, _finite
from core.plots.training import METRICS, SHARE_TICKS, exponential_moving_average

# The history keys drawn, each in its own colour (accuracy is on the learning curves already).
SCORE_KEYS = ("val_f1_micro", "val_roc_auc")


def validation_scores_figure(
    history: list[dict], smoothing: float = 0.0, title: str = "Validation F1 (micro) and ROC AUC per epoch"
) -> go.Figure:
    """One line per score of SCORE_KEYS over the epochs (1-based unless a row says its epoch), smoothed like the
    learning curves; a figure that says so when no epoch has either score."""
    epochs = [row.get("epoch") or i for i, row in enumerate(history, start=1)]
    figure = go.Figure()
    for index, key in enumerate(SCORE_KEYS):
        values = [row.get(key) if _finite(row.get(key)) else None for row in history]
        if not any(v is not None for v in values):
            continue
        label = METRICS[key][0]
        figure.add_scatter(
            x=epochs,
            y=exponential_moving_average(values, smoothing),
            mode="lines+markers",
            name=label,
            line=dict(color=qualitative.Plotly[(index + 2) % len(qualitative.Plotly)]),
            hovertemplate=f"{label}: %{{y:.4f}}<extra></extra>",
        )
    if not figure.data:
        return _empty(title, "No epoch has a validation F1 or ROC AUC yet.")
    # Whole epochs only on short runs: plotly would otherwise put ticks at 1.5, 2.5.
    figure.update_xaxes(title="epoch", **(dict(dtick=1) if len(epochs) <= 20 else dict(tickformat="d")))
    figure.update_yaxes(title="score", tickformat=SHARE_TICKS)
    figure.update_layout(title=title, height=320, margin=MARGIN, hovermode="x unified")
    return figure
