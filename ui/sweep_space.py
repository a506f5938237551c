"""The Sweeps page's search space: a preset or a model's own space, one row of widgets per dimension (low, high and
log for numbers, the choices for a categorical one), and the space as JSON to download or upload.

The widgets are keyed by dimension name; when the space they show changes (another preset, model, parameter set
or uploaded file) their values are set afresh from it before they are drawn."""

from __future__ import annotations

import json

import streamlit as st

from core.errors import TrainboardError
from core.models import get_model_spec
from core.sweeps.presets import SWEEP_PRESETS
from core.sweeps.space import Dimension, SearchSpace, searchable_params

SHOWN_KEY = "sw_space_shown"  # which space the dimension widgets were last filled from
KINDS = {"float": "real number", "int": "whole number", "categorical": "one of"}


def _model_title(name: str) -> str:
    return f"{get_model_spec(name).title} ({name})"


def space_source(models: list[str]) -> tuple[str, SearchSpace, str]:
    """(model, space to start from, what it came from) from the preset, or the model and the parameters chosen."""
    preset = st.selectbox(
        "Preset",
        ["", *SWEEP_PRESETS],
        key="sw_preset",
        format_func=lambda n: SWEEP_PRESETS[n].title if n else "None: choose the model and its parameters",
    )
    if preset:
        chosen = SWEEP_PRESETS[preset]
        st.caption(f"{chosen.description} Model: {_model_title(chosen.model)}.")
        return chosen.model, chosen.space, f"preset:{preset}"
    default = models.index("mlp") if "mlp" in models else 0
    model = st.selectbox("Model", models, index=default, key="sw_model", format_func=_model_title)
    names = st.multiselect(
        "Parameters to sweep",
        list(searchable_params(model)),
        default=list(SearchSpace.for_model(model).dimensions),
        key=f"sw_names_{model}",
        help="The model's parameters and, for networks, the training options; unchosen ones keep their defaults.",
    )
    if not names:  # an empty space: its validation names the problem, and Start waits
        return model, SearchSpace({}), f"model:{model}:"
    return model, SearchSpace.for_model(model, names=names), f"model:{model}:{','.join(names)}"


def uploaded_space(model: str) -> tuple[SearchSpace, str] | None:
    """A space from an uploaded JSON file (for `model`), or None when no file is given."""
    upload = st.file_uploader("Load a space (JSON)", type=["json"], key="sw_space_upload")
    if upload is None:
        return None
    try:
        space = SearchSpace.from_json(upload.getvalue().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise TrainboardError(f"{upload.name} is not a search space in JSON: {error}") from error
    space.validate(model)
    return space, f"upload:{upload.file_id}"


def _key(name: str, part: str) -> str:
    return f"sw_dim_{name}_{part}"


def _fill(space: SearchSpace) -> None:
    for name, dim in space.dimensions.items():
        if dim.kind == "categorical":
            st.session_state[_key(name, "choices")] = list(dim.choices)
        else:
            cast = int if dim.kind == "int" else float  # a number box keeps the type it was given
            st.session_state[_key(name, "low")] = cast(dim.low)
            st.session_state[_key(name, "high")] = cast(dim.high)
            st.session_state[_key(name, "log")] = bool(dim.log)


def _parsed(value):
    """A choice typed into the box arrives as text: '64' is the number 64, 'true' a flag, '64,128' stays text."""
    if not isinstance(value, str):
        return value
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError:
        return value
    return parsed if isinstance(parsed, int | float | bool) else value


def _dimension_row(name: str, dim: Dimension) -> Dimension:
    if dim.kind == "categorical":
        label, choices = st.columns([2, 5], vertical_alignment="bottom")
        label.markdown(f"**{name}**  \n{KINDS[dim.kind]}")
        options = list(dict.fromkeys([*dim.choices, *st.session_state.get(_key(name, "choices"), [])]))
        chosen = choices.multiselect(
            f"{name}: choices", options, key=_key(name, "choices"), accept_new_options=True, format_func=str
        )
        if sum(len(str(c)) + 4 for c in chosen) > 60:  # more chips than the box shows at once: list them all
            choices.caption(f"{len(chosen)} choices: " + " · ".join(str(c) for c in chosen))
        return Dimension(kind="categorical", choices=tuple(_parsed(c) for c in chosen))
    label, low, high, log = st.columns([2, 2, 2, 1], vertical_alignment="bottom")
    label.markdown(f"**{name}**  \n{KINDS.get(dim.kind, dim.kind)}")
    number = {"format": "%d", "step": 1} if dim.kind == "int" else {"format": "%g", "step": None}
    low_value = low.number_input(f"{name}: low", key=_key(name, "low"), **number)
    high_value = high.number_input(f"{name}: high", key=_key(name, "high"), **number)
    is_log = log.checkbox("log", key=_key(name, "log"), help="sample evenly on a log scale (low above 0)")
    cast = int if dim.kind == "int" else float
    return Dimension(kind=dim.kind, low=cast(low_value), high=cast(high_value), log=bool(is_log))


def space_editor(models: list[str]) -> tuple[str, SearchSpace | None, str | None]:
    """The editor; returns (model, the edited space, None) or (model, None, why it is not a valid space)."""
    model, base, shown = space_source(models)
    with st.expander("The space as JSON: download or load"):
        try:
            upload = uploaded_space(model)
        except TrainboardError as error:
            return model, None, str(error)
        download = st.empty()
    if upload is not None:
        base, shown = upload
        st.caption("The space below comes from the loaded file; remove the file to edit the one chosen above.")
    if st.session_state.get(SHOWN_KEY) != shown:
        _fill(base)
        st.session_state[SHOWN_KEY] = shown
    st.caption(
        "Numbers: low below high (a log scale needs low above 0); choices: one or more. Each dimension must stay "
        "inside the model's own allowed range, which the error names when it does not."
    )
    try:
        space = SearchSpace(dimensions={name: _dimension_row(name, dim) for name, dim in base.dimensions.items()})
        space.validate(model)
    except TrainboardError as error:
        return model, None, str(error)
    download.download_button(
        "Download this space (JSON)", space.to_json(), f"{model}-space.json", "application/json", key="sw_space_json"
    )
    return model, space, None
