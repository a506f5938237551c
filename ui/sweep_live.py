"""A study as it runs: where it stands (trials by state, budget, time, best so far) with Stop or Resume, the chosen
plot, and the table of trials with its CSV. Drawn in a fragment the page polls while the study is not done."""

from __future__ import annotations

import glob
import re
from dataclasses import replace

import streamlit as st

from core.paths import data_dir
from core.runs.eta import duration_text
from core.sweeps.config import OBJECTIVES, SECOND_OBJECTIVES, SweepConfig
from core.sweeps.results import trials_frame
from core.sweeps.status import SweepStatus, sweep_status
from core.sweeps.study import STARTED_ATTR, list_studies, load_study
from core.sweeps.worker import LOG_FOLDER, request_stop, start_workers
from ui.number_table import number_table, readable_number
from ui.run_store import run_store
from ui.sweep_plots import sweep_plots

STUDY_KEY = "sw_study"


def study_picker(storage: str | None) -> str | None:
    """The study to show, newest first (the one just started is chosen); None when there is none."""
    names = list(reversed(list_studies(storage)))
    if not names:
        return None
    if st.session_state.get(STUDY_KEY) not in names:
        st.session_state[STUDY_KEY] = names[0]
    return st.selectbox("Study", names, key=STUDY_KEY)


def objective_names(config: SweepConfig) -> list[str]:
    names = [OBJECTIVES[config.objective].title]
    if config.second_objective:
        names.append(SECOND_OBJECTIVES[config.second_objective].title)
    return names


def worker_error(name: str) -> str | None:
    """The error the study's newest worker ended with (the last line of its log, data/sweeps/logs), or None.
    A worker that fails before its first trial leaves no trace in the study itself."""
    prefix = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[:80] + "-"  # as worker.start_workers
    logs = data_dir() / "sweeps" / LOG_FOLDER
    mine = [p for p in logs.glob(f"{glob.escape(prefix)}*.log") if re.fullmatch(r"\d+-\d+\.log", p.name[len(prefix) :])]
    if not mine:
        return None
    lines = max(mine, key=lambda p: p.stat().st_mtime).read_text(errors="replace").strip().splitlines()
    return lines[-1].removeprefix("error: ") if lines and lines[-1].startswith("error: ") else None


def _budget_text(status: SweepStatus) -> str:
    parts = []
    if status.budget_trials is not None:
        parts.append(f"{status.finished} of {status.budget_trials} trials")
    else:
        parts.append(f"{status.finished} trials")
    counts = [(status.complete, "complete"), (status.pruned, "pruned"), (status.failed, "failed")]
    parts[0] += " (" + ", ".join(f"{n} {word}" for n, word in counts if n) + ")" if status.finished else ""
    if status.running:
        parts.append(f"{status.running} running")
    time_text = duration_text(status.elapsed_seconds)
    if status.budget_seconds is not None:
        time_text += f" of {duration_text(status.budget_seconds)}"
    parts.append(time_text)
    return " · ".join(parts)


def _fraction(status: SweepStatus) -> float:
    shares = []
    if status.budget_trials:
        shares.append(status.finished / status.budget_trials)
    if status.budget_seconds:
        shares.append(status.elapsed_seconds / status.budget_seconds)
    return min(max(max(shares, default=0.0), 0.0), 1.0)


def ended_status(study, status: SweepStatus) -> SweepStatus:
    """`status` with, once the study is done, the seconds from its start to its last trial's end (sweep_status
    counts to now, which would keep growing on a study that has ended)."""
    started = study.user_attrs.get(STARTED_ATTR)
    ends = [t.datetime_complete.timestamp() for t in study.get_trials(deepcopy=False) if t.datetime_complete]
    if not status.done or started is None or not ends:
        return status
    return replace(status, elapsed_seconds=max(0.0, max(ends) - float(started)))


def _resume_button(name: str, storage: str | None, column) -> None:
    if column.button("Resume", key=f"sw_resume_{name}"):
        start_workers(name, storage, 1, store=run_store())
        st.rerun(scope="app")


def status_view(name: str, storage: str | None, status: SweepStatus, config: SweepConfig) -> None:
    """Progress with Stop while it runs; what ended it, and Resume where budget is left, once it does not."""
    best = "none yet" if status.best_value is None else readable_number(status.best_value)
    text = f"{_budget_text(status)} · best {OBJECTIVES[config.objective].title}: {best}"
    left, right = st.columns([5, 1], vertical_alignment="bottom")
    left.progress(_fraction(status), text=text)
    # A worker that died leaves its trial 'running' in the study; only its log says what happened.
    error = None if status.done or status.active_workers else worker_error(name)
    if error:
        st.error(f"The study's worker stopped: {error}", icon=":material/error:")
        _resume_button(name, storage, right)
    elif status.stopped:
        st.caption(
            "Stopping: the running trial ends at its next batch." if status.running
            else "Stopped: no trial is running. Resume runs the rest of its budget."
        )  # fmt: skip
        _resume_button(name, storage, right)
    elif status.done:
        st.caption("Done: its budget is spent.")
    else:
        if right.button("Stop", key=f"sw_stop_{name}"):
            request_stop(name, storage, run_store())
            st.toast(f"Stopping {name}: no new trial starts; running ones stop at their next batch.")
        if not status.running and not status.active_workers:
            st.caption("No worker is running this study yet (a started one joins within a few seconds).")


def trials_table(study, config: SweepConfig, name: str) -> None:
    frame = trials_frame(study, config).drop(columns=["value"])
    if frame.empty:
        st.info("No trial has started yet.", icon=":material/hourglass_empty:")
        return
    if frame["error"].isna().all():
        frame = frame.drop(columns=["error"])
    number_table(frame, key=f"sw_trials_{name}")
    st.caption("Click a column to sort. Each trial is a normal run (tagged sweep:<study>) in the leaderboard.")
    st.download_button(
        "Trials as CSV", frame.to_csv(index=False), f"{name}-trials.csv", "text/csv", key=f"sw_trials_csv_{name}"
    )


def live_study(name: str, storage: str | None, shown: tuple[int, bool]) -> None:
    """The study's status, plot and trials. `shown` is (complete trials, done) as the rest of the page last drew
    them: when either changes the whole page refreshes, so its best-configuration and carry-over parts follow."""
    status = sweep_status(name, storage)
    if (status.complete, status.done) != shown:
        st.rerun(scope="app")
    study, config = load_study(name, storage)
    status_view(name, storage, ended_status(study, status), config)
    sweep_plots(study, objective_names(config), key="sw_plot")
    st.subheader("Trials")
    trials_table(study, config, name)
