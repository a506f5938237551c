"""Figures of one network's layers during training, like TensorBoard's: the gradient size of each parameter tensor
per epoch, and the distribution of a layer's weights or gradients at each epoch end.

Inputs are the rows the histogram callback writes; any key may be missing or None, and empty input gives a figure
that says there is nothing to show yet."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from core.errors import TrainboardError
from core.plots.common import HEIGHT, MARGIN, _empty, _finite
from core.plots.training import _epoch_ticks

# The histogram callback writes "weights"/"gradients"; older records used "weight_hist"/"grad_hist".
HISTOGRAM_KEYS = {"weight": ("weights", "weight_hist"), "grad": ("gradients", "grad_hist")}


def gradient_norms_figure(records: list[dict], title: str = "Gradient size per layer") -> go.Figure:
    """The L2 norm of each parameter tensor's gradient per epoch, one line per tensor on a log axis, coloured from
    the first layer (yellow) to the last (purple)."""
    names = list(dict.fromkeys(name for record in records for name in (record.get("layers") or {})))
    series = {name: [_layer(record, name).get("grad_norm") for record in records] for name in names}
    series = {name: values for name, values in series.items() if any(_positive(v) for v in values)}
    if not series:
        return _empty(title, "No gradients recorded yet.")
    epochs = [record.get("epoch", i) for i, record in enumerate(records, start=1)]
    colours = sample_colorscale("Viridis_r", np.linspace(0, 1, len(series)).tolist())
    figure = go.Figure()
    for colour, (name, values) in zip(colours, series.items(), strict=True):
        figure.add_scatter(
            x=epochs,
            y=[v if _positive(v) else None for v in values],
            mode="lines+markers",
            name=name,
            line=dict(color=colour),
            hovertemplate=f"<b>{name}</b><br>epoch %{{x}}: gradient norm %{{y:.3g}}<extra></extra>",
        )
    figure.update_xaxes(title="epoch", **_epoch_ticks(epochs))
    figure.update_yaxes(title="gradient L2 norm (log scale)", type="log", exponentformat="power")
    subtitle = "Lines falling far below the rest: vanishing gradients; shooting far above: exploding gradients."
    figure.update_layout(title=dict(text=title, subtitle=dict(text=subtitle)), height=HEIGHT, margin=dict(t=80, b=40))
    return figure


def layer_histogram_figure(records: list[dict], layer: str, which: str = "weight") -> go.Figure:
    """The distribution of `layer`'s weights (which="weight") or gradients ("grad") at each epoch end, one step
    line per epoch coloured from early (light) to late (dark), like TensorBoard's histogram view."""
    if which not in HISTOGRAM_KEYS:
        raise TrainboardError(f"which: must be one of {', '.join(HISTOGRAM_KEYS)}, got {which!r}")
    noun = "weight" if which == "weight" else "gradient"
    title = f"{noun.capitalize()} values of {layer} per epoch"
    found = []
    for i, record in enumerate(records, start=1):
        histogram = next((_layer(record, layer)[k] for k in HISTOGRAM_KEYS[which] if _layer(record, layer).get(k)), {})
        counts, edges = histogram.get("counts") or [], histogram.get("edges") or []
        if counts and len(edges) == len(counts) + 1:
            found.append((record.get("epoch", i), list(counts), list(edges)))
    if not found:
        return _empty(title, f"No {noun} histograms recorded for this layer yet.")
    colours = sample_colorscale("Blues", np.linspace(0.3, 1, len(found)).tolist())
    figure = go.Figure()
    for index, (epoch, counts, edges) in enumerate(found):
        figure.add_scatter(
            x=edges,
            y=counts + counts[-1:],  # a step line needs the last bin's height at its right edge too
            mode="lines",
            line=dict(shape="hv", color=colours[index], width=1.5),
            name=f"epoch {epoch}",
            showlegend=index in (0, len(found) - 1),
            hovertemplate=f"epoch {epoch}: %{{y:,}} values from %{{x:.3g}}<extra></extra>",
        )
    figure.update_xaxes(title=f"{noun} value")
    figure.update_yaxes(title="number of values")
    figure.update_layout(title=title, height=HEIGHT, margin=MARGIN, legend_title="light = early, dark = late")
    return figure


def _layer(record: dict, name: str) -> dict:
    return (record.get("layers") or {}).get(name) or {}


def _positive(value) -> bool:
    return _finite(value) and value > 0
