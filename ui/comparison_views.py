"""The Compare page's figures of one group of runs (same split): curves, matrices, costs, calibration, A vs B."""

from __future__ import annotations

import streamlit as st

from core.compare import COSTS, compare_predictions, cost_points, load_predictions, reliability_curve, unique_labels
from core.evaluate import Metrics
from core.plots import (
    calibration_figure,
    confusion_difference_figure,
    confusion_matrices_figure,
    cost_accuracy_figure,
    overlay_learning_curves_figure,
    per_class_f1_figure,
    pr_overlay_figure,
    roc_overlay_figure,
)
from core.training.callbacks.history import read_history

CURVE_METRICS = {"val_accuracy": "validation accuracy", "val_loss": "validation loss", "loss": "training loss"}


def figures(runs, store) -> None:
    label = unique_labels(runs).get  # two runs given one name stay two lines
    tests = {label(r.id): Metrics.from_dict(r.metrics["test"]) for r in runs if r.metrics and r.metrics.get("test")}
    classes = next(iter(tests.values())).classes if tests else []
    tabs = st.tabs(["Learning curves", "ROC / PR", "Confusion", "Cost", "Per class", "Calibration", "A vs B"])
    with tabs[0]:
        histories = {label(r.id): read_history(store.artifacts_dir(r.id)) for r in runs}
        histories = {name: rows for name, rows in histories.items() if rows}
        left, right = st.columns(2)
        metric = left.selectbox("Curve", list(CURVE_METRICS), format_func=CURVE_METRICS.get, key="cmp_curve")
        smoothing = right.slider("Smoothing", 0.0, 0.95, 0.0, 0.05, key="cmp_smoothing")
        if histories:
            st.plotly_chart(overlay_learning_curves_figure(histories, metric, smoothing), key="cmp_curves")
        else:
            st.info("Learning curves exist for network runs; classical models fit in one go.")
    with tabs[1]:
        class_name = None
        if len(classes) > 2:
            choice = st.selectbox("Class", ["macro average", *classes], key="cmp_roc_class")
            class_name = None if choice == "macro average" else choice
        st.plotly_chart(roc_overlay_figure({n: m.roc_curves for n, m in tests.items()}, class_name), key="cmp_roc")
        st.plotly_chart(pr_overlay_figure({n: m.pr_curves for n, m in tests.items()}, class_name), key="cmp_pr")
    with tabs[2]:
        normalised = st.toggle("Share of each true class", value=True, key="cmp_cm_norm")
        matrices = {n: m.confusion_matrix for n, m in tests.items()}
        st.plotly_chart(confusion_matrices_figure(matrices, classes, normalised), key="cmp_cms")
        if len(matrices) >= 2:
            names = list(matrices)
            left, right = st.columns(2)
            a = left.selectbox("A", names, index=0, key="cmp_diff_a")
            b = right.selectbox("B", names, index=1, key="cmp_diff_b")
            figure = confusion_difference_figure(matrices[a], matrices[b], classes, a, b, normalised)
            st.plotly_chart(figure, key="cmp_cm_diff")
    with tabs[3]:
        cost_figures(runs, label)
    with tabs[4]:
        st.plotly_chart(per_class_f1_figure({n: m.report for n, m in tests.items()}, classes), key="cmp_f1")
    predictions = {label(r.id): load_predictions(store, r) for r in runs}
    predictions = {name: p for name, p in predictions.items() if p is not None}
    with tabs[5]:
        curves = {name: reliability_curve(p["proba"], p["y_true"]) for name, p in predictions.items()}
        st.plotly_chart(calibration_figure(curves), key="cmp_calibration")
    with tabs[6]:
        pair_test(predictions)


def cost_figures(runs, label) -> None:
    for number, cost in enumerate(COSTS):
        points = cost_points(runs, cost, label_of=lambda r: label(r.id))
        st.plotly_chart(cost_accuracy_figure(points, cost), key=f"cmp_cost_{number}")


def pair_test(predictions: dict) -> None:
    if len(predictions) < 2:
        st.info("Two runs with saved test predictions are needed (runs from before this version have none).")
        return
    names = list(predictions)
    left, right = st.columns(2)
    a = left.selectbox("Run A", names, index=0, key="cmp_pair_a")
    b = right.selectbox("Run B", names, index=1, key="cmp_pair_b")
    if a == b:
        st.info("Choose two different runs.")
        return
    result = compare_predictions(a, predictions[a], b, predictions[b])
    st.markdown(f"**{result.sentence}**")
    st.caption(
        f"McNemar's test on the test rows: {result.mcnemar.only_a_right} rows only {a} got right, "
        f"{result.mcnemar.only_b_right} only {b} ({'exact binomial' if result.mcnemar.exact else 'chi-square'}); "
        "the interval is a paired bootstrap of the accuracy difference (2,000 resamples)."
    )
