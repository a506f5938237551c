"""Figures of the Explore page and the EDA report. Inputs are plain data (series, frames, arrays)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

HEIGHT = 340
MARGIN = dict(t=50, b=40, l=50, r=20)


def _layout(figure: go.Figure, title: str, height: int = HEIGHT, **extra) -> go.Figure:
    figure.update_layout(title=title, height=height, margin=MARGIN, **extra)
    return figure


def histogram_figure(values: pd.Series, column: str, bins: int = 50) -> go.Figure:
    figure = go.Figure(go.Histogram(x=values.dropna().astype("float64"), nbinsx=bins, marker_color="#4C78A8"))
    return _layout(figure, f"Distribution of {column}", xaxis_title=column, yaxis_title="rows", bargap=0.02)


def box_figure(values: pd.Series, column: str) -> go.Figure:
    figure = go.Figure(
        go.Box(x=values.dropna().astype("float64"), name=column, boxpoints="outliers", marker_color="#4C78A8")
    )
    return _layout(figure, f"Box plot of {column} (whiskers: 1.5 x IQR)", height=220, showlegend=False)


def category_bar_figure(top_values: list[tuple[str, int]], column: str) -> go.Figure:
    """Bars of the most common values of a categorical column, largest first."""
    labels, counts = zip(*top_values, strict=True) if top_values else ((), ())
    figure = go.Figure(go.Bar(x=list(counts), y=list(labels), orientation="h", marker_color="#4C78A8"))
    figure.update_yaxes(autorange="reversed", type="category")
    return _layout(figure, f"Most common values of {column}", xaxis_title="rows")


def target_figure(counts: dict[str, int], target: str) -> go.Figure:
    total = sum(counts.values()) or 1
    figure = go.Figure(
        go.Bar(
            x=list(counts),
            y=list(counts.values()),
            marker_color="#F58518",
            text=[f"{n / total:.1%}" for n in counts.values()],
            textposition="outside",
        )
    )
    figure.update_xaxes(type="category")
    return _layout(figure, f"Target: {target}", xaxis_title="class", yaxis_title="rows")


def missing_figure(missing: pd.Series, rows: int) -> go.Figure:
    """Share of missing values per column (all columns, exact counts in the hover)."""
    share = missing / max(rows, 1)
    figure = go.Figure(
        go.Bar(
            x=share.to_numpy(),
            y=[str(c) for c in missing.index],
            orientation="h",
            customdata=missing.to_numpy(),
            marker_color="#E45756",
            hovertemplate="%{y}: %{customdata:,} missing (%{x:.1%})<extra></extra>",
        )
    )
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(tickformat=".0%", range=[0, 1])
    return _layout(figure, "Missing values per column", height=max(HEIGHT, 22 * len(missing)))


def correlation_figure(matrix: pd.DataFrame, method: str) -> go.Figure:
    names = {"pearson": "Pearson r", "spearman": "Spearman rho", "cramer": "Cramér's V"}
    lower = 0.0 if method == "cramer" else -1.0
    figure = go.Figure(
        go.Heatmap(
            z=matrix.to_numpy(),
            x=list(matrix.columns),
            y=list(matrix.index),
            zmin=lower,
            zmax=1.0,
            colorscale="RdBu_r" if lower < 0 else "Blues",
            text=np.round(matrix.to_numpy(), 2),
            texttemplate="%{text}",
        )
    )
    figure.update_yaxes(autorange="reversed")
    size = max(HEIGHT, 40 * len(matrix) + 120)
    return _layout(figure, f"Correlation ({names.get(method, method)})", height=size)


def grouped_figure(data: pd.DataFrame, column: str, by: str) -> go.Figure:
    """Box plots of a numeric column per group, or stacked shares of a categorical one per group."""
    if list(data.columns) == [by, column]:
        figure = px.box(data, x=by, y=column, points=False)
        return _layout(figure, f"{column} by {by}")
    figure = go.Figure(
        [go.Bar(name=str(value), x=[str(i) for i in data.index], y=data[value]) for value in data.columns]
    )
    figure.update_layout(barmode="stack", yaxis_tickformat=".0%", legend_title=column)
    return _layout(figure, f"{column} by {by} (share within each {by})")


def time_pattern_figure(counts: pd.Series, unit: str) -> go.Figure:
    figure = go.Figure(go.Bar(x=[str(i) for i in counts.index], y=counts.to_numpy(), marker_color="#72B7B2"))
    figure.update_xaxes(type="category")
    return _layout(figure, f"Rows per {unit}", xaxis_title=unit, yaxis_title="rows")


def geo_density_figure(latitude: pd.Series, longitude: pd.Series) -> go.Figure:
    """A 2-D histogram of positions: a map-like density with no map tiles (works offline)."""
    keep = latitude.notna() & longitude.notna()
    figure = go.Figure(
        go.Histogram2d(
            x=longitude[keep].astype("float64"),
            y=latitude[keep].astype("float64"),
            nbinsx=120,
            nbinsy=120,
            colorscale="Viridis",
        )
    )
    figure.update_yaxes(scaleanchor="x", scaleratio=1.2)
    return _layout(
        figure, "Where: density of latitude / longitude", height=520, xaxis_title="longitude", yaxis_title="latitude"
    )


def mean_images_figure(means: dict[str, np.ndarray]) -> go.Figure:
    """The mean image of each class side by side, as one mosaic with the class names underneath."""
    images = list(means.values())
    height, width = images[0].shape[:2]
    gap = 2
    mosaic = np.full((height, len(images) * (width + gap)), np.nan)
    for i, image in enumerate(images):
        mosaic[:, i * (width + gap) : i * (width + gap) + width] = image if image.ndim == 2 else image.mean(axis=2)
    figure = go.Figure(
        go.Heatmap(
            z=mosaic, colorscale="gray_r", zmin=0, zmax=255, showscale=False, hovertemplate="%{z:.0f}<extra></extra>"
        )
    )
    figure.update_yaxes(autorange="reversed", showticklabels=False, scaleanchor="x")
    figure.update_xaxes(
        tickmode="array",
        tickvals=[i * (width + gap) + width / 2 for i in range(len(images))],
        ticktext=list(means),
        showgrid=False,
    )
    return _layout(figure, "Mean image per class", height=260)


def pixel_histogram_figure(counts: np.ndarray) -> go.Figure:
    figure = go.Figure(go.Bar(x=np.arange(len(counts)), y=counts, marker_color="#4C78A8"))
    figure.update_yaxes(type="log")
    return _layout(
        figure,
        "Pixel intensities (all images, log scale)",
        xaxis_title="intensity 0..255",
        yaxis_title="pixels",
        bargap=0,
    )


def projection_figure(points: pd.DataFrame, method: str) -> go.Figure:
    figure = px.scatter(points, x="x", y="y", color="class", hover_data=["row"], opacity=0.7, render_mode="webgl")
    figure.update_traces(marker_size=4)
    label = {"pca": "PCA", "tsne": "t-SNE"}.get(method, method)
    return _layout(figure, f"2-D projection ({label}) of {len(points):,} sampled images", height=520)
