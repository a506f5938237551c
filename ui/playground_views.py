"""What the Playground shows of its network: the epoch and losses, the diagram, the output over the plane, the
loss curves, and the math of one neuron at the last step."""

from __future__ import annotations

import base64

import numpy as np
import pandas as pd
import streamlit as st

from core.playground.features import FEATURES
from core.playground.session import Playground
from core.plots.playground_pictures import loss_png, network_png, points_layer, surface_png

SURFACE_RESOLUTION, NODE_RESOLUTION = 50, 16
POINTS_LAYER = "pg_points_layer"


def data_uri(png: bytes) -> str:
    """The picture inline in the page: a redraw many times a second must not leave the browser asking for an image
    file the server has already let go (st.image serves bytes as files, and as JPEG unless told otherwise)."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def column_titles(playground: Playground) -> list[str]:
    return ["input"] + [f"layer {n}" for n in range(1, len(playground.setup.hidden) + 1)] + ["output"]


def epoch_counter(playground: Playground) -> None:
    _, train_loss, test_loss = playground.history[-1]
    st.markdown(
        f"#### Epoch {playground.epoch:,} <small>· train loss {train_loss:.3f} · test loss {test_loss:.3f}</small>",
        unsafe_allow_html=True,
    )


def network_view(playground: Playground) -> None:
    small = playground.surface(NODE_RESOLUTION)
    labels = [FEATURES[name].plain for name in playground.setup.features]
    picture = network_png(
        labels, small.features, small.neurons, small.output, playground.weights(), column_titles(playground)
    )
    st.image(
        data_uri(picture),
        caption="Each square shows what its neuron computes over the plane (blue positive, orange "
        "negative); links are blue for positive weights, orange for negative, wider for larger.",
    )


def output_view(playground: Playground) -> None:
    s, data = playground.setup, playground.data
    surface = playground.surface(SURFACE_RESOLUTION)
    # The points change with the data only: draw them once, not on every frame while playing.
    key = (id(data), s.show_test)
    cached = st.session_state.get(POINTS_LAYER)
    if cached is None or cached[0] != key:
        test = (data.test_points, data.test_labels) if s.show_test else None
        layer = points_layer(surface.xs, surface.ys, (data.train_points, data.train_labels), test)
        cached = st.session_state[POINTS_LAYER] = (key, layer)
    st.markdown("**Output**")
    st.image(data_uri(surface_png(surface.output, cached[1], discretize=s.discretize)))
    st.image(data_uri(loss_png(playground.history)))
    accuracy = playground.accuracy()
    axes = f"Across: {data.axis_names[0]}, up: {data.axis_names[1]}."
    if accuracy:
        axes += f" On the right side of 0: train {accuracy[0]:.0%}, test {accuracy[1]:.0%}."
    st.caption(f"{axes} {data.description}.")


def math_view(playground: Playground) -> None:
    """One neuron's weights, pre-activation, activation and gradients at the last step, next to the formulas."""
    titles = column_titles(playground)
    choices = [(unit.name, n) for unit in playground.units for n in range(unit.dense.n_out)]
    names = {unit.name: titles[number + 1] for number, unit in enumerate(playground.units)}
    chosen = st.selectbox(
        "Neuron", choices, key="pg_math_neuron", format_func=lambda c: f"{names[c[0]]}, neuron {c[1] + 1}"
    )
    math = playground.neuron_math(*chosen) if chosen in choices else None
    if math is None:
        st.info("Press Step (or Play): the math is of the last training step.", icon=":material/info:")
        return
    unit_index = [u.name for u in playground.units].index(math.unit)
    if unit_index == 0:
        source = [FEATURES[n].label for n in playground.setup.features]
    else:
        source = [f"{titles[unit_index]} {i + 1}" for i in range(len(math.inputs))]
    st.latex(
        r"z = \sum_i w_i x_i + b, \qquad a = f(z), \qquad w_i \leftarrow w_i - \eta\,\frac{\partial L}{\partial w_i}"
    )
    table = pd.DataFrame(
        {
            "input": source,
            "x (first example of the batch)": math.inputs,
            "w": math.weights,
            "∂L/∂w (batch mean)": math.weight_gradients,
            "w after the step": math.weights - math.learning_rate * math.weight_gradients,
        }
    )
    st.dataframe(
        table,
        key="pg_math_table",
        hide_index=True,
        column_config={c: st.column_config.NumberColumn(format="%.4f") for c in table.columns[1:]},
    )
    z = float(np.dot(math.inputs, math.weights) + math.bias)
    st.markdown(
        f"b = {math.bias:.4f}, ∂L/∂b = {math.bias_gradient:.4f}  \n"
        f"z = Σ w·x + b = **{math.pre_activation:.4f}** (from the table: {z:.4f}); "
        f"a = {math.activation.lower()}(z) = **{math.output:.4f}**  \n"
        f"η = {math.learning_rate:g}: each weight moves by −η·∂L/∂w."
    )
