"""The dataset the user chose on the Data page, shared by every page through session state.
Session state holds only the small LoadRequest; the Dataset itself comes from core's memo."""

from __future__ import annotations

import streamlit as st

from core.datasets import Dataset, LoadRequest, get_loader, make_split
from core.datasets.dataset import RareClassesError
from core.datasets.memo import load_dataset_memo
from core.errors import TrainboardError
from core.uploads import as_uploaded

REQUEST_KEY = "data_request"


def default_request() -> LoadRequest:
    """Fashion-MNIST where it is on the machine, else scikit-learn's digits: both load offline."""
    name = "fashion-mnist" if get_loader("fashion-mnist").availability().offline else "digits"
    return LoadRequest(name=name)


def current_request() -> LoadRequest:
    return st.session_state.setdefault(REQUEST_KEY, default_request())


def set_request(request: LoadRequest) -> None:
    st.session_state[REQUEST_KEY] = request


def switch_to(request: LoadRequest) -> bool:
    """Make `request` the current dataset only if it loads and splits: a failure shows its error, names the
    dataset still in use, and changes nothing (the form keeps its values and the uploaded file)."""
    try:
        check_splits(load_with_progress(request), request.seed)
    except TrainboardError as error:
        st.error(f"{as_uploaded(str(error))} (still using {current_request().name})", icon=":material/error:")
        return False
    set_request(request)
    return True


def check_splits(dataset: Dataset, seed: int) -> None:
    """Raise the error every page would meet with `dataset` (one class, too few rows), before it is chosen.
    Rare classes pass: the Data page shows such a table with the fix, which training then applies."""
    try:
        make_split(dataset, seed=seed)
    except RareClassesError:
        pass


def forget_request() -> None:
    """After a failed load: the next rerun falls back to the default instead of repeating the error."""
    st.session_state.pop(REQUEST_KEY, None)


def load_with_progress(request: LoadRequest) -> Dataset:
    """Load (or fetch from memory) with a progress bar that disappears when done."""
    bar = st.progress(0.0, text=f"Loading {request.name}...")
    last = {"value": 0.0}

    def report(fraction, message):
        last["value"] = last["value"] if fraction is None else min(max(fraction, 0.0), 1.0)
        bar.progress(last["value"], text=message)

    try:
        return load_dataset_memo(request, report)
    finally:
        bar.empty()
