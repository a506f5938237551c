"""Studies page: every reference study's configurations by name, the study's published figures beside ours,
and a Run button per configuration (runs go to the background workers like any other, tagged with their name,
and land in the leaderboard and on Compare; exercises run here in a moment)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.errors import TrainboardError
from core.reproduce import STUDIES, list_reproductions, side_by_side
from core.reproduce.exercises import run_exercise
from core.reproduce.runner import is_reproduction, start
from core.runs import jobs
from ui.number_table import number_table
from ui.run_store import run_store
from ui.studies_rows import active_reproductions, current_view, exercise_key, reproduction_row


def run(reproduction, limit: int | None, epochs: int | None) -> None:
    if reproduction.kind == "exercise":
        with st.spinner(f"Running {reproduction.title}..."):
            st.session_state[exercise_key(reproduction)] = run_exercise(reproduction.exercise, epochs)
        return
    store = run_store()
    run_id = start(reproduction, store, limit, epochs)
    jobs.submit(run_id, store)
    st.toast(f"Started {reproduction.name}; it goes on if you leave the page.")


def quick_look() -> tuple[int | None, int | None]:
    st.caption("A quick look trains on fewer rows or epochs than the study did (0: as the study did).")
    left, right = st.columns(2)
    limit = left.number_input("Rows (0: as the study)", min_value=0, value=0, step=1000, key="st_limit")
    epochs = right.number_input("Epochs (0: as the study)", min_value=0, max_value=1000, value=0, key="st_epochs")
    st.caption("Rows: 0 or more; epochs: allowed 0 to 1000.")
    return int(limit) or None, int(epochs) or None


def details(reproduction, view, record) -> None:
    """The side-by-side table of one reproduction: the study's figures, ours from its latest run (`record`) or
    this session's exercise result."""
    if record is not None:
        st.caption(f"Ours: run **{record.label}** ({record.id}), in the leaderboard and on Compare.")
    if reproduction.differs:
        st.warning(reproduction.differs, icon=":material/info:")
    rows = side_by_side(reproduction, view)
    if not rows:
        st.info("The study quotes no figure for this one; run it to see ours.")
        return
    number_table(pd.DataFrame(rows), key=f"st_table_{reproduction.name}")


st.title("Reference studies")
st.caption(
    "The five studies Trainboard grew out of, reproduced by name (also `python -m core reproduce NAME`). "
    "Where a study trained on a GPU or on other data, the table says so instead of comparing."
)
try:
    study = st.selectbox("Study", list(STUDIES), format_func=STUDIES.get, key="st_study")
    limit, epochs = quick_look()
    reproductions = list_reproductions(study)
    records = run_store().list()
    running = [r for r in records if r.is_active and is_reproduction(r)]
    st.fragment(run_every=1.0 if running else None)(active_reproductions)()
    views = {r.name: current_view(r, records) for r in reproductions}  # each run's history read once a rerun
    pressed = [r for r in reproductions if reproduction_row(r, views[r.name][0])]
    if pressed:
        run(pressed[0], limit, epochs)
        st.rerun()  # the rows above were drawn before it ran: draw them again with its result or its progress
    st.subheader("Side by side")
    by_name = {r.name: r for r in reproductions}
    chosen = st.selectbox("Configuration", list(by_name), key="st_chosen", format_func=lambda n: by_name[n].title)
    details(by_name[chosen], *views[chosen])
except TrainboardError as error:
    st.error(str(error), icon=":material/error:")
