"""What to do with a study's result: train its best configuration as a normal run, and re-run its top k
configurations on another dataset with both datasets' scores in one table. Runs go to the background workers."""

from __future__ import annotations

import streamlit as st

from core.datasets import LoadRequest, get_loader, list_datasets
from core.errors import TrainboardError
from core.runs import jobs
from core.runs.eta import eta_text
from core.sweeps.config import SweepConfig
from core.sweeps.results import CARRY_TAG, best_run_config, carry, carry_table
from core.training.config import create_run
from ui.number_table import number_table
from ui.run_store import run_store
from ui.sweep_form import dataset_fields

BEST_KEY, CARRY_KEY = "sw_best_runs", "sw_carry_runs"  # study -> run id(s) started from this page
BEST_TAG = "best:"  # the best configuration's run is tagged best:<study>, so a new session finds it


def _best_run(name: str) -> str | None:
    """The best configuration's run started this session, else the newest one tagged for the study."""
    remembered = st.session_state.setdefault(BEST_KEY, {}).get(name)
    if remembered:
        return remembered
    return next((r.id for r in run_store().list() if BEST_TAG + name in r.tags), None)


def _carried_runs(name: str) -> list[str]:
    """The runs of the last carry-over started this session, else those of the newest one in the store (its
    dataset's runs tagged carry:<study>, one per trial, best first as they were created)."""
    remembered = st.session_state.setdefault(CARRY_KEY, {}).get(name)
    if remembered:
        return remembered
    carried = [r for r in run_store().list() if CARRY_TAG + name in r.tags]
    if not carried:
        return []
    latest, by_trial = carried[0].dataset, {}
    for record in carried:  # newest first: the first run of each trial is its newest
        trial = next((t for t in record.tags if t.startswith("trial:")), record.id)
        if record.dataset == latest and trial not in by_trial:
            by_trial[trial] = record.id
    return list(reversed(by_trial.values()))


def runs_progress(run_ids: list[str], key: str) -> None:
    """Progress of the runs among `run_ids` still queued or running; the page refreshes when one ends."""
    records = [run_store().get(run_id) for run_id in run_ids]
    active = {r.id for r in records if r.is_active}
    watched = st.session_state.setdefault(key, set())
    st.session_state[key] = active
    if watched - active:
        st.rerun(scope="app")
    for record in records:
        if record.is_active:
            text = f"{record.label} · {record.message or record.status}{eta_text(record)}"
            st.progress(min(max(record.fraction or 0.0, 0.0), 1.0), text=text)


def _poll(run_ids: list[str], key: str) -> None:
    active = any(run_store().get(run_id).is_active for run_id in run_ids)
    st.fragment(run_every=1.0 if active else None)(runs_progress)(run_ids, key)


def train_best(name: str, storage: str | None, has_complete: bool) -> None:
    """One click: the best trial's configuration as a normal run, in the background, in the leaderboard."""
    if st.button("Train the best configuration", key=f"sw_best_{name}", disabled=not has_complete):
        store = run_store()
        run_id = create_run(store, best_run_config(name, storage))
        store.annotate(run_id, tags=[BEST_TAG + name])
        jobs.submit(run_id, store)
        st.session_state.setdefault(BEST_KEY, {})[name] = run_id
        st.toast(f"Started the best configuration of {name}; it goes on if you leave the page.")
    if not has_complete:
        st.caption("Available once a trial is complete.")
    run_id = _best_run(name)
    if run_id:
        record = run_store().get(run_id)
        st.caption(f"Best configuration: run **{record.label}** ({run_id}), {record.status}; in the leaderboard.")
        _poll([run_id], f"sw_best_watch_{name}")


def _target_dataset(config: SweepConfig) -> dict | None:
    """The dataset to carry the configurations to: a loader of the study's kind, its source and, for a file, the
    path. None while a file source has no path."""
    kind = get_loader(config.dataset["name"]).kind
    loaders = {loader.name: loader for loader in list_datasets() if loader.kind == kind}
    names = list(loaders)
    default = "mnist" if "mnist" in names and config.dataset["name"] != "mnist" else config.dataset["name"]
    first, second = st.columns(2)
    name = first.selectbox("Carry to dataset", names, index=names.index(default), key="sw_carry_dataset")
    loader = loaders[name]
    source = second.selectbox("Its source", list(loader.sources), key=f"sw_carry_source_{name}")
    first.caption(loader.availability().detail)
    path = None
    if source == "file":
        path = st.text_input("Path on this machine (a folder of IDX files or a CSV)", key="sw_carry_path").strip()
        if not path:
            return None
    return dataset_fields(LoadRequest(name=name, source=source, path=path, seed=config.dataset.get("seed", 0)))


def carry_over(name: str, storage: str | None, config: SweepConfig, complete: int) -> None:
    """Re-run the top k configurations on another dataset (same rows limit, seed and preprocessing) and show both
    datasets' scores side by side."""
    if not complete:
        st.caption("Available once a trial is complete.")
        return
    to_dataset = _target_dataset(config)
    left, right = st.columns(2)
    top = left.number_input("Top configurations (k)", 1, min(complete, 20), min(3, complete), 1, key="sw_carry_k")
    rows = right.number_input("Rows there (0: as the study)", 0, None, 0, 1000, key="sw_carry_limit")
    study_rows = "all" if config.limit is None else f"{config.limit:,}"
    st.caption(
        f"k: 1 to {min(complete, 20)} (the complete trials, best first, at most 20); rows: 0 or more "
        f"(0: the study's own, {study_rows}), a stratified sample before the split."
    )
    if st.button("Re-run them", key=f"sw_carry_{name}", disabled=to_dataset is None):
        store = run_store()
        run_ids = carry(name, storage, to_dataset, int(top), store, run=False, limit=int(rows) or None)
        jobs.submit_all(run_ids, store)
        st.session_state.setdefault(CARRY_KEY, {})[name] = run_ids
        st.toast(f"Started {len(run_ids)} run(s) on {to_dataset['name']}; they go on if you leave the page.")
    run_ids = _carried_runs(name)
    if run_ids:
        _poll(run_ids, f"sw_carry_watch_{name}")
        try:
            table = carry_table(name, storage, run_ids, run_store())
            scores = [c for c in table.columns if " val " in c or " test " in c]  # beside each other, then params
            first = ["rank", "trial", *scores]
            table = table[first + [c for c in table.columns if c not in first]]
            number_table(table, key=f"sw_carry_table_{name}")
        except TrainboardError as error:
            st.error(str(error), icon=":material/error:")
        st.caption("Each dataset's validation and test scores, one row per configuration, best trial first.")
