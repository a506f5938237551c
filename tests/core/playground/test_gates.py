"""The logbook's spreadsheet exercises: checked against hand-computed steps and the curves they report."""

import math

import numpy as np
import pytest

from core.errors import TrainboardError
from core.playground.gates import AND_TARGETS, INPUTS, decoder, perceptron_and, run_gate, xor_mlp


def test_the_and_perceptron_steps_as_the_delta_rule_says():
    run = perceptron_and(epochs=3, lr=0.1, weights=(0.2, -0.1), bias=0.05)
    w, b = np.array([0.2, -0.1]), 0.05
    for epoch in range(3):
        out = INPUTS @ w + b
        assert run.costs[epoch] == pytest.approx(np.mean((out - AND_TARGETS) ** 2))
        grad = 2 * (out - AND_TARGETS) / 4
        w, b = w - 0.1 * INPUTS.T @ grad, b - 0.1 * grad.sum()
        row = run.parameters[epoch]
        assert [row["dense.weight[0,0]"], row["dense.weight[1,0]"], row["dense.bias[0]"]] == pytest.approx([*w, b])


def test_the_and_cost_falls_and_first_below_is_where_the_curve_crosses():
    run = perceptron_and(epochs=70, lr=0.1, threshold=0.09)
    costs = np.array(run.costs)
    assert len(costs) == 70 and np.all(np.diff(costs) <= 1e-12)
    crossed = np.flatnonzero(costs < 0.09)
    assert run.first_below == crossed[0] + 1 and costs[run.first_below - 2] >= 0.09
    assert np.array_equal(run.outputs[:, 0] > 0.5, AND_TARGETS > 0.5), "the unit computes AND"
    assert perceptron_and(epochs=70, lr=0.1, threshold=0.01).first_below is None


def test_xor_is_solved_by_2_2_1_tanh_and_tanh_learns_faster_than_sigmoid():
    tanh, sigmoid = xor_mlp("tanh"), xor_mlp("sigmoid")
    assert tanh.costs[-1] < 0.01
    assert np.array_equal(np.round(tanh.outputs[:, 0]), [0, 1, 1, 0])
    assert tanh.first_below < sigmoid.first_below


def test_a_sigmoid_before_the_softmax_ends_with_a_higher_cost():
    plain, squashed = decoder(False), decoder(True)
    assert squashed.costs[-1] > plain.costs[-1] + 0.5
    bound = -math.log(math.e / (math.e + 3))  # the best a softmax of logits in (0, 1) can do
    assert squashed.costs[-1] > bound - 1e-9
    assert np.array_equal(plain.outputs.argmax(axis=1), [0, 1, 2, 3])
    np.testing.assert_allclose(plain.outputs.sum(axis=1), 1)


def test_run_gate_maps_flat_starts_and_names_wrong_counts():
    custom = run_gate("XOR", activation="tanh", weights=[0.8, -0.6, 0.7, -0.9, 0.6, 0.6], bias=[-0.3, 0.4, 0])
    assert custom.costs == xor_mlp("tanh").costs
    with pytest.raises(TrainboardError, match=r"weights: AND takes 2 numbers \(w1, w2\), got 3"):
        run_gate("AND", weights=[1, 2, 3])
    with pytest.raises(TrainboardError, match="gate 'NAND'"):
        run_gate("NAND")
    with pytest.raises(TrainboardError, match="sigmoid or tanh"):
        run_gate("XOR", activation="relu")
    with pytest.raises(TrainboardError, match="epochs 0"):
        run_gate("AND", epochs=0)
