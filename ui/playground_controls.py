"""The Playground's controls, laid out as in TensorFlow Playground: a bar on top (play, step, reset, learning
rate, activation, regularisation, problem), the data on the left, the inputs and hidden layers in the middle."""

from __future__ import annotations

import streamlit as st

from core.datasets.memo import load_dataset_memo
from core.playground.data import EXTERNAL, PATTERNS, patterns_for
from core.playground.features import FEATURES
from core.playground.real_data import CSV_HELP, numeric_columns
from core.playground.setup import (
    ACTIVATIONS,
    LEARNING_RATES,
    MAX_LAYERS,
    MAX_NEURONS,
    REGULARIZATION_RATES,
    REGULARIZATIONS,
)
from core.uploads import save_uploads
from ui.current_dataset import current_request
from ui.playground_state import ACTIVATIONS as ACTIVATIONS_KEY
from ui.playground_state import FEATURES_KEY, HIDDEN, PENDING_STEPS, PLAYING, real_source

SPEEDS = (1, 2, 5, 10, 20)  # epochs per redraw while playing
DROPOUTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)


def top_bar() -> None:
    """Play/Pause, Step, Reset and the training settings, in one row."""
    play, step, reset, lr, activation, reg, rate, problem = st.columns([1, 0.8, 0.85, 1.7, 1.2, 1.2, 1.6, 1.4])
    playing = st.session_state[PLAYING]
    play.button(
        "Pause" if playing else "Play",
        key="pg_play",
        icon=":material/pause:" if playing else ":material/play_arrow:",
        type="primary",
        on_click=_set_playing,
        args=(not playing,),
    )
    step.button("Step", key="pg_step", disabled=playing, help="one epoch", on_click=_step)
    reset.button(
        "Reset",
        key="pg_reset",
        on_click=_set,
        args=("pg_weight_seed", st.session_state["pg_weight_seed"] + 1),
        help="new starting weights (the next weight seed); epoch back to 0",
    )
    lr.select_slider("Learning rate", LEARNING_RATES, key="pg_lr")
    activation.selectbox(
        "Activation",
        ACTIVATIONS,
        key="pg_activation_all",
        index=None,
        placeholder="per layer",
        on_change=_all_activations,
        help="sets every hidden layer's activation",
    )
    reg.selectbox(
        "Regularization", REGULARIZATIONS, key="pg_reg", format_func=lambda r: {"none": "None"}.get(r, r.upper())
    )
    rate.select_slider("Regularization rate", REGULARIZATION_RATES, key="pg_reg_rate")
    problem.selectbox("Problem type", ("classification", "regression"), key="pg_problem", on_change=_problem_changed)


# The buttons' callbacks set the value the button was drawn to give, never add to the current one: while playing,
# Streamlit can deliver one click to its callback twice (the click is replayed into the fragment rerun queued
# behind it; seen in Chromium), and a toggle then undid Pause, a + added two neurons.
def _set_playing(playing: bool) -> None:
    st.session_state[PLAYING] = playing


def _set(key: str, value: int) -> None:
    st.session_state[key] = value


def _step() -> None:
    st.session_state[PENDING_STEPS] = st.session_state.get(PENDING_STEPS, 0) + 1


def _all_activations() -> None:
    chosen = st.session_state["pg_activation_all"]
    if chosen is not None:
        st.session_state[ACTIVATIONS_KEY] = [chosen] * len(st.session_state[HIDDEN])
        for number in range(len(st.session_state[HIDDEN])):
            st.session_state[f"pg_act_{number}"] = chosen


def _problem_changed() -> None:
    if st.session_state["pg_dataset"] not in dataset_choices(st.session_state["pg_problem"]):
        st.session_state["pg_dataset"] = patterns_for(st.session_state["pg_problem"])[0]


def dataset_choices(problem: str) -> list[str]:
    return patterns_for(problem) + ["csv"] + (["real"] if problem == "classification" else [])


def data_controls() -> None:
    """Which data, how much of it trains, how noisy, the batch size, Regenerate: one row; then the user's own
    points (a CSV, or two classes of the loaded dataset) when chosen."""
    titles = {name: p.title for name, p in PATTERNS.items()} | EXTERNAL
    dataset, ratio, noise, batch, regenerate = st.columns([1.6, 1.2, 1.2, 1.2, 0.9], vertical_alignment="bottom")
    dataset.selectbox(
        "Dataset", dataset_choices(st.session_state["pg_problem"]), key="pg_dataset", format_func=titles.get
    )
    ratio.slider("Training data (%)", 10, 90, step=10, key="pg_ratio", help="the rest is test data")
    generated = st.session_state["pg_dataset"] in PATTERNS
    noise.slider("Noise", 0, 50, step=5, key="pg_noise", disabled=not generated, help="of the generated sets")
    batch.slider("Batch size", 1, 30, key="pg_batch")
    regenerate.button(
        "Regenerate",
        key="pg_regenerate",
        on_click=_set,
        args=("pg_data_seed", st.session_state["pg_data_seed"] + 1),
        icon=":material/refresh:",
        help="new points from the next data seed",
        disabled=not generated,
    )
    if st.session_state["pg_dataset"] == "csv":
        _csv_upload()
    elif st.session_state["pg_dataset"] == "real":
        _real_data()


def _csv_upload() -> None:
    upload = st.file_uploader("CSV file", type=["csv"], key="pg_csv_file", help=CSV_HELP)
    if upload is not None:
        st.session_state["pg_source"] = str(save_uploads([(upload.name, upload.getvalue())]))
    elif not st.session_state["pg_source"].endswith(".csv"):
        st.session_state["pg_source"] = ""


def _real_data() -> None:
    request = current_request()
    dataset = load_dataset_memo(request)
    where, pick, axes_column, first_column, second_column = st.columns([1.2, 2, 1.6, 1.2, 1.2])
    where.caption(f"Real data from {request.name}, the dataset loaded on the Data page.")
    classes = pick.multiselect(
        "Two classes", dataset.classes, key="pg_real_classes", max_selections=2, default=list(dataset.classes[:2])
    )
    columns = None
    numeric = numeric_columns(dataset)
    if len(numeric) >= 2:
        axes = axes_column.radio("Axes", ("principal components", "two columns"), key="pg_real_axes")
        if axes == "two columns":
            first = first_column.selectbox("x₁ column", numeric, key="pg_real_x1")
            second = second_column.selectbox("x₂ column", [c for c in numeric if c != first], key="pg_real_x2")
            columns = (first, second)
    st.session_state["pg_source"] = real_source(tuple(classes), columns) if len(classes) == 2 else ""


def feature_controls() -> None:
    st.pills(
        "Inputs",
        list(FEATURES),
        selection_mode="multi",
        key=FEATURES_KEY,
        format_func=lambda name: FEATURES[name].label,
        help="what the network sees of each point",
    )


def layer_controls() -> None:
    """Hidden layers: +/- for the number of layers, and for each layer +/- for its neurons and its activation,
    one column per layer (at most six, as in the Playground)."""
    hidden = st.session_state[HIDDEN]
    title, add, remove, *layer_columns = st.columns([1.3, 0.5, 0.5] + [1.1] * MAX_LAYERS)
    title.markdown(f"**{len(hidden)} hidden layer{'s' * (len(hidden) != 1)}**")
    add.button(
        ":material/add:",
        key="pg_add_layer",
        on_click=_add_layer,
        args=(len(hidden),),
        disabled=len(hidden) >= MAX_LAYERS,
        help="add a hidden layer",
    )
    remove.button(
        ":material/remove:",
        key="pg_remove_layer",
        on_click=_remove_layer,
        args=(len(hidden),),
        disabled=not hidden,
        help="remove the last hidden layer",
    )
    for number, column in zip(range(len(hidden)), layer_columns, strict=False):
        with column:
            fewer, more = st.columns(2, gap="small")
            fewer.button(
                ":material/remove:",
                key=f"pg_fewer_{number}",
                on_click=_resize,
                args=(number, hidden[number] - 1),
                disabled=hidden[number] <= 1,
                help=f"a neuron fewer in layer {number + 1}",
            )
            more.button(
                ":material/add:",
                key=f"pg_more_{number}",
                on_click=_resize,
                args=(number, hidden[number] + 1),
                disabled=hidden[number] >= MAX_NEURONS,
                help=f"a neuron more in layer {number + 1}",
            )
            st.caption(f"layer {number + 1}: {hidden[number]} neuron{'s' * (hidden[number] != 1)}")
            st.session_state.setdefault(f"pg_act_{number}", st.session_state[ACTIVATIONS_KEY][number])
            st.selectbox(
                f"layer {number + 1} activation",
                ACTIVATIONS,
                key=f"pg_act_{number}",
                on_change=_activation_changed,
                args=(number,),
                label_visibility="collapsed",
            )


def network_options() -> None:
    """Dropout and skip connections for every hidden layer, how fast playing goes, how the output is drawn."""
    drop, skip, speed, shown = st.columns([1.1, 1.1, 1.2, 1.3])
    drop.select_slider(
        "Dropout", DROPOUTS, key="pg_dropout", help="share of each hidden layer's units dropped in training"
    )
    skip.toggle(
        "Residual",
        key="pg_residual",
        help="a skip connection around every hidden layer (a linear map where the width changes)",
    )
    speed.select_slider(
        "Epochs per redraw", SPEEDS, key="pg_speed", value=1, help="how many epochs each redraw advances while playing"
    )
    shown.checkbox("Show test data", key="pg_show_test")
    shown.checkbox("Discretize output", key="pg_discretize")


def _add_layer(layers: int) -> None:
    """`layers`: how many the button was drawn with; a second delivery of its click finds one more, adds none."""
    if len(st.session_state[HIDDEN]) != layers:
        return
    st.session_state[HIDDEN].append(4)
    st.session_state[ACTIVATIONS_KEY].append(
        st.session_state[ACTIVATIONS_KEY][-1] if st.session_state[ACTIVATIONS_KEY] else "tanh"
    )


def _remove_layer(layers: int) -> None:
    if len(st.session_state[HIDDEN]) != layers:
        return
    st.session_state[HIDDEN].pop()
    st.session_state[ACTIVATIONS_KEY].pop()
    st.session_state.pop(f"pg_act_{len(st.session_state[HIDDEN])}", None)


def _resize(number: int, neurons: int) -> None:
    st.session_state[HIDDEN][number] = neurons


def _activation_changed(number: int) -> None:
    st.session_state[ACTIVATIONS_KEY][number] = st.session_state[f"pg_act_{number}"]
    st.session_state["pg_activation_all"] = None
