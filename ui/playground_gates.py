"""The Playground's second tab: the logbook's spreadsheet exercises (AND perceptron, XOR 2-2-1, decoder)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.errors import TrainboardError
from core.playground.gates import INPUTS, START_HELP, GateRun, run_gate
from core.plots.playground import cost_curves_figure


@st.cache_data(show_spinner=False, max_entries=64)
def _run(name: str, **options) -> GateRun:
    return run_gate(name, **options)


def _numbers(label: str, default: str, key: str, help_text: str) -> list[float] | None:
    text = st.text_input(label, default, key=key, help=help_text)
    if not text.strip():
        return None
    try:
        return [float(item) for item in text.split(",")]
    except ValueError:
        raise TrainboardError(f"{label}: {text!r} is not a comma-separated list of numbers") from None


def _settings(prefix: str, epochs: int, lr: float, threshold: float) -> dict:
    a, b, c = st.columns(3)
    return {
        "epochs": int(a.number_input("Epochs", 1, 100_000, epochs, key=f"{prefix}_epochs")),
        "lr": float(b.number_input("Learning rate", 0.001, 100.0, lr, format="%.3f", key=f"{prefix}_lr")),
        "threshold": float(c.number_input("Threshold", 0.0, 10.0, threshold, format="%.3f", key=f"{prefix}_threshold")),
    }


def _said(run: GateRun) -> str:
    when = "never" if run.first_below is None else f"first at epoch **{run.first_below}**"
    return f"{run.label}: cost below {run.threshold:g} {when}; final cost {run.costs[-1]:.4f}."


def _outputs(runs: list[GateRun], targets: list) -> pd.DataFrame:
    table = pd.DataFrame(INPUTS.astype(int), columns=["x1", "x2"])
    table["target"] = targets
    for run in runs:
        outputs = run.outputs
        table[run.label] = (
            [", ".join(f"{v:.3f}" for v in row) for row in outputs] if outputs.shape[1] > 1 else outputs[:, 0]
        )
    return table


def and_exercise() -> None:
    st.markdown("**A perceptron learns AND**: one unit, the mean squared error, one step per epoch on the four rows.")
    options = _settings("pg_and", 70, 0.1, 0.09)
    weights, bias, unit = st.columns(3)
    with weights:
        options["weights"] = _numbers("Starting weights w1, w2", "0, 0", "pg_and_weights", START_HELP["AND"][0])
    with bias:
        options["bias"] = _numbers("Starting bias b", "0", "pg_and_bias", START_HELP["AND"][1])
    options["activation"] = unit.radio("Unit", ("linear", "sigmoid"), key="pg_and_activation", horizontal=True)
    run = _run("AND", **options)
    st.markdown(_said(run))
    st.plotly_chart(
        cost_curves_figure([(run.label, run.costs, run.first_below)], run.threshold, "AND: cost per epoch"),
        key="pg_and_fig",
    )
    left, right = st.columns([2, 1])
    table = pd.DataFrame(run.parameters, index=pd.RangeIndex(1, len(run.parameters) + 1, name="epoch"))
    table.columns = ["w1", "w2", "b"]
    table.insert(0, "cost", run.costs)
    left.dataframe(table, key="pg_and_table", height=260)
    right.dataframe(_outputs([run], [0, 0, 0, 1]), key="pg_and_outputs", hide_index=True)


def xor_exercise() -> None:
    st.markdown("**A 2-2-1 network learns XOR**: sigmoid against tanh hidden units, from the same start.")
    options = _settings("pg_xor", 2000, 1.0, 0.05)
    weights, bias = st.columns(2)
    with weights:
        options["weights"] = _numbers(
            "Starting weights", "0.8, -0.6, 0.7, -0.9, 0.6, 0.6", "pg_xor_weights", START_HELP["XOR"][0]
        )
    with bias:
        options["bias"] = _numbers("Starting biases", "-0.3, 0.4, 0", "pg_xor_bias", START_HELP["XOR"][1])
    runs = [_run("XOR", activation=name, **options) for name in ("sigmoid", "tanh")]
    st.markdown("  \n".join(_said(run) for run in runs))
    curves = [(run.label, run.costs, run.first_below) for run in runs]
    st.plotly_chart(cost_curves_figure(curves, options["threshold"], "XOR: cost per epoch"), key="pg_xor_fig")
    st.dataframe(_outputs(runs, [0, 1, 1, 0]), key="pg_xor_outputs", hide_index=True)


def decoder_exercise() -> None:
    st.markdown(
        "**Binary to decimal**: two bits in, four classes out with a softmax, with and without a sigmoid before it."
    )
    options = _settings("pg_dec", 500, 1.0, 0.1)
    runs = [_run("decoder", sigmoid_before_softmax=flag, **options) for flag in (False, True)]
    st.markdown("  \n".join(_said(run) for run in runs))
    curves = [(run.label, run.costs, run.first_below) for run in runs]
    st.plotly_chart(
        cost_curves_figure(curves, options["threshold"], "Decoder: cross-entropy per epoch"), key="pg_dec_fig"
    )
    st.caption("Final outputs per input row: the probabilities of 0, 1, 2 and 3.")
    st.dataframe(_outputs(runs, [0, 1, 2, 3]), key="pg_dec_outputs", hide_index=True)


def gates_tab() -> None:
    for exercise in (and_exercise, xor_exercise, decoder_exercise):
        with st.container(border=True):
            try:
                exercise()
            except TrainboardError as err:
                st.error(str(err), icon=":material/error:")
