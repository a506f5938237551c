"""Sweeps page: an Optuna study over a registered model on the current dataset. Define the space (or pick a
preset), start the study in background workers, watch it live (Optuna's plots, the trials), train the best
configuration as a normal run, carry the top configurations to another dataset, and sweep several models with
the same budget each."""

import streamlit as st

from core.errors import TrainboardError
from core.models import list_models
from core.sweeps.status import sweep_status
from core.sweeps.study import list_studies, load_study, open_study
from core.sweeps.worker import start_workers
from ui.badges import dataset_caption
from ui.current_dataset import current_request, load_with_progress
from ui.preprocess_builder import kept_spec
from ui.run_store import run_store
from ui.sweep_families import families_section
from ui.sweep_form import renew_default_name, settings_form
from ui.sweep_live import STUDY_KEY, live_study, study_picker
from ui.sweep_results import carry_over, train_best
from ui.sweep_space import space_editor

STORAGE = None  # the default storage: data/sweeps/sweeps.db (python -m core sweep ... --storage for another)


def new_study(dataset, request, spec_json: str) -> None:
    """Space and settings; on Start the study is opened and its workers start in the background."""
    models = [spec.name for spec in list_models(kind=dataset.kind)]
    model, space, problem = space_editor(models)
    if problem:
        st.error(problem, icon=":material/error:")
    started = settings_form(model, space, dataset, request, spec_json)
    if started is None:
        return
    config, workers = started
    try:  # a taken name or an unreachable storage: said here, and the studies below still show
        open_study(config)
        start_workers(config.study, STORAGE, workers, store=run_store())
    except TrainboardError as error:
        st.error(str(error), icon=":material/error:")
        return
    st.session_state[STUDY_KEY] = config.study
    renew_default_name()
    st.toast(f"Started study {config.study}; it goes on if you leave the page.")


def study_section() -> None:
    name = study_picker(STORAGE)
    if name is None:
        st.info("No study yet: define the space above and press Start the study.")
        return
    status = sweep_status(name, STORAGE)
    st.fragment(run_every=None if status.done else 2.0)(live_study)(name, STORAGE, (status.complete, status.done))
    _, config = load_study(name, STORAGE)
    st.subheader("Best configuration")
    train_best(name, STORAGE, status.complete > 0)
    st.subheader("Carry over to another dataset")
    carry_over(name, STORAGE, config, status.complete)


st.title("Sweeps")
st.caption(
    "Hyperparameter studies on Optuna (also `python -m core sweep`): every trial is a normal run on the same split, "
    "tagged with its study, in the leaderboard and on Compare."
)
try:
    request = current_request()
    dataset = load_with_progress(request)
    st.markdown(dataset_caption(dataset))
    spec = kept_spec(dataset.name)
    spec_json = spec.to_json() if spec else "{}"
    with st.expander("New study", expanded=not list_studies(STORAGE)):
        new_study(dataset, request, spec_json)
    study_section()
    with st.expander("Across model families: the same budget each"):
        families_section(dataset, request, spec_json, STORAGE)
except TrainboardError as error:
    st.error(str(error), icon=":material/error:")
