"""Playground page: TensorFlow Playground on the NumPy engine. Pick data and inputs, shape the network, press
Play and watch every neuron learn; then the challenges, many seeds, a run for Neural Nets, and the logbook's
spreadsheet exercises."""

import streamlit as st

from core.errors import TrainboardError
from ui.playground_controls import data_controls, feature_controls, layer_controls, network_options, top_bar
from ui.playground_extras import challenge_view, convergence_controls, send_controls, share_link
from ui.playground_gates import gates_tab
from ui.playground_state import (
    PENDING_STEPS,
    PLAYGROUND,
    PLAYING,
    PROBLEMS,
    current_playground,
    setup_from_widgets,
    start_from_url,
    user_points,
    write_url,
)
from ui.playground_views import epoch_counter, math_view, network_view, output_view

FRAME_SECONDS = 0.05  # the redraw timer while playing: 20 a second at most; a redraw takes 20-40 ms here

st.title(
    "Playground",
    help="TensorFlow Playground on Trainboard's NumPy engine (core/scratch): every number here "
    "can be traced to its code",
)
start_from_url()
for problem in st.session_state[PROBLEMS]:
    st.warning(problem, icon=":material/link_off:")


def apply_controls():
    """Read every control, make the session's network follow them, mirror them in the URL. A setup that cannot be
    trained (no inputs, a bad CSV) is reported where it was made, and the last working network stays."""
    data = st.container()
    with data:
        data_controls()
    inputs, options = st.columns([1.25, 1.75], gap="medium")
    with inputs:
        feature_controls()
    with options:
        network_options()
    layers = st.container()
    with layers:
        layer_controls()
    try:
        setup = setup_from_widgets()
        current_playground(setup, user_points(setup))
        write_url(setup)
    except TrainboardError as err:
        where = data if any(word in str(err) for word in ("csv", "CSV", "real data", "dataset")) else layers
        where.error(str(err), icon=":material/error:")
    return st.session_state.get(PLAYGROUND)


def live_views() -> None:
    """What playing redraws, and nothing else: a step (or a few), the counter, the diagram, the output. A fragment,
    so the controls above stay still and keep working while it plays."""
    playground = st.session_state[PLAYGROUND]
    steps = st.session_state.pop(PENDING_STEPS, 0) + (st.session_state["pg_speed"] if st.session_state[PLAYING] else 0)
    playground.step(steps)
    if playground.diverged and st.session_state[PLAYING]:
        st.session_state[PLAYING] = False
        st.rerun()  # stop the timer; the page stays usable
    epoch_counter(playground)
    if playground.diverged:
        st.error(playground.diverged, icon=":material/warning:")
    network, output = st.columns([1.45, 1], gap="medium")
    with network:
        network_view(playground)
    with output:
        output_view(playground)
    challenge, math = st.columns(2)
    with challenge, st.container(border=True):
        challenge_view(playground)
    with math, st.container(border=True):
        if st.toggle("Show the math", key="pg_show_math", help="one neuron's numbers at the last training step"):
            math_view(playground)


live, gates = st.tabs(["Network", "Logic gates and spreadsheet exercises"])
with live:
    top_bar()
    playground = apply_controls()
    if playground is not None:
        st.fragment(live_views, run_every=FRAME_SECONDS if st.session_state[PLAYING] else None)()
        with st.expander("How often does it converge? Train this setup from many seeds", icon=":material/casino:"):
            convergence_controls(playground)
        with st.expander("Send to Neural Nets", icon=":material/send:"):
            send_controls(playground)
        with st.expander("Share this setup", icon=":material/link:"):
            share_link()
with gates:
    gates_tab()
