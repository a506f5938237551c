"""The Playground page's state: its widgets' keys, the setup they describe, the URL that mirrors it, the
user's own points, and the live Playground object (small: a tiny network and 500 points, so it lives in the
session; it is what Play advances)."""

from __future__ import annotations

import streamlit as st

from core.datasets.memo import load_dataset_memo
from core.errors import TrainboardError
from core.playground.data import PATTERNS, PointSet
from core.playground.real_data import points_from_csv, points_from_dataset
from core.playground.session import Playground
from core.playground.setup import Setup
from ui.current_dataset import current_request

PLAYGROUND, PLAYING, PROBLEMS = "pg_playground", "pg_playing", "pg_url_problems"
PENDING_STEPS = "pg_pending_steps"  # Step presses the live view has not trained yet
HIDDEN, ACTIVATIONS, FEATURES_KEY = "pg_hidden", "pg_activations", "pg_features"
# Widget key -> Setup field, for the controls that map one to one.
WIDGETS = {
    "pg_problem": "problem",
    "pg_dataset": "dataset",
    "pg_noise": "noise",
    "pg_ratio": "train_ratio",
    "pg_batch": "batch_size",
    "pg_lr": "lr",
    "pg_reg": "regularization",
    "pg_reg_rate": "regularization_rate",
    "pg_dropout": "dropout",
    "pg_residual": "residual",
    "pg_show_test": "show_test",
    "pg_discretize": "discretize",
    "pg_data_seed": "data_seed",
    "pg_weight_seed": "weight_seed",
    "pg_source": "source",
}


def start_from_url() -> None:
    """Once per session: fill every control from the link's parameters (or the defaults)."""
    if PLAYING in st.session_state:
        return
    setup, problems = Setup.from_query({key: st.query_params[key] for key in st.query_params})
    fill_widgets(setup)
    st.session_state[PLAYING] = False
    st.session_state[PROBLEMS] = problems


def fill_widgets(setup: Setup) -> None:
    for key, field in WIDGETS.items():
        st.session_state[key] = getattr(setup, field)
    st.session_state[FEATURES_KEY] = list(setup.features)
    st.session_state[HIDDEN] = list(setup.hidden)
    st.session_state[ACTIVATIONS] = list(setup.activations)
    for number, name in enumerate(setup.activations):
        st.session_state[f"pg_act_{number}"] = name


def setup_from_widgets() -> Setup:
    """The setup the controls show; TrainboardError (naming the control) when it cannot be trained."""
    values = {field: st.session_state[key] for key, field in WIDGETS.items()}
    values["features"] = tuple(st.session_state[FEATURES_KEY] or ())
    values["hidden"] = tuple(st.session_state[HIDDEN])
    values["activations"] = tuple(st.session_state[ACTIVATIONS])
    if values["dataset"] in PATTERNS:
        values["source"] = ""  # a generated set needs no file or dataset
    return Setup(**values).checked()


def write_url(setup: Setup) -> None:
    """Mirror the setup in the address bar, so copying the link copies the experiment."""
    query = setup.to_query()
    if {key: st.query_params[key] for key in st.query_params} != query:
        st.query_params.from_dict(query)


@st.cache_data(show_spinner=False, max_entries=16)
def _csv_points(path: str, problem: str) -> PointSet:
    return points_from_csv(path, problem)


@st.cache_data(show_spinner="Projecting the dataset onto two axes...", max_entries=16)
def _real_points(request, classes: tuple[str, str], columns: tuple[str, str] | None) -> PointSet:
    return points_from_dataset(load_dataset_memo(request), classes, columns)


def real_source(classes: tuple[str, str], columns: tuple[str, str] | None) -> str:
    """The `source` text of real data from the current dataset: "NAME|A,B" or "NAME|A,B|COLUMN,COLUMN"."""
    parts = [current_request().name, ",".join(classes)] + ([",".join(columns)] if columns else [])
    return "|".join(parts)


def user_points(setup: Setup) -> PointSet | None:
    """The points of a csv or real-data setup (None for a generated one); DataError when they cannot be made."""
    if setup.dataset in PATTERNS:
        return None
    if not setup.source:
        what = "upload a CSV" if setup.dataset == "csv" else "choose two classes"
        raise TrainboardError(f"dataset {setup.dataset}: {what} first")
    if setup.dataset == "csv":
        return _csv_points(setup.source, setup.problem)
    name, classes, *columns = setup.source.split("|")
    request = current_request()
    if request.name != name:
        raise TrainboardError(f"real data: the link uses {name}; load it on the Data page (now {request.name})")
    return _real_points(request, tuple(classes.split(",")), tuple(columns[0].split(",")) if columns else None)


def current_playground(setup: Setup, points: PointSet | None) -> tuple[Playground, str]:
    """The session's Playground, made to follow `setup` ("kept", "reset", "new data" or "new")."""
    playground = st.session_state.get(PLAYGROUND)
    if playground is None:
        playground = st.session_state[PLAYGROUND] = Playground(setup, points)
        return playground, "new"
    return playground, playground.apply(setup, points)
