"""The exploration report (`python -m core eda ... --out FILE.html`): provenance, alerts, the
column profile and the figures of the Explore page, in one self-contained HTML file."""

from __future__ import annotations

from core.datasets import Dataset
from core.datasets.summary import samples_per_class
from core.eda import dataset_frame, dataset_kinds, find_alerts, profile, profile_table, target_kind
from core.eda import views as eda_views
from core.plots import (
    category_bar_figure,
    correlation_figure,
    geo_density_figure,
    histogram_figure,
    image_grid_figure,
    mean_images_figure,
    missing_figure,
    pixel_histogram_figure,
    projection_figure,
    target_figure,
    time_pattern_figure,
)
from core.report.html import escape, figure_html, page, section, table_html

MAX_COLUMN_FIGURES = 16


def _provenance(dataset: Dataset) -> str:
    p = dataset.provenance
    badge = " <span class='badge'>SYNTHETIC: generated stand-in, not real data</span>" if p.synthetic else ""
    quantity = dataset.kind == "tabular" and target_kind(dataset) == "numeric"
    values = "distinct numbers, explored as a quantity" if quantity else "classes"
    items = [
        f"<b>Source</b>: {escape(p.source)} — <code>{escape(p.location)}</code>{badge}",
        f"<b>Rows</b>: {dataset.rows:,}; <b>target</b>: {escape(dataset.target_name)} "
        f"({len(dataset.classes):,} {values})",
        f"<b>Data sha256</b>: <code>{p.sha256}</code>",
        "<b>Rows explored</b>: all of them; exploring needs no train/test split (training makes its own)",
        *(escape(note) for note in p.notes),
    ]
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _alerts(alerts) -> str:
    if not alerts:
        return "<p>No alerts.</p>"
    order = {"leakage": 0, "warning": 1, "info": 2}
    rows = [
        f"<div class='alert {escape(a.severity)}'><b>{escape(a.message)}</b><br>{escape(a.advice)}</div>"
        for a in sorted(alerts, key=lambda a: order.get(a.severity, 3))
    ]
    return "\n".join(rows)


def _tabular_sections(dataset: Dataset) -> list[str]:
    frame = dataset_frame(dataset)
    kinds = dataset_kinds(dataset)
    profiles = profile(frame, kinds)
    alerts = find_alerts(frame, target=dataset.target_name, kinds=kinds, profiles=profiles)
    sample = eda_views.sample_rows(frame)
    target = dataset.target_name
    overview = [
        figure_html(
            histogram_figure(sample[target], target)  # a quantity: a bar per distinct number would say nothing
            if kinds[target] == "numeric"
            else target_figure(dataset.class_counts(), target)
        ),
        figure_html(missing_figure(eda_views.missing_counts(frame), len(frame))),
    ]
    columns = []
    for p in profiles[:MAX_COLUMN_FIGURES]:
        if p.name == dataset.target_name:
            continue
        if p.kind == "numeric":
            columns.append(figure_html(histogram_figure(sample[p.name], p.name)))
        elif p.top_values:
            columns.append(figure_html(category_bar_figure([(v, n) for v, n, _ in p.top_values], p.name)))
    correlation_sample = eda_views.sample_rows(frame, 20_000)
    relations = []
    for method in ("pearson", "spearman", "cramer"):
        matrix = eda_views.correlation_matrix(correlation_sample, method, kinds)
        if len(matrix) > 1:
            relations.append(figure_html(correlation_figure(matrix, method)))
    place = [figure_html(time_pattern_figure(c, unit)) for unit, c in eda_views.time_patterns(frame).items()]
    coordinates = eda_views.coordinate_columns(frame)
    if coordinates:
        place.append(figure_html(geo_density_figure(sample[coordinates[0]], sample[coordinates[1]])))
    sections = [
        section(f"Alerts ({len(alerts)})", _alerts(alerts)),
        section("Column profile", table_html(profile_table(profiles))),
        section("Target and missing values", *overview),
        section("Columns", *columns),
        section("Correlations", *relations),
    ]
    if place:
        sections.append(section("Time and place", *place))
    return sections


def _image_sections(dataset: Dataset, seed: int) -> list[str]:
    points = eda_views.projection(dataset, "pca", rows=3000, seed=seed)
    return [
        section("Samples per class", figure_html(image_grid_figure(dataset.features, samples_per_class(dataset, 10)))),
        section("Mean image per class", figure_html(mean_images_figure(eda_views.mean_images(dataset)))),
        section("Target", figure_html(target_figure(dataset.class_counts(), dataset.target_name))),
        section("Pixel intensities", figure_html(pixel_histogram_figure(eda_views.pixel_histogram(dataset)))),
        section("2-D projection", figure_html(projection_figure(points, "pca"))),
    ]


def eda_report(dataset: Dataset, seed: int = 0) -> str:
    """The whole report as one HTML string. Any table and any target will do: nothing here splits the
    rows. `seed` draws the images' projection sample."""
    body = _tabular_sections(dataset) if dataset.kind == "tabular" else _image_sections(dataset, seed)
    subtitle = f"Exploration of {escape(dataset.name)}, loaded {escape(dataset.provenance.loaded_at)}"
    return page(f"Trainboard: {dataset.name}", subtitle, [section("Provenance", _provenance(dataset)), *body])
