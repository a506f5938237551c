"""Neural Nets page: build or pick a network, see what it costs, train it in the background, watch it learn."""

import streamlit as st

from core.datasets.dataset import RareClassesError
from core.datasets.memo import load_dataset_memo
from core.errors import TrainboardError
from core.models import get_model_spec
from core.models.cost_summary import summary as cost_summary
from core.models.registry import NETWORK_FAMILIES
from core.plots import analysis_figure, learning_rate_figure
from core.runs import jobs
from core.training.config import RunConfig, create_run
from core.training.network_preview import preview_network
from core.training.options import OPTIMIZER_STATE_COPIES, TrainOptions, ignored_options
from core.training.schedules import lr_sequence
from ui.badges import dataset_caption
from ui.class_fix import rare_classes_error
from ui.current_dataset import current_request, load_with_progress
from ui.leaderboard_table import leaderboard_table
from ui.network_form import model_form, preset_box, training_form
from ui.network_results import ACTIVE, live_run, run_results
from ui.preprocess_builder import kept_spec
from ui.run_store import run_store


@st.cache_data(show_spinner="Analysing the network...", max_entries=32)
def cached_preview(model: str, params: dict, request, options: dict, preprocess: str):
    # Keyed on the small request, not the dataset: hashing 55 MB of images on every rerun would cost more.
    return preview_network(model, params, load_dataset_memo(request), TrainOptions(**options), preprocess)


def network_preview(model, params, request, options: TrainOptions, preprocess: str) -> bool:
    """The per-layer table, the memory estimate and the schedule; False when the network will not fit."""
    try:
        preview = cached_preview(model, params, request, options.to_dict(), preprocess)
    except TrainboardError as error:  # e.g. images too small for the network's pools: the form stays usable
        st.error(str(error), icon=":material/error:")
        return False
    analysis, memory = preview.analysis, preview.memory
    st.markdown(" ".join(cost_summary(analysis, OPTIMIZER_STATE_COPIES[options.optimizer])))
    st.caption(f"Training on {preview.device} needs {memory.describe()}.")
    if preview.refusal:
        st.error(preview.refusal, icon=":material/memory:")
    with st.expander("Layers", expanded=False):
        st.dataframe(analysis.to_frame(), key="nn_analysis", hide_index=True)
        st.plotly_chart(analysis_figure(analysis.to_dict()), key="nn_analysis_fig")
    rates = lr_sequence(
        options.schedule,
        options.epochs,
        options.lr,
        optimizer=options.optimizer,
        step_size=options.step_size or None,
        gamma=options.gamma or None,
        patience=options.plateau_patience,
    )
    st.plotly_chart(learning_rate_figure(rates, "Planned learning rate per epoch"), key="nn_lr_plan")
    return preview.refusal is None


def start_run(config: RunConfig, dataset) -> None:
    store = run_store()
    try:
        run_id = create_run(store, config)
    except RareClassesError as error:  # before any run exists: say so, and offer the fix
        rare_classes_error(error, dataset, "nn")
        return
    jobs.submit(run_id, store)
    st.session_state["nn_run_select"] = run_id  # show the new run (its selectbox is drawn further down)
    st.toast("Training started; it goes on if you leave the page.")


def choose_run(records) -> object | None:
    """The run whose results are shown: the one just started, else the one chosen before, else the newest."""
    by_id = {r.id: r for r in records}
    if st.session_state.get("nn_run_select") not in by_id:
        st.session_state["nn_run_select"] = next(iter(by_id))

    # The status is not in the label: Streamlit keeps showing a keyed selectbox's old label when only its text
    # changes (streamlit#13788), so a finished run would still read "queued". The status caption is drawn by the
    # polled live view while the run is active (so it follows the run within a second), and below once it ended.
    chosen = st.selectbox("Run", list(by_id), key="nn_run_select", format_func=lambda i: by_id[i].label)
    return by_id[chosen]


st.title("Neural Nets")
try:
    request = current_request()
    dataset = load_with_progress(request)
    st.markdown(dataset_caption(dataset))
    spec = kept_spec(dataset.name)
    preprocess = spec.to_json() if spec else "{}"
    form, cost = st.columns([3, 2], gap="large")
    with form:
        preset_box()
        model, params = model_form(dataset.kind)
        chosen = training_form(dataset.kind)
        options = TrainOptions.from_dict(chosen)
        ignored = ignored_options(get_model_spec(model).family, chosen)
        if ignored:
            st.caption(
                "The NumPy engine trains on the CPU, without augmentation or mixed precision: "
                f"it ignores {', '.join(ignored)}."
            )
        left, right = st.columns(2)
        limit = left.number_input("Rows to use (0: all)", min_value=0, value=0, step=5000, key="nn_limit")
        seed = right.number_input("Seed", min_value=0, value=request.seed, step=1, key="nn_seed")
    with cost:
        st.subheader("Cost")
        fits = network_preview(model, params, request, options, preprocess)
    if st.button("Train", type="primary", key="nn_train", disabled=not fits):
        config = RunConfig.build(
            request, model, params, preprocess, seed=int(seed), limit=int(limit) or None, training=options.to_dict()
        )
        start_run(config, dataset)

    records = [r for r in run_store().list(dataset=dataset.name) if r.family in NETWORK_FAMILIES]
    if records:
        st.subheader("Runs")
        record = choose_run(records)
        active = record.status in ACTIVE
        st.fragment(run_every=1.0 if active else None)(live_run)(record.id)
        if not active:
            st.caption(f"Status: **{record.status}**")
            run_results(record, dataset)
        st.subheader("Leaderboard: every family on this dataset")
        st.caption("The same table as on the Baselines page; runs with one split hash saw the same rows.")
        leaderboard_table(run_store().list(dataset=dataset.name), key="nn_leaderboard")
    else:
        st.info("No network trained on this dataset yet: pick a preset or a model and press Train.")
except TrainboardError as error:
    st.error(str(error), icon=":material/error:")
