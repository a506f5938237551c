"""Explore page: profile, alerts (leakage included), figures, and the preprocessing builder."""

import streamlit as st

from core.datasets.summary import samples_per_class
from core.eda import dataset_frame, dataset_kinds, find_alerts, profile, profile_table
from core.eda import views as eda_views
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
from ui.badges import dataset_caption
from ui.current_dataset import current_request, load_with_progress
from ui.preprocess_builder import keep_spec, kept_spec, preprocess_builder, show_preview

SEVERITY = {
    "leakage": (st.error, ":material/water_drop:"),
    "warning": (st.warning, ":material/warning:"),
    "info": (st.info, ":material/info:"),
}
CORRELATION_SAMPLE = 20_000  # Cramér's V cross-tabulates every pair; a sample draws the same picture


@st.cache_data(max_entries=4, show_spinner="Profiling every column and checking for alerts...")
def analyse(dataset_sha: str, target: str, _dataset):
    """Exact profile and alerts; cached by the data's hash (the frame is not re-hashed). No split: exploring
    takes any table and any target, even one training could not split."""
    frame = dataset_frame(_dataset)
    kinds = dataset_kinds(_dataset)
    profiles = profile(frame, kinds)
    return profiles, find_alerts(frame, target=target, kinds=kinds, profiles=profiles)


def show_alerts(alerts) -> None:
    if not alerts:
        st.success("No alerts: nothing looks constant, leaking, duplicated or badly skewed.")
    order = {"leakage": 0, "warning": 1, "info": 2}
    for alert in sorted(alerts, key=lambda a: order.get(a.severity, 3)):
        show, icon = SEVERITY.get(alert.severity, SEVERITY["info"])
        show(f"**{alert.message}**  \n{alert.advice}", icon=icon)


def show_distributions(frame, profiles, target, kinds) -> None:
    by_name = {p.name: p for p in profiles}
    features = [c for c in frame.columns if c != target]
    if not features:  # a file of one column, or whose other columns were all empty
        st.info(f"No columns besides the target '{target}': nothing to plot against it, and nothing to train on.")
        return
    column = st.selectbox("Column", features, key="explore_column")
    chosen = by_name[column]
    sample = eda_views.sample_rows(frame)
    if chosen.kind == "numeric":
        st.plotly_chart(histogram_figure(sample[column], column), key="explore_hist")
        st.plotly_chart(box_figure(sample[column], column), key="explore_box")
    elif chosen.top_values:
        st.plotly_chart(category_bar_figure([(v, n) for v, n, _ in chosen.top_values], column), key="explore_bar")
    else:
        st.info(f"{column} is a {chosen.kind} column from {chosen.first} to {chosen.last}.")
    left, right = st.columns(2)
    if kinds[target] == "numeric":  # a quantity: a bar per distinct number would say nothing
        left.plotly_chart(histogram_figure(sample[target], target), key="explore_target")
    else:
        counts = frame[target].value_counts().sort_index().to_dict()
        left.plotly_chart(target_figure(counts, target), key="explore_target")
    right.plotly_chart(missing_figure(eda_views.missing_counts(frame), len(frame)), key="explore_missing")


def show_relations(frame, kinds) -> None:
    method = st.radio(
        "Correlation",
        ["pearson", "spearman", "cramer"],
        horizontal=True,
        key="explore_corr",
        format_func={"pearson": "Pearson", "spearman": "Spearman", "cramer": "Cramér's V"}.get,
    )
    matrix = eda_views.correlation_matrix(eda_views.sample_rows(frame, CORRELATION_SAMPLE), method, kinds)
    if matrix.empty:
        st.info("Fewer than two columns of that kind to correlate.")
    else:
        st.plotly_chart(correlation_figure(matrix, method), key="explore_corr_fig")
    groups = eda_views.categorical_columns(frame, kinds)
    if groups:
        left, right = st.columns(2)
        default = "Victim Age" if "Victim Age" in frame.columns else frame.columns[0]
        others = list(frame.columns)
        column = left.selectbox("Distribution of", others, index=others.index(default), key="explore_group_col")
        by = right.selectbox(
            "Grouped by",
            groups,
            index=groups.index("Area Name") if "Area Name" in groups else 0,
            key="explore_group_by",
        )
        if column != by:
            data = eda_views.grouped_distribution(eda_views.sample_rows(frame), column, by)
            st.plotly_chart(grouped_figure(data, column, by), key="explore_grouped")


def show_time_and_place(frame) -> None:
    patterns = eda_views.time_patterns(frame)
    coordinates = eda_views.coordinate_columns(frame)
    if not patterns and not coordinates:
        st.info("This table has no hour, date or latitude/longitude columns.")
    columns = st.columns(2)
    for slot, (unit, counts) in zip(columns, patterns.items(), strict=False):
        slot.plotly_chart(time_pattern_figure(counts, unit), key=f"explore_time_{unit}")
    if coordinates:
        sample = eda_views.sample_rows(frame)
        st.plotly_chart(geo_density_figure(sample[coordinates[0]], sample[coordinates[1]]), key="explore_geo")


def show_tabular(dataset) -> list:
    profiles, alerts = analyse(dataset.provenance.sha256, dataset.target_name, dataset)
    frame = dataset_frame(dataset)
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
        st.dataframe(profile_table(profiles), key="explore_profile", hide_index=True)
    with tabs[2]:
        show_distributions(frame, profiles, dataset.target_name, kinds)
    with tabs[3]:
        show_relations(frame, kinds)
    with tabs[4]:
        show_time_and_place(frame)
    return alerts


def show_images(dataset, seed: int) -> None:
    tabs = st.tabs(["Samples", "Mean image per class", "Pixel intensities", "2-D projection"])
    with tabs[0]:
        st.plotly_chart(image_grid_figure(dataset.features, samples_per_class(dataset, 10, seed)), key="explore_grid")
    with tabs[1]:
        st.plotly_chart(mean_images_figure(eda_views.mean_images(dataset)), key="explore_means")
    with tabs[2]:
        st.plotly_chart(pixel_histogram_figure(eda_views.pixel_histogram(dataset)), key="explore_pixels")
    with tabs[3]:
        method = st.radio(
            "Method",
            ["pca", "tsne"],
            horizontal=True,
            key="explore_projection",
            format_func={"pca": "PCA (all at once)", "tsne": "t-SNE (1,500 images, ~5 s)"}.get,
        )
        rows = 3000 if method == "pca" else 1500
        with st.spinner("Projecting..."):
            points = eda_views.projection(dataset, method, rows=rows, seed=seed)
        st.plotly_chart(projection_figure(points, method), key="explore_projection_fig")


st.title("Explore")
try:
    request = current_request()
    dataset = load_with_progress(request)
    st.markdown(dataset_caption(dataset))
    alerts = show_tabular(dataset) if dataset.kind == "tabular" else show_images(dataset, request.seed) or []

    st.subheader("Preprocessing")
    spec = preprocess_builder(dataset, alerts)
    left, right = st.columns(2)
    if left.button("Preview the effect", key="pp_preview"):
        with st.spinner("Applying the row steps and fitting the pipeline on the training rows..."):
            show_preview(dataset, spec, request.seed)
    if right.button("Use this preprocessing for training", type="primary", key="pp_keep"):
        keep_spec(dataset, spec)
        st.toast("Kept: the Baselines and Neural Nets pages will use it.")
    if kept_spec(dataset.name) == spec:
        st.caption(":material/check_circle: This is the preprocessing kept for training.")
    st.download_button(
        "Download the spec (JSON)",
        spec.to_json(),
        file_name=f"{dataset.name}-preprocess.json",
        mime="application/json",
        key="pp_download",
    )
except TrainboardError as error:
    st.error(str(error), icon=":material/error:")
