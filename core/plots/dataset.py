"""Figures of a loaded dataset: class balance across the split, and sample images per class."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

SPLIT_COLOURS = {"train": "#4C78A8", "val": "#F58518", "test": "#54A24B"}


def class_balance_figure(counts_by_split: dict[str, dict[str, int]]) -> go.Figure:
    """Stacked bars: rows per class, coloured by the split part they fall in."""
    figure = go.Figure()
    for part, counts in counts_by_split.items():
        figure.add_bar(name=part, x=list(counts), y=list(counts.values()), marker_color=SPLIT_COLOURS.get(part))
    figure.update_layout(
        barmode="stack",
        title="Class balance by split",
        xaxis_title="class",
        yaxis_title="rows",
        legend_title="split",
        height=360,
        margin=dict(t=50, b=40),
    )
    return figure


def image_grid_figure(images: np.ndarray, picks: dict[str, np.ndarray]) -> go.Figure:
    """One row of sample images per class, as a single grayscale mosaic with the class names on the left."""
    height, width = images.shape[1:3]
    per_row = max((len(rows) for rows in picks.values()), default=0)
    gap = 2
    mosaic = np.full((len(picks) * (height + gap), per_row * (width + gap)), np.nan)
    for r, rows in enumerate(picks.values()):
        for c, index in enumerate(rows):
            image = images[index]
            if image.ndim == 3:  # colour: show luminance, the grid is about shapes not hues
                image = image.mean(axis=2)
            mosaic[r * (height + gap) : r * (height + gap) + height, c * (width + gap) : c * (width + gap) + width] = (
                image
            )
    figure = go.Figure(go.Heatmap(z=mosaic, colorscale="gray_r", zmin=0, zmax=255, showscale=False, hoverinfo="skip"))
    figure.update_yaxes(
        autorange="reversed",
        tickmode="array",
        tickvals=[r * (height + gap) + height / 2 for r in range(len(picks))],
        ticktext=list(picks),
        scaleanchor="x",
        showgrid=False,
        zeroline=False,
    )
    figure.update_xaxes(showticklabels=False, showgrid=False, zeroline=False)
    figure.update_layout(
        title="Samples per class",
        height=max(300, 34 * len(picks) * max(1, height // 14)),
        margin=dict(t=50, l=110, r=10, b=10),
        plot_bgcolor="white",
    )
    return figure
