"""Figures about the network itself and its mistakes: where a network spends its memory and compute, layer by
layer, and a grid of the images it got wrong.

Inputs are plain data (an analysis.json dict, uint8 images and label lists); any key may be missing or None, and
empty input gives a figure that says there is nothing to show yet."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from core.plots.common import HEIGHT, MARGIN, _empty, _finite

PAGE_PX = 760  # the width a figure gets on a page (and in the report)
LABEL_CHAR_PX, LABEL_GAP_PX = 5.5, 12  # a character of the 10 px label font (4.7 measured in Chromium), gap
LABEL_BAND_PX = 36  # two lines of that font and a little air


def misclassified_figure(
    images: np.ndarray,
    true_labels: list[str],
    predicted_labels: list[str],
    confidences: list[float],
    columns: int = 8,
    title: str = "Misclassified images",
) -> go.Figure:
    """A grid of images (uint8, (n, H, W) or (n, H, W, C)) in one mosaic, each with "true X / predicted Y (93%)"
    above it; the confidence is the model's probability for the wrong class it predicted. At most `columns`
    columns, fewer where the labels would otherwise run into their neighbours."""
    images = np.asarray(images)
    count = min(len(images), len(true_labels), len(predicted_labels)) if images.ndim >= 3 else 0
    if count == 0:
        return _empty(title, "No misclassified images.")
    images = images[:count]
    if images.ndim == 4 and images.shape[3] == 1:
        images = images[..., 0]
    colour = images.ndim == 4
    height, width = images.shape[1:3]
    label_px = LABEL_CHAR_PX * max(len(f"predicted {p} (100%)") for p in predicted_labels[:count])
    label_px = max(label_px, LABEL_CHAR_PX * max(len(f"true {t}") for t in true_labels[:count]))
    # As many columns as the labels leave room for: 8 columns of "predicted Ankle boot (93%)" overlapped.
    columns = max(1, min(columns, count, int(PAGE_PX // (label_px + LABEL_GAP_PX))))
    rows = math.ceil(count / columns)
    gap = max(2, width // 8)
    scale = PAGE_PX / (columns * (width + gap))  # screen pixels per image pixel
    band = math.ceil(LABEL_BAND_PX / scale)  # room for the two-line label above each image, in image pixels
    cell_w, cell_h = width + gap, height + band
    # Gaps are white: 255 in colour, NaN (not drawn) in grayscale.
    mosaic = np.full((rows * cell_h, columns * cell_w) + ((3,) if colour else ()), 255.0 if colour else np.nan)
    labels = []
    for i in range(count):
        top, left = (i // columns) * cell_h + band, (i % columns) * cell_w
        mosaic[top : top + height, left : left + width] = images[i][..., :3] if colour else images[i]
        confidence = confidences[i] if i < len(confidences) else None
        shown = f" ({confidence:.0%})" if _finite(confidence) else ""
        # Pixel i spans i - 0.5 .. i + 0.5, so the label sits just above the image's top edge.
        text = f"true {true_labels[i]}<br>predicted {predicted_labels[i]}{shown}"
        labels.append(dict(x=left + (width - 1) / 2, y=top - 0.5, text=text))
    figure = go.Figure()
    if colour:
        figure.add_trace(go.Image(z=mosaic.astype(np.uint8), hoverinfo="skip"))
    else:
        figure.add_trace(go.Heatmap(z=mosaic, colorscale="gray_r", zmin=0, zmax=255, showscale=False, hoverinfo="skip"))
        figure.update_yaxes(autorange="reversed", scaleanchor="x")
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    figure.update_layout(
        title=title,
        height=int(rows * cell_h * scale) + 70,
        margin=dict(t=50, l=10, r=10, b=10),
        plot_bgcolor="white",
        # One update for all labels: adding 64 annotations one by one takes over a second.
        annotations=[
            label | dict(xref="x", yref="y", yanchor="bottom", showarrow=False, font=dict(size=10)) for label in labels
        ],
    )
    return figure


def analysis_figure(analysis: dict, title: str = "Where memory and compute go, layer by layer") -> go.Figure:
    """Per layer in network order: its share (%) of all activation memory and of all multiply-accumulates."""
    layers = analysis.get("layers") or []
    memory = [float(layer.get("activation_bytes") or 0) for layer in layers]
    compute = [float(layer.get("macs") or 0) for layer in layers]
    if not layers or (sum(memory) <= 0 and sum(compute) <= 0):
        return _empty(title, "No network analysed yet.")
    names = [_layer_label(layer, i) for i, layer in enumerate(layers, start=1)]
    figure = go.Figure()
    for label, values, unit, colour in (
        ("activation memory", memory, "bytes", "#4C78A8"),
        ("multiply-accumulates", compute, "MACs", "#F58518"),
    ):
        total = sum(values)
        if total > 0:
            figure.add_bar(
                x=names,
                y=[100 * v / total for v in values],
                name=f"share of {label}",
                marker_color=colour,
                customdata=values,
                hovertemplate=f"%{{x}}: %{{y:.1f}}% of {label} (%{{customdata:,.0f}} {unit})<extra></extra>",
            )
    figure.update_xaxes(title="layer (input on the left, output on the right)", type="category")
    figure.update_yaxes(title="share of the network's total (%)", ticksuffix="%")
    figure.update_layout(title=title, barmode="group", height=HEIGHT, margin=MARGIN, legend_title="share of")
    return figure


def _layer_label(layer: dict, index: int) -> str:
    name = layer.get("name") or f"layer {index}"
    return f"{index}. {name} ({layer['kind']})" if layer.get("kind") else f"{index}. {name}"
