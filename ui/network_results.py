"""The Neural Nets page's view of one run: live while it trains, the full story once it has ended."""

from __future__ import annotations

import threading

import numpy as np
import streamlit as st

from core.evaluate import Metrics
from core.models.cost import Analysis
from core.plots import (
    analysis_figure,
    gradient_norms_figure,
    layer_histogram_figure,
    learning_curves_figure,
    learning_rate_figure,
    misclassified_figure,
    per_class_accuracy_figure,
    validation_scores_figure,
)
from core.runs import artifacts, jobs
from core.runs.eta import eta_text
from core.training.callbacks.batch_curve import read_batch_curve
from core.training.callbacks.histograms import read_histograms
from core.training.callbacks.history import read_history
from core.training.config import RunConfig
from core.training.network_run import divergence_causes
from ui.run_manage import manage_run, model_box
from ui.run_store import run_store
from ui.run_warnings import run_warnings

ACTIVE = ("queued", "running")
LIVE_AXES = {"epoch": "epochs", "time": "wall time"}
PER_PAGE = 32


def live_run(run_id: str) -> None:
    """Polled while the run is active: progress, Stop, and the curves: every few seconds within an epoch, with
    the epoch points on top, over epochs or wall time. When the run ends the whole page reruns so the results
    appear."""
    store = run_store()
    record = store.get(run_id)
    if record.status not in ACTIVE:
        if st.session_state.get("nn_live") == run_id:
            st.session_state["nn_live"] = None
            st.rerun(scope="app")
        return
    st.session_state["nn_live"] = run_id
    st.caption(f"Status: **{record.status}**")  # read afresh each poll: it follows the run
    left, right = st.columns([5, 1])
    text = record.message or record.stage or "waiting for a free worker"
    left.progress(min(max(record.fraction or 0.0, 0.0), 1.0), text=f"{record.label} · {text}{eta_text(record)}")
    if right.button("Stop", key=f"nn_stop_{run_id}"):
        # Off the script thread: the worker may need a few seconds to reach the end of its batch.
        threading.Thread(target=jobs.stop, args=(run_id, store), daemon=True).start()
        st.toast("Stopping after the current batch...")
    run_dir = store.artifacts_dir(run_id)
    history, batches = read_history(run_dir), read_batch_curve(run_dir)
    if history or batches:
        x_axis = st.radio("x-axis", list(LIVE_AXES), format_func=LIVE_AXES.get, horizontal=True, key="nn_live_x")
        st.plotly_chart(learning_curves_figure(history, batches=batches, x_axis=x_axis), key="nn_live_curves")
    else:
        st.caption("The curves appear after the first few seconds of training.")


def run_results(record, dataset) -> None:
    """Everything a finished, stopped or diverged run left behind."""
    store = run_store()
    run_dir = store.artifacts_dir(record.id)
    config = RunConfig.from_dict(record.config)
    manage_run(record, "nn", known_tags={t for r in store.list() for t in r.tags}, forget=("nn_run_select",))
    run_warnings(record)
    if record.status == "diverged":
        st.error(f"This run diverged: {record.error}", icon=":material/trending_up:")
        st.markdown("**Likely causes**\n" + "\n".join(f"- {cause}" for cause in divergence_causes(config)))
    elif record.status in ("failed", "stopped", "interrupted"):
        st.warning(f"{record.status}: {record.error}")
    summary = artifacts.read_json(run_dir, "training.json") if (run_dir / "training.json").exists() else {}
    if summary.get("ignored_options"):
        st.info(f"Trained by the NumPy engine, which ignored: {', '.join(summary['ignored_options'])}.")
    history = read_history(run_dir)
    tabs = st.tabs(
        ["Curves", "Per class", "Misclassified", "Gradients and weights", "Network", "Configuration", "Model"]
    )
    with tabs[0]:
        smoothing = st.slider("Smoothing", 0.0, 0.95, 0.0, 0.05, key="nn_smoothing")
        st.plotly_chart(learning_curves_figure(history, smoothing), key="nn_curves")
        st.plotly_chart(validation_scores_figure(history, smoothing), key="nn_scores")
        rates = [row["lr"] for row in history if row.get("lr") is not None]
        st.plotly_chart(learning_rate_figure(rates), key="nn_lr")
    test = (record.metrics or {}).get("test")
    with tabs[1]:
        if test:
            metrics = Metrics.from_dict(test)
            st.plotly_chart(per_class_accuracy_figure(metrics.confusion_matrix, metrics.classes), key="nn_per_class")
        else:
            st.info("No test scores: the run did not finish.")
    with tabs[2]:
        misclassified_browser(run_dir, dataset)
    with tabs[3]:
        gradients_and_weights(run_dir)
    with tabs[4]:
        network_tab(run_dir)
    with tabs[5]:
        st.code(config.command_line(), language="bash")
        st.caption(f"TensorBoard: `tensorboard --logdir {run_dir.parent}` shows this run's scalars and histograms.")
        st.json({"training": summary, "options": config.training, "params": record.params}, expanded=False)
    with tabs[6]:
        model_box(record, "nn")


def misclassified_browser(run_dir, dataset) -> None:
    if dataset.kind != "image":
        st.info("The misclassified browser is for image data.")
        return
    try:
        wrong = artifacts.read_arrays(run_dir, artifacts.MISCLASSIFIED_FILE)
    except FileNotFoundError:
        st.info("No test predictions: the run did not finish.")
        return
    classes = list(dataset.classes)
    left, middle, right = st.columns(3)
    true_class = left.selectbox("True class", ["any", *classes], key="nn_wrong_true")
    predicted_class = middle.selectbox("Predicted class", ["any", *classes], key="nn_wrong_pred")
    keep = np.ones(len(wrong["y_true"]), dtype=bool)
    if true_class != "any":
        keep &= wrong["y_true"] == classes.index(true_class)
    if predicted_class != "any":
        keep &= wrong["y_pred"] == classes.index(predicted_class)
    rows = np.flatnonzero(keep)
    pages = max(1, -(-len(rows) // PER_PAGE))
    page = right.number_input(f"Page (of {pages})", 1, pages, 1, key="nn_wrong_page")
    shown = rows[(page - 1) * PER_PAGE : page * PER_PAGE]
    st.caption(f"{len(rows):,} misclassified test images match; the most confident mistakes come first.")
    figure = misclassified_figure(
        wrong["images"][shown],
        [classes[i] for i in wrong["y_true"][shown]],
        [classes[i] for i in wrong["y_pred"][shown]],
        wrong["confidence"][shown].tolist(),
    )
    st.plotly_chart(figure, key="nn_wrong")


def gradients_and_weights(run_dir) -> None:
    records = read_histograms(run_dir)
    if not records:
        st.info("No histograms were recorded for this run (the 'histograms' option was off, or no epoch ended).")
        return
    st.plotly_chart(gradient_norms_figure(records), key="nn_grad_norms")
    layers = list(records[-1]["layers"])
    left, right = st.columns(2)
    layer = left.selectbox("Layer", layers, key="nn_hist_layer")
    which = right.radio("Values", ["weight", "grad"], horizontal=True, key="nn_hist_which")
    st.plotly_chart(layer_histogram_figure(records, layer, which), key="nn_layer_hist")


def network_tab(run_dir) -> None:
    if not (run_dir / "analysis.json").exists():
        st.info("No analysis was saved for this run.")
        return
    analysis = artifacts.read_json(run_dir, "analysis.json")
    st.dataframe(Analysis.from_dict(analysis).to_frame(), key="nn_run_analysis", hide_index=True)
    st.plotly_chart(analysis_figure(analysis), key="nn_run_analysis_fig")
