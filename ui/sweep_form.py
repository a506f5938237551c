"""The Sweeps page's study settings: name, sampler, budget, objectives, pruning, rows, epochs, seed and workers.
Returns a SweepConfig when Start is pressed; the page opens the study and starts the workers."""

from __future__ import annotations

import time
from dataclasses import asdict

import streamlit as st

from core.models import get_model_spec
from core.runs.jobs import max_workers
from core.sweeps.config import OBJECTIVES, PRUNERS, SAMPLERS, SECOND_OBJECTIVES, STUDY_NAME_MAX, SweepConfig
from core.sweeps.space import SearchSpace

STAMP_KEY = "sw_name_stamp"  # renewed after each start, so the next study's default name is a new one
NAME_CHARS = STUDY_NAME_MAX  # the study's name goes into its runs' tags (core/sweeps/config.py)


def dataset_fields(request) -> dict:
    fields = asdict(request)
    fields["options"] = [list(pair) for pair in request.options]
    return fields


def default_name(model: str, dataset_name: str, room: int = 0) -> str:
    """<model>-<dataset>-<month day>-<time>, without the dataset where that would leave under `room` characters
    of NAME_CHARS free."""
    stamp = st.session_state.setdefault(STAMP_KEY, time.strftime("%m%d-%H%M%S"))
    name = f"{model}-{dataset_name}-{stamp}"
    return name if len(name) + room <= NAME_CHARS else f"{model}-{stamp}"[: NAME_CHARS - room]


def renew_default_name() -> None:
    st.session_state[STAMP_KEY] = time.strftime("%m%d-%H%M%S")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def budget_inputs(prefix: str = "sw") -> tuple[int | None, float | None]:
    """(trials or None, seconds or None) from two boxes keyed `prefix`_trials and `prefix`_minutes."""
    left, right = st.columns(2)
    trials = left.number_input("Trials (0: until the time limit)", 0, 10_000, 20, 1, key=f"{prefix}_trials")
    minutes = right.number_input("Time limit in minutes (0: none)", 0, 10_080, 0, 1, key=f"{prefix}_minutes")
    st.caption("Trials: 0 to 10,000; time limit: 0 to 10,080 minutes (a week). Give at least one of the two.")
    return int(trials) or None, (float(minutes) * 60.0) or None


def settings_form(model: str, space: SearchSpace | None, dataset, request, spec_json: str) -> tuple | None:
    """The study's settings and Start; returns (SweepConfig, workers) when Start is pressed, else None.
    Start is disabled while the space is not valid (`space` None)."""
    network = get_model_spec(model).is_network
    name = st.text_input(
        "Study name", default_name(model, dataset.name), max_chars=NAME_CHARS, key=f"sw_name_{model}",
        help=f"1 to {NAME_CHARS} characters, no comma: each trial's run is tagged sweep:<name>.",
    )  # fmt: skip
    left, right = st.columns(2)
    sampler = left.selectbox("Sampler", list(SAMPLERS), index=list(SAMPLERS).index("tpe"), key="sw_sampler")
    left.caption(_sentence(SAMPLERS[sampler]))
    objective = right.selectbox(
        "Objective", list(OBJECTIVES), key="sw_objective", format_func=lambda n: OBJECTIVES[n].title
    )
    right.caption(f"The study {OBJECTIVES[objective].direction}s it.")
    trials, timeout = budget_inputs()
    left, right = st.columns(2)
    seconds = ["", *SECOND_OBJECTIVES]
    second = left.selectbox(
        "Second objective", seconds, key="sw_second",
        format_func=lambda n: SECOND_OBJECTIVES[n].title if n else "none: one objective",
    )  # fmt: skip
    prunable = network and not second
    prune = right.selectbox(
        "Pruning", ["", *PRUNERS], key="sw_prune", disabled=not prunable,
        format_func=lambda n: n or "none: every trial runs all its epochs",
    )  # fmt: skip
    right.caption(_sentence(PRUNERS[prune]) if prune and prunable else "Networks with one objective only.")
    left, middle, right, last = st.columns(4)
    limit = left.number_input("Rows (0: all)", 0, None, 0, 1000, key="sw_limit")
    epochs = middle.number_input("Epochs (0: the run's own)", 0, 1000, 0, 1, key="sw_epochs", disabled=not network)
    seed = right.number_input("Seed", 0, None, int(request.seed), 1, key="sw_seed")
    workers = last.number_input("Workers", 1, max_workers(), 1, 1, key="sw_workers")
    most = max_workers()
    workers_text = f"1 to {most} background processes" if most > 1 else "1 background process (the machine's limit)"
    st.caption(
        "Rows: 0 or more (a stratified sample before the split); epochs: 0 to 1000, networks only; "
        f"workers: {workers_text}, sharing the trial budget (TRAINBOARD_MAX_WORKERS)."
    )
    if not st.button("Start the study", type="primary", key="sw_start", disabled=space is None):
        return None
    config = SweepConfig(
        study=name.strip(),
        dataset=dataset_fields(request),
        model=model,
        space=space,
        sampler=sampler,
        trials=trials,
        timeout_seconds=timeout,
        objective=objective,
        second_objective=second or None,
        prune=(prune or None) if prunable else None,
        limit=int(limit) or None,
        epochs=(int(epochs) or None) if network else None,
        seed=int(seed),
        spec=spec_json,
    )
    return config.validate(), int(workers)
