"""The Neural Nets page's form: presets, the model and its architecture, and the training options.

Widget values live in session state under stable keys, so a preset can fill them in and a rerun keeps them.
The options' widgets come from TRAINING_PARAMS (the same list the CLI's flags come from)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.models import get_model_spec, list_models
from core.models.mlp import ACTIVATION_NAMES, MLP_PARAMS, parse_layer_sizes
from core.models.registry import NETWORK_FAMILIES
from core.training.options import TRAINING_PARAMS, TrainOptions
from core.training.presets import PRESETS, get_preset
from ui.settings import setting_widget

NO_PRESET = "(none)"
# Training options grouped as the page shows them; every option appears in exactly one group.
OPTION_GROUPS = {
    "Run": ("epochs", "batch_size", "device", "amp", "dtype", "histograms", "tensorboard"),
    "Optimizer and schedule": (
        "optimizer",
        "lr",
        "momentum",
        "weight_decay",
        "l1",
        "schedule",
        "step_size",
        "gamma",
        "plateau_patience",
    ),
    "Initialisation and loss": ("init", "init_scale", "label_smoothing", "class_weights", "loss_cap"),
    "Early stopping": ("patience", "min_delta", "monitor", "restore_best"),
    "Augmentation (images)": ("crop_padding", "hflip", "erasing", "rotation", "zoom", "noise", "tta_hflip"),
}
_PARAMS = {p.name: p for p in TRAINING_PARAMS}
# The zoo from small to large, the order a learner meets them in; then the from-scratch NumPy engine's models.
MODEL_ORDER = (
    "mlp",
    "lenet",
    "cnn3",
    "alexnet-small",
    "alexnet-simplified28",
    "alexnet28",
    "alexnet-simplified",
    "alexnet",
    "vgg-small",
    "googlenet-small",
    "resnet18",
    "numpy-logreg",
    "numpy-mlp",
    "numpy-cnn",
)
# Models built with the layer table (they take the mlp's parameters). They share its widgets, so switching
# between mlp and numpy-mlp keeps the architecture: the way to train the two engines side by side.
LAYER_TABLE = "mlp"
ENGINE_BADGE = " · NumPy engine"
ENGINE_NOTE = (
    "From scratch: the NumPy engine (core/scratch/), every layer's forward and backward pass written by hand; "
    "it trains on the CPU, with the same options, callbacks and evaluation as the torch models."
)


def uses_layer_table(model: str) -> bool:
    return get_model_spec(model).params == MLP_PARAMS


def param_key(model: str, name: str) -> str:
    return f"nn_param_{model}_{name}"


def option_key(name: str) -> str:
    return f"nn_train_{name}"


def apply_preset() -> None:
    """on_change of the preset box: write the preset's model, parameters and options into the widgets."""
    name = st.session_state.get("nn_preset", NO_PRESET)
    if name == NO_PRESET:
        return
    preset = get_preset(name)
    spec = get_model_spec(preset.model)
    st.session_state["nn_model"] = preset.model
    owner = LAYER_TABLE if uses_layer_table(preset.model) else preset.model
    for param in spec.params:
        value = preset.params.get(param.name, param.default)
        st.session_state[param_key(owner, param.name)] = param.parse(value)
    for key, value in TrainOptions.from_dict(preset.training).to_dict().items():
        st.session_state[option_key(key)] = value
    if owner == LAYER_TABLE:
        set_layers(st.session_state[param_key(owner, "hidden")], st.session_state[param_key(owner, "activation")])


def preset_box() -> None:
    names = [NO_PRESET, *PRESETS]
    st.selectbox(
        "Preset",
        names,
        key="nn_preset",
        on_change=apply_preset,
        format_func=lambda n: n if n == NO_PRESET else PRESETS[n].title,
        help="Fills in the model and options of a reference study's configuration; change anything afterwards.",
    )
    chosen = st.session_state.get("nn_preset", NO_PRESET)
    if chosen != NO_PRESET:
        st.caption(PRESETS[chosen].description)


def set_layers(hidden: str, activation: str) -> None:
    """Put an mlp's hidden sizes and activations into the layer table (a new editor key resets its edits)."""
    sizes = parse_layer_sizes(hidden, "mlp", "hidden")
    names = [a.strip() for a in activation.split(",")]
    names = names * len(sizes) if len(names) == 1 else names
    st.session_state["nn_layers"] = pd.DataFrame({"neurons": sizes, "activation": names[: len(sizes)]})
    st.session_state["nn_layers_version"] = st.session_state.get("nn_layers_version", 0) + 1


def mlp_layers_editor() -> dict:
    """The architecture builder: one row per hidden layer (neurons, activation); returns the mlp's params."""
    if "nn_layers" not in st.session_state:
        spec = get_model_spec("mlp")
        set_layers(spec.defaults()["hidden"], spec.defaults()["activation"])
    st.caption("Hidden layers, input to output: add, delete or edit rows.")
    table = st.data_editor(
        st.session_state["nn_layers"],
        num_rows="dynamic",
        key=f"nn_layers_editor_{st.session_state['nn_layers_version']}",
        column_config={
            "neurons": st.column_config.NumberColumn("neurons", min_value=1, max_value=8192, step=1, required=True),
            "activation": st.column_config.SelectboxColumn("activation", options=ACTIVATION_NAMES, required=True),
        },
        hide_index=True,
    )
    table = table.dropna()
    spec = get_model_spec("mlp")
    params = {
        "hidden": ",".join(str(int(n)) for n in table["neurons"]),
        "activation": ",".join(table["activation"]) or "relu",
    }
    left, right = st.columns(2)
    for column, name in ((left, "dropout"), (right, "batch_norm")):
        with column:
            params[name] = setting_widget(next(p for p in spec.params if p.name == name), param_key("mlp", name))
    return params


def model_form(kind: str) -> tuple[str, dict]:
    """The model select box and its parameters (the layer table for mlp); returns (name, params)."""
    available = {spec.name: spec for family in NETWORK_FAMILIES for spec in list_models(family=family, kind=kind)}
    names = [n for n in MODEL_ORDER if n in available] + [n for n in available if n not in MODEL_ORDER]
    if st.session_state.get("nn_model") not in names:
        st.session_state["nn_model"] = names[0]
    model = st.selectbox(
        "Model",
        names,
        key="nn_model",
        format_func=lambda n: (
            f"{available[n].title} ({n})" + (" · NumPy engine" if available[n].family == "numpy" else "")
        ),
        help="the PyTorch zoo, then the same kinds of network written from scratch in NumPy",
    )
    spec = available[model]
    st.caption(spec.description)
    if spec.family == "numpy":
        st.caption(ENGINE_NOTE)
    if uses_layer_table(model):
        return model, mlp_layers_editor()
    params = {}
    columns = st.columns(3)
    for i, param in enumerate(spec.params):
        with columns[i % 3]:
            params[param.name] = setting_widget(param, param_key(model, param.name))
    return model, params


def training_form(kind: str) -> dict:
    """Every training option, grouped in expanders; returns {option: value}."""
    values = {}
    for group, names in OPTION_GROUPS.items():
        if group.startswith("Augmentation") and kind != "image":
            continue
        with st.expander(group, expanded=group == "Run"):
            columns = st.columns(3)
            for i, name in enumerate(names):
                with columns[i % 3]:
                    values[name] = setting_widget(_PARAMS[name], option_key(name))
    return values
