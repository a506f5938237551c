"""The Studies page's rows: one line per reproduction (what it trains, the study's figures, ours, Run), and
the progress of the reproductions running in the background, polled."""

from __future__ import annotations

import streamlit as st

from core.reproduce import side_by_side, view_of
from core.reproduce.runner import is_reproduction, latest_run
from core.runs.eta import eta_text
from ui.number_table import readable_number
from ui.run_store import run_store


def _figures(rows: list[dict], key: str) -> str:
    shown = [f"{row['figure']} {readable_number(row[key])}" for row in rows if row[key] is not None]
    return "; ".join(shown) or "—"


def exercise_key(reproduction) -> str:
    return f"st_exercise_{reproduction.name}"


def current_view(reproduction, records):
    """(what ours reads: the exercise's last result this session, or the newest finished run's; the run or None)."""
    if reproduction.kind == "exercise":
        return st.session_state.get(exercise_key(reproduction)), None
    record = latest_run(reproduction, records)
    return (view_of(record, run_store()) if record is not None else None), record


def reproduction_row(reproduction, view) -> bool:
    """One reproduction as a row, ours read from `view` (None: not run yet); True when its Run button was
    pressed."""
    model = "exercise" if reproduction.kind == "exercise" else reproduction.resolved()[0]
    published = side_by_side(reproduction, None)
    ours = side_by_side(reproduction, view) if view is not None else []
    title, quoted, measured, button = st.columns([3, 3, 3, 1], vertical_alignment="center")
    title.markdown(f"**{reproduction.title}**  \n`{reproduction.name}` · {model}")
    quoted.caption("Study: " + _figures(published, "published"))
    measured.caption("Ours: " + (_figures(ours, "ours") if view is not None else "not run yet"))
    return button.button("Run", key=f"st_run_{reproduction.name}")


def active_reproductions() -> None:
    """Progress of the reproductions running now; the page refreshes when one ends."""
    runs = [r for r in run_store().list() if r.is_active and is_reproduction(r)]
    watched = st.session_state.setdefault("st_watched", set())
    if watched - {r.id for r in runs}:
        st.session_state["st_watched"] = {r.id for r in runs}
        st.rerun(scope="app")
    st.session_state["st_watched"] = {r.id for r in runs}
    for record in runs:
        text = f"{record.label} · {record.message or record.status}{eta_text(record)}"
        st.progress(min(max(record.fraction or 0.0, 0.0), 1.0), text=text)
