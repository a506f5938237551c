"""Challenges say what is missing, and when met, the network's size."""

from core.playground.challenges import CHALLENGES, judge
from core.playground.session import Playground
from core.playground.setup import Setup


def test_xor_with_two_neurons_is_met_once_the_inputs_are_right():
    wrong_data = Playground(Setup(hidden=(2,), activations=("tanh",)))
    assert "needs the xor dataset" in judge(CHALLENGES["xor_two"], wrong_data).message
    too_big = Playground(Setup(dataset="xor", hidden=(4, 4)))
    assert "at most 2 hidden neurons (now 8)" in judge(CHALLENGES["xor_two"], too_big).message
    playground = Playground(Setup(dataset="xor", features=("x1", "x2", "x1x2"), hidden=(2,), activations=("tanh",)))
    assert not judge(CHALLENGES["xor_two"], playground).met, "not before training"
    playground.step(100)
    verdict = judge(CHALLENGES["xor_two"], playground)
    assert verdict.met and verdict.neurons == 2
    assert "2 hidden neurons in 1 layer" in verdict.message and "(11 weights and biases)" in verdict.message


def test_the_logbooks_goal_counts_neurons():
    playground = Playground(Setup(hidden=(3,), activations=("tanh",)))
    playground.step(300)
    verdict = judge(CHALLENGES["smallest"], playground)
    assert verdict.met == (playground.history[-1][2] <= 0.177)
    assert verdict.met, f"a 3-neuron network solves the circle: {verdict.message}"
    assert verdict.neurons == 3
