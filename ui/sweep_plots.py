"""A study's plots on a page: one chosen at a time (each is drawn from the stored trials on every refresh while
the study runs, and one is cheaper to redraw than seven), or the sentence saying why it is not there yet."""

from __future__ import annotations

from collections.abc import Sequence

import optuna
import streamlit as st

from core.plots.sweeps import PLOTS, contour_defaults, sweep_figure, varying_params

PARAM_PLOTS = ("parallel", "slice", "contour")


def plot_choice(key: str) -> str:
    """The plot to show, kept across reruns (a segmented control never empty: a click on the chosen one keeps it)."""
    state = f"{key}_kept"
    chosen = st.segmented_control("Plot", list(PLOTS), format_func=PLOTS.get, key=key, default="history")
    if chosen is None:
        chosen = st.session_state.get(state, "history")
    st.session_state[state] = chosen
    return chosen


def chosen_params(kind: str, study: optuna.Study, key: str) -> list[str]:
    varying = varying_params(study)
    if kind not in PARAM_PLOTS or len(varying) < 2:
        return []
    if kind == "contour":
        left, right = st.columns(2)
        first, second = contour_defaults(study)
        x = left.selectbox("x", varying, index=varying.index(first), key=f"{key}_x")
        others = [p for p in varying if p != x]
        y = right.selectbox("y", others, index=others.index(second) if second in others else 0, key=f"{key}_y")
        return [x, y]
    return st.multiselect("Parameters", varying, default=varying, key=f"{key}_{kind}_params")


def sweep_plots(study: optuna.Study, names: Sequence[str], key: str) -> None:
    """The chosen plot of `study` (objectives labelled by `names`), or an info line saying why it is not there."""
    kind = plot_choice(key)
    params = chosen_params(kind, study, key)
    result = sweep_figure(kind, study, names, params)
    if isinstance(result, str):
        st.info(result, icon=":material/hourglass_empty:")
    else:
        st.plotly_chart(result, key=f"{key}_{kind}_chart")
