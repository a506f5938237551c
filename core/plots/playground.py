"""The Playground's charts, for what is read once rather than watched while playing (that is drawn as pictures, in
playground_pictures): cost curves of the logbook's gate exercises, several on one chart, and the spread of final
test losses over many starting weights."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.colors import qualitative

from core.plots.playground_pictures import POSITIVE


def cost_curves_figure(
    curves: Sequence[tuple[str, Sequence[float], int | None]], threshold: float, title: str
) -> go.Figure:
    """One line per (label, cost per epoch, first epoch below threshold), a dotted threshold line and a marker
    where each curve first passes below it."""
    figure = go.Figure()
    for number, (label, costs, first_below) in enumerate(curves):
        colour = qualitative.Plotly[number % len(qualitative.Plotly)]
        epochs = np.arange(1, len(costs) + 1)
        figure.add_trace(go.Scatter(x=epochs, y=costs, name=label, line=dict(color=colour)))
        if first_below is not None:
            figure.add_trace(
                go.Scatter(
                    x=[first_below],
                    y=[costs[first_below - 1]],
                    mode="markers",
                    marker=dict(size=10, color=colour),
                    name=f"{label}: below {threshold:g} at epoch {first_below}",
                )
            )
    figure.add_hline(y=threshold, line=dict(dash="dot", color="grey"), annotation_text=f"threshold {threshold:g}")
    figure.update_layout(
        title=title,
        height=360,
        margin=dict(t=50, b=40),
        legend=dict(orientation="h", y=-0.25),
        xaxis_title="epoch",
        yaxis_title="cost",
    )
    return figure


def convergence_figure(test_losses: np.ndarray, goal: float, epochs: int, share: float) -> go.Figure:
    """Histogram of the final test loss of each seed (NaN: diverged), with the goal as a line; `share` of the
    seeds reached it."""
    finite = test_losses[np.isfinite(test_losses)]
    top = 1.1 * max(float(finite.max()) if finite.size else goal, goal)  # from 0, the goal always in view
    figure = go.Figure(
        go.Histogram(x=finite, xbins=dict(start=0, end=top, size=top / 30), marker_color="#888888", name="seeds")
    )
    figure.add_vline(x=goal, line=dict(dash="dot", color=POSITIVE), annotation_text=f"goal {goal:g}")
    diverged = len(test_losses) - len(finite)
    note = f"; {diverged} diverged" if diverged else ""
    figure.update_layout(
        title=f"Final test loss after {epochs} epochs, {len(test_losses)} seeds: {share:.0%} reach {goal:g}{note}",
        height=300,
        margin=dict(t=50, b=40),
        xaxis_title="test loss",
        yaxis_title="seeds",
        bargap=0.05,
    )
    return figure
