"""Explore page: profile, alerts (leakage included), figures, and the preprocessing builder. Every number comes
from ui/explore_cache.py (cached by the data's sha256), and each control that changes one figure sits in a
fragment with it, so a click redraws that figure only."""

import streamlit as st

from core.eda import dataset_kinds, profile_table
from core.errors import TrainboardError
from core.plots import (
    box_figure,
    category_bar_figure,
    correlation_figure,
    geo_density_figure,
    grouped_figure,
    histogram_figure,
    image_grid_figure,
    mean_images_figure,
    missing_figure,
    pixel_histogram_figure,
    projection_figure,
    target_figure,
    time_pattern_figure,
)
from ui import explore_cache as cache
from ui.badges import dataset_caption
from ui.current_dataset import current_request, load_with_progress
from ui.number_table import number_table
from ui.preprocess_section import preprocessing_section

SEVERITY = {
    "leakage": (st.error, ":material/water_drop:"),
    "warning": (st.warning, ":material/warning:"),
    "info": (st.info, ":material/info:"),
}
PROJECTION_ROWS = {"pca": 3000, "tsne": 1500}  # a seeded sample of the images


def show_alerts(alerts) -> None:
    if not alerts:
        st.success("No alerts: nothing looks constant, leaking, duplicated or badly skewed.")
    order = {"leakage": 0, "warning": 1, "info": 2}
    for alert in sorted(alerts, key=lambda a: order.get(a.severity, 3)):
        show, icon = SEVERITY.get(alert.severity, SEVERITY["info"])
        show(f"**{alert.message}**  \n{alert.advice}", icon=icon)


@st.fragment
def show_column(dataset, profiles, features) -> None:
    key = cache.dataset_key(dataset)
    by_name = {p.name: p for p in profiles}
    column = st.selectbox("Column", features, key="explore_column")
    chosen = by_name[column]
    if chosen.kind == "numeric":
        values = cache.column_sample(*key, column, dataset)
        st.plotly_chart(histogram_figure(values, column), key="explore_hist")
        st.plotly_chart(box_figure(values, column), key="explore_box")
    elif chosen.top_values:
        st.plotly_chart(category_bar_figure([(v, n) for v, n, _ in chosen.top_values], column), key="explore_bar")
    else:
        st.info(f"{column} is a {chosen.kind} column from {chosen.first} to {chosen.last}.")


def show_distributions(dataset, profiles, kinds) -> None:
    key, target = cache.dataset_key(dataset), dataset.target_name
    features = [c for c in dataset.features.columns if c != target]
    if not features:  # a file of one column, or whose other columns were all empty
        st.info(f"No columns besides the target '{target}': nothing to plot against it, and nothing to train on.")
        return
    show_column(dataset, profiles, features)
    left, right = st.columns(2)
    if kinds[target] == "numeric":  # a quantity: a bar per distinct number would say nothing
        left.plotly_chart(histogram_figure(cache.column_sample(*key, target, dataset), target), key="explore_target")
    else:
        left.plotly_chart(target_figure(cache.target_counts(*key, dataset), target), key="explore_target")
    right.plotly_chart(missing_figure(cache.missing_counts(*key, dataset), dataset.rows), key="explore_missing")


@st.fragment
def show_correlation(dataset) -> None:
    method = st.radio(
        "Correlation",
        ["pearson", "spearman", "cramer"],
        horizontal=True,
        key="explore_corr",
        format_func={"pearson": "Pearson", "spearman": "Spearman", "cramer": "Cramér's V"}.get,
    )
    matrix = cache.correlation(*cache.dataset_key(dataset), method, dataset)
    if matrix.empty:
        st.info("Fewer than two columns of that kind to correlate.")
    else:
        st.plotly_chart(correlation_figure(matrix, method), key="explore_corr_fig")


@st.fragment
def show_grouped(dataset) -> None:
    key = cache.dataset_key(dataset)
    groups = cache.group_columns(*key, dataset)
    if not groups:
        return
    left, right = st.columns(2)
    others = [*dataset.features.columns, dataset.target_name]
    default = "Victim Age" if "Victim Age" in others else others[0]
    column = left.selectbox("Distribution of", others, index=others.index(default), key="explore_group_col")
    by = right.selectbox(
        "Grouped by",
        groups,
        index=groups.index("Area Name") if "Area Name" in groups else 0,
        key="explore_group_by",
    )
    if column != by:
        st.plotly_chart(grouped_figure(cache.grouped(*key, column, by, dataset), column, by), key="explore_grouped")


def show_time_and_place(dataset) -> None:
    patterns, coordinates = cache.time_and_place(*cache.dataset_key(dataset), dataset)
    if not patterns and not coordinates:
        st.info("This table has no hour, date or latitude/longitude columns.")
    columns = st.columns(2)
    for slot, (unit, counts) in zip(columns, patterns.items(), strict=False):
        slot.plotly_chart(time_pattern_figure(counts, unit), key=f"explore_time_{unit}")
    if coordinates:
        st.plotly_chart(geo_density_figure(*coordinates), key="explore_geo")


def show_tabular(dataset) -> list:
    profiles, alerts = cache.analyse(*cache.dataset_key(dataset), dataset)
    kinds = dataset_kinds(dataset)
    leaks = sum(a.severity == "leakage" for a in alerts)
    tabs = st.tabs(
        [
            f"Alerts ({len(alerts)}{f', {leaks} leakage' if leaks else ''})",
            "Profile",
            "Distributions",
            "Relations",
            "Time & place",
        ]
    )
    with tabs[0]:
        show_alerts(alerts)
    with tabs[1]:
        number_table(profile_table(profiles), key="explore_profile")
    with tabs[2]:
        show_distributions(dataset, profiles, kinds)
    with tabs[3]:
        show_correlation(dataset)
        show_grouped(dataset)
    with tabs[4]:
        show_time_and_place(dataset)
    return alerts


@st.fragment
def show_projection(dataset, seed: int) -> None:
    images = {method: min(rows, dataset.rows) for method, rows in PROJECTION_ROWS.items()}
    labels = {  # t-SNE took 23-76 s for 1,500 images on 2 busy cores; it runs once per dataset, then it is cached
        "pca": f"PCA ({images['pca']:,} images, seconds)",
        "tsne": f"t-SNE ({images['tsne']:,} images, up to a minute the first time)",
    }
    method = st.radio("Method", list(labels), horizontal=True, key="explore_projection", format_func=labels.get)
    points = cache.projection(dataset.provenance.sha256, method, PROJECTION_ROWS[method], seed, dataset)
    st.plotly_chart(projection_figure(points, method), key="explore_projection_fig")


def show_images(dataset, seed: int) -> None:
    sha = dataset.provenance.sha256
    tabs = st.tabs(["Samples", "Mean image per class", "Pixel intensities", "2-D projection"])
    with tabs[0]:
        picks = cache.class_samples(sha, 10, seed, dataset)
        st.plotly_chart(image_grid_figure(dataset.features, picks), key="explore_grid")
    with tabs[1]:
        st.plotly_chart(mean_images_figure(cache.mean_images(sha, dataset)), key="explore_means")
    with tabs[2]:
        st.plotly_chart(pixel_histogram_figure(cache.pixel_histogram(sha, dataset)), key="explore_pixels")
    with tabs[3]:
        show_projection(dataset, seed)


st.title("Explore")
try:
    request = current_request()
    dataset = load_with_progress(request)
    st.markdown(dataset_caption(dataset))
    alerts = show_tabular(dataset) if dataset.kind == "tabular" else show_images(dataset, request.seed) or []
    st.subheader("Preprocessing")
    preprocessing_section(dataset, alerts, request.seed)
except TrainboardError as error:
    st.error(str(error), icon=":material/error:")
