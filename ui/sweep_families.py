"""Budget-matched comparison across model families: one study per model, each with the same budget, data, split
and objective, in the background; the best of each side by side, and handed to the Compare page."""

from __future__ import annotations

import streamlit as st

from core.compare import select_runs
from core.models import get_model_spec, list_models
from core.models.registry import FAMILIES
from core.sweeps.config import OBJECTIVES, SAMPLERS, SweepConfig, SweepError
from core.sweeps.families import families_table, family_study_name, open_families
from core.sweeps.space import SearchSpace
from core.sweeps.status import sweep_status
from core.sweeps.worker import start_workers
from ui.number_table import number_table
from ui.run_store import run_store
from ui.sweep_form import NAME_CHARS, budget_inputs, dataset_fields, default_name
from ui.sweep_live import worker_error

FAMILIES_KEY = "sw_families"  # the studies of the last comparison started from this page


def hand_to_compare(run_ids: list[str]) -> None:
    """Open the Compare page with exactly `run_ids` chosen (its filters set so that they match)."""
    store = run_store()
    records = [store.get(run_id) for run_id in run_ids]
    dataset = records[0].dataset
    st.session_state.update(cmp_dataset=dataset, cmp_family=list(FAMILIES), cmp_status=["finished"], cmp_tags=[])
    # The Compare page re-chooses its runs whenever the runs its filters match change; give it those it will match.
    matching = select_runs(store.list(), dataset=dataset, families=FAMILIES, statuses=["finished"])
    st.session_state["cmp_runs_options"] = [r.id for r in matching]
    st.session_state["cmp_runs"] = [r.id for r in records if r.status == "finished"]
    st.switch_page("app_pages/compare.py")


def _start(dataset, request, spec_json: str, storage: str | None) -> None:
    names = [s.name for s in list_models(kind=dataset.kind)]
    chosen = st.multiselect(
        "Models (two or more)", names, default=[n for n in ("logreg", "mlp") if n in names], key="sw_fam_models",
        format_func=lambda n: f"{get_model_spec(n).title} ({n})",
    )  # fmt: skip
    room = 1 + max((len(n) for n in chosen), default=0)  # "-<model>" follows the name
    base_name = st.text_input("Name (each study is named <name>-<model>)", default_name("families", dataset.name, room),
                              max_chars=NAME_CHARS, key="sw_fam_name")  # fmt: skip
    st.caption(f"The name with -<model> after it: 1 to {NAME_CHARS} characters, no comma.")
    left, right = st.columns(2)
    sampler = left.selectbox("Sampler", list(SAMPLERS), index=list(SAMPLERS).index("tpe"), key="sw_fam_sampler")
    objective = right.selectbox(
        "Objective", list(OBJECTIVES), key="sw_fam_objective", format_func=lambda n: OBJECTIVES[n].title
    )
    trials, timeout = budget_inputs("sw_fam")
    left, right = st.columns(2)
    limit = left.number_input("Rows (0: all)", 0, None, 0, 1000, key="sw_fam_limit")
    epochs = right.number_input("Epochs of the networks (0: their own)", 0, 1000, 0, 1, key="sw_fam_epochs")
    st.caption("Each model searches its own default space; the budget above is each model's, not shared.")
    if not st.button("Start the comparison", key="sw_fam_start", disabled=len(chosen) < 2):
        return
    too_long = [m for m in chosen if len(family_study_name(base_name.strip(), m)) > NAME_CHARS]
    if too_long:
        raise SweepError(f"name: {base_name.strip()}-{too_long[0]} is over {NAME_CHARS} characters; shorten the name")
    base = SweepConfig(
        study=base_name.strip(),
        dataset=dataset_fields(request),
        model=chosen[0],
        space=SearchSpace.for_model(chosen[0]),
        sampler=sampler,
        trials=trials,
        timeout_seconds=timeout,
        objective=objective,
        limit=int(limit) or None,
        epochs=int(epochs) or None,
        seed=int(request.seed),
        spec=spec_json,
    )
    studies = open_families(base, chosen)
    for name in studies:
        start_workers(name, storage, 1, store=run_store())
    st.session_state[FAMILIES_KEY] = studies
    st.toast(f"Started {len(studies)} studies with the same budget; they go on if you leave the page.")


def families_view(studies: list[str], storage: str | None) -> None:
    """The best of each model side by side (polled while any study runs), and Compare for their best runs."""
    statuses = {name: sweep_status(name, storage) for name in studies}
    running = [name for name, status in statuses.items() if not status.done]
    for name in running:
        error = None if statuses[name].active_workers else worker_error(name)
        if error:
            st.error(f"{name}: its worker stopped: {error}", icon=":material/error:")
    table = families_table(studies, storage)
    table["best params"] = [", ".join(f"{k}={v}" for k, v in params.items()) for params in table["best params"]]
    number_table(table, key="sw_fam_table")
    if running:
        st.caption(f"Running: {', '.join(running)}. The table follows them.")
    best = [run_id for run_id in table["best run"] if run_id]
    if st.button("Compare the best runs", key="sw_fam_compare", disabled=not best):
        hand_to_compare(best)


def families_section(dataset, request, spec_json: str, storage: str | None) -> None:
    _start(dataset, request, spec_json, storage)
    studies = st.session_state.get(FAMILIES_KEY)
    if studies:
        active = any(not sweep_status(name, storage).done for name in studies)
        st.fragment(run_every=2.0 if active else None)(families_view)(studies, storage)
