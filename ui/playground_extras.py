"""Beyond the Playground: challenges, "how often does it converge?", sending the network to Neural Nets, and
the link that reproduces the setup."""

from __future__ import annotations

import streamlit as st

from core.errors import TrainboardError
from core.playground.challenges import CHALLENGES, judge
from core.playground.convergence import DEFAULT_SEEDS, ConvergenceStudy
from core.playground.send import ENGINES, send_to_runs
from core.playground.session import Playground
from core.plots.playground import convergence_figure
from core.runs import jobs
from ui.run_store import run_store

STUDY, BEST = "pg_study", "pg_best"


def challenge_view(playground: Playground) -> None:
    name = st.selectbox(
        "Challenge",
        [None, *CHALLENGES],
        key="pg_challenge",
        placeholder="none",
        format_func=lambda n: "none" if n is None else CHALLENGES[n].title,
    )
    if name is None:
        return
    challenge = CHALLENGES[name]
    verdict = judge(challenge, playground)
    if not verdict.met:
        st.info(verdict.message, icon=":material/flag:")
        return
    best = st.session_state.setdefault(BEST, {})
    if challenge.fewest_neurons:
        best[name] = min(best.get(name, verdict.neurons), verdict.neurons)
        fewest = f" Fewest hidden neurons that met it in this session: {best[name]}."
    else:
        fewest = ""
    st.success(f"Challenge met! {verdict.message}{fewest}", icon=":material/emoji_events:")


def convergence_controls(playground: Playground) -> None:
    """Start a study of the current setup from many seeds; it runs in a background thread."""
    seeds, epochs, goal = st.columns(3)
    n_seeds = seeds.number_input("Seeds", 2, 200, DEFAULT_SEEDS, key="pg_seeds")
    # Empty means "as many as the network has trained": a default that follows the Playground, not its first value.
    trained = max(playground.epoch, 100)
    n_epochs = (
        epochs.number_input(
            "Epochs per seed",
            1,
            5000,
            None,
            key="pg_seed_epochs",
            placeholder=f"as trained so far, at least 100: {trained}",
        )
        or trained
    )
    goal.number_input("Goal: test loss at most", 0.0, 2.0, 0.177, step=0.01, format="%.3f", key="pg_goal")
    study: ConvergenceStudy | None = st.session_state.get(STUDY)
    if st.button("Train from every seed", key="pg_study_start", disabled=bool(study and study.running)):
        try:
            points = playground.user_points
            st.session_state[STUDY] = ConvergenceStudy(playground.setup, int(n_epochs), int(n_seeds), points).start()
        except TrainboardError as err:
            st.error(str(err), icon=":material/error:")
    study = st.session_state.get(STUDY)
    if study is not None:
        st.fragment(_study_progress, run_every=0.5 if study.running else None)(study)


def _study_progress(study: ConvergenceStudy) -> None:
    goal = st.session_state["pg_goal"]
    done = len(study.results)
    if study.error:
        st.error(f"The study stopped: {study.error}", icon=":material/error:")
    if study.running:
        st.progress(done / study.seeds, text=f"Seed {done + 1} of {study.seeds}...")
        if st.button("Stop the study", key="pg_study_stop"):
            study.cancel()
    elif done:
        share = study.share_reaching(goal)
        st.caption(f"{share:.0%} of {done} seeds reach test loss ≤ {goal:g} after {study.epochs} epochs.")
    if done:
        st.plotly_chart(
            convergence_figure(study.losses(), goal, study.epochs, study.share_reaching(goal)), key="pg_study_fig"
        )
    if not study.running and done and st.session_state.get("pg_study_was_running"):
        st.session_state["pg_study_was_running"] = False
        st.rerun()  # the whole page: the study's timer stops
    st.session_state["pg_study_was_running"] = study.running


def send_controls(playground: Playground) -> None:
    engine, epochs = st.columns(2)
    model = engine.selectbox("Engine", list(ENGINES), key="pg_send_model", format_func=lambda m: f"{m} ({ENGINES[m]})")
    trained = max(playground.epoch, 1)
    n_epochs = (
        epochs.number_input("Epochs", 1, 5000, None, key="pg_send_epochs", placeholder=f"as trained so far: {trained}")
        or trained
    )
    st.caption(
        "The same points and inputs, layers, activations, dropout, starting-weight range, batch size and "
        "plain SGD at this learning rate; the run splits the points into its own train, validation and test "
        "sets, and ends in two softmax classes with cross-entropy, as every classifier on Neural Nets."
    )
    if st.button("Send to Neural Nets", key="pg_send", icon=":material/send:"):
        try:
            store = run_store()
            run_id = send_to_runs(playground, store, model, int(n_epochs))
            jobs.submit(run_id, store)
        except TrainboardError as err:
            st.error(str(err), icon=":material/error:")
            return
        st.session_state["pg_sent"] = run_id
    if "pg_sent" in st.session_state:
        st.success(
            f"Run {st.session_state['pg_sent']} is training in the background; it appears in the "
            "leaderboard on Neural Nets (dataset csv) and on Compare.",
            icon=":material/check_circle:",
        )


def share_link() -> None:
    query = "&".join(f"{key}={value}" for key, value in st.query_params.to_dict().items())
    st.caption("The address bar holds the whole setup: copy it to share this experiment.")
    st.code(f"?{query}" if query else "(the defaults: no parameters)", language=None)
