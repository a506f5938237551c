"""Baselines page: train classical models on the current dataset, in the background, and compare them."""

import threading

import streamlit as st

from core.datasets.dataset import RareClassesError
from core.errors import TrainboardError
from core.evaluate import Metrics
from core.models import get_model_spec, list_models
from core.plots import confusion_matrix_figure, precision_recall_figure, roc_figure
from core.runs import jobs
from core.runs.eta import eta_text
from core.training.config import RunConfig, create_run, spec_for_model
from ui.badges import dataset_caption
from ui.class_fix import rare_classes_error
from ui.current_dataset import current_request, load_with_progress
from ui.leaderboard_table import leaderboard_table
from ui.number_table import number_table
from ui.preprocess_builder import kept_spec
from ui.run_manage import manage_run, model_box
from ui.run_store import run_store
from ui.run_warnings import run_warnings
from ui.settings import model_params_form

ACTIVE = ("queued", "running")
DEFAULT_MODELS = ("logreg", "rf", "hgb")


def training_form(dataset, request):
    """Models, their parameters, a row limit and the seed; returns the run configs to start, or []."""
    specs = list_models(family="classical", kind=dataset.kind)
    names = [s.name for s in specs]
    chosen = st.multiselect(
        "Models",
        names,
        default=[n for n in DEFAULT_MODELS if n in names],
        key="bl_models",
        format_func=lambda n: f"{get_model_spec(n).title} ({n})",
    )
    params = {}
    for name in chosen:
        spec = get_model_spec(name)
        with st.expander(f"{spec.title} parameters"):
            st.caption(spec.description)
            params[name] = model_params_form(spec, "bl_param")
    left, right = st.columns(2)
    limit = left.number_input(
        "Rows to use (0: all)",
        min_value=0,
        value=0,
        step=10_000,
        key="bl_limit",
        help="A stratified sample taken before the split; smaller is faster.",
    )
    seed = right.number_input("Seed", min_value=0, value=request.seed, step=1, key="bl_seed")
    if not st.button("Train", type="primary", key="bl_train", disabled=not chosen):
        return []
    spec = kept_spec(dataset.name)
    preprocess = spec.to_json() if spec else "{}"
    return [
        RunConfig.build(request, name, params[name], preprocess, seed=int(seed), limit=int(limit) or None)
        for name in chosen
    ]


def start_runs(configs, dataset) -> None:
    store = run_store()
    run_ids = []
    for config in configs:
        try:
            run_ids.append(create_run(store, config))
        except RareClassesError as error:  # checked on the first: no run exists yet; say so, and offer the fix
            rare_classes_error(error, dataset, "bl")
            return
    jobs.submit_all(run_ids, store)  # the workers that may run at once take them in turn, keeping what they loaded
    st.toast(f"Started {len(configs)} run(s); they go on if you leave the page.")


def active_runs(dataset_name: str) -> None:
    """Progress of the queued and running runs, polled; the whole page refreshes when one ends."""
    store = run_store()
    runs = [r for r in store.list(dataset=dataset_name) if r.status in ACTIVE]
    watched = st.session_state.setdefault("bl_watched", set())
    if watched - {r.id for r in runs}:  # a run we were showing has ended: refresh the leaderboard
        st.session_state["bl_watched"] = {r.id for r in runs}
        st.rerun(scope="app")
    st.session_state["bl_watched"] = {r.id for r in runs}
    for record in runs:
        left, right = st.columns([5, 1])
        text = f"{record.label} · {record.status} · {record.stage or 'waiting for a free worker'}"
        text += f" · {record.elapsed_seconds:.0f} s{eta_text(record)}" if record.status == "running" else ""
        left.progress(min(max(record.fraction or 0.0, 0.0), 1.0), text=text)
        if right.button("Stop", key=f"bl_stop_{record.id}"):
            # Off the script thread: a worker deep in a fit may take seconds to end; the page must not wait.
            threading.Thread(target=jobs.stop, args=(record.id, store), daemon=True).start()
            st.toast(f"Stopping {record.label}...")


def run_details(record) -> None:
    stored = record.metrics or {}
    metrics = {part: Metrics.from_dict(stored[part]) for part in ("val", "test") if stored.get(part)}
    run_warnings(record)
    part = st.radio(
        "Rows",
        ["test", "val"],
        horizontal=True,
        key="bl_detail_part",
        format_func={"test": "Test", "val": "Validation"}.get,
    )
    chosen = metrics[part]
    tabs = st.tabs(["Confusion matrix", "ROC curves", "Precision-recall", "Report", "Configuration", "Model"])
    with tabs[0]:
        normalised = st.toggle("Normalise each true class", key="bl_cm_norm")
        st.plotly_chart(confusion_matrix_figure(chosen.confusion_matrix, chosen.classes, normalised), key="bl_cm")
    with tabs[1]:
        st.plotly_chart(roc_figure(chosen.roc_curves), key="bl_roc")
    with tabs[2]:
        st.plotly_chart(precision_recall_figure(chosen.pr_curves), key="bl_pr")
    with tabs[3]:
        number_table(chosen.report_table(), key="bl_report", hide_index=False)
    with tabs[4]:
        config = RunConfig.from_dict(record.config)
        # Shown, not folded into the JSON below: the spec may say "auto", and what it became is the model's.
        st.caption(f"Categories encoded as: **{spec_for_model(record.preprocess, record.model).encoding}**")
        st.json(
            {
                "params": record.params,
                "seed": record.seed,
                "split_hash": record.split_hash,
                "preprocess": record.preprocess,
                "versions": record.versions,
            },
            expanded=False,
        )
        st.code(config.command_line(), language="bash")
    with tabs[5]:
        model_box(record, "bl")


st.title("Baselines")
try:
    request = current_request()
    dataset = load_with_progress(request)
    st.markdown(dataset_caption(dataset))
    spec = kept_spec(dataset.name)
    auto = "category codes for the tree models, one-hot columns for the others"
    if spec is None:
        shown = f"defaults (median/mode imputation, {auto}, standard scaling); set one on the Explore page."
    elif spec.encoding == "auto":
        shown = f"the spec kept on the Explore page (encoding auto: {auto})."
    else:
        shown = f"the spec kept on the Explore page (encoding {spec.encoding} for every model)."
    st.caption(f"Preprocessing: {shown}")
    configs = training_form(dataset, request)
    if configs:
        start_runs(configs, dataset)
    records = run_store().list(dataset=dataset.name)
    has_active = any(r.status in ACTIVE for r in records)
    st.fragment(run_every=1.0 if has_active else None)(active_runs)(dataset.name)

    if not records:
        st.info("No runs on this dataset yet: pick models and press Train.")
    else:
        st.subheader("Leaderboard")
        # A row limit or a spec's row steps change the rows, hence the split: compare within one split hash.
        st.caption("Click a column to sort. Runs with the same split hash saw exactly the same rows.")
        leaderboard_table(records, key="bl_leaderboard")
        finished = [r for r in records if r.status == "finished"]
        if finished:
            st.subheader("Run details")
            by_id = {r.id: r for r in finished}
            chosen = st.selectbox("Run", list(by_id), key="bl_detail_run", format_func=lambda i: by_id[i].label)
            tags = {tag for r in run_store().list() for tag in r.tags}
            manage_run(by_id[chosen], "bl", known_tags=tags, forget=("bl_detail_run",))
            run_details(by_id[chosen])
        for record in records:
            if record.status in ("failed", "interrupted", "stopped") and record.error:
                st.caption(f":material/error: {record.label} ({record.id}) {record.status}: {record.error}")
except TrainboardError as error:
    st.error(str(error), icon=":material/error:")
