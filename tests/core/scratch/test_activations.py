"""Every activation against torch autograd (float64, rtol 1e-6) and finite differences, including inputs far
out where a naive formula overflows."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from core.errors import TrainboardError
from core.models.mlp import ACTIVATION_NAMES
from core.scratch.activations import ACTIVATIONS, make_activation
from tests.core.scratch.oracle import against_torch, finite_differences

TORCH = {
    "linear": lambda x: x,
    "relu": torch.relu,
    "leaky_relu": lambda x: F.leaky_relu(x, 0.01),
    "elu": F.elu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "softmax": lambda x: torch.softmax(x, dim=-1),
    "gelu": F.gelu,
}


def inputs(seed=0):
    x = np.random.default_rng(seed).standard_normal((6, 5)) * 3
    x[0, :3] = [-40.0, 40.0, 0.0]  # saturated ends and the kink
    return x


def test_the_registry_is_the_issues_list_plus_the_mlps():
    assert set(ACTIVATIONS) == set(TORCH)
    assert set(ACTIVATION_NAMES) <= set(ACTIVATIONS), "numpy-mlp takes every activation the torch mlp takes"


@pytest.mark.parametrize("name", list(TORCH))
def test_against_torch(name):
    against_torch(make_activation(name), lambda tx, p: TORCH[name](tx), inputs())


@pytest.mark.parametrize("name", list(TORCH))
def test_finite_differences(name):
    x = inputs(1)
    x[0, :3] = [-4.0, 4.0, 0.5]  # finite differences straddle a kink at 0, so keep away from it
    finite_differences(make_activation(name), x, n_checks=20)


def test_sigmoid_keeps_tiny_outputs_precise_and_softmax_does_not_overflow():
    from core.scratch.activations import sigmoid, softmax

    assert sigmoid(np.array([-745.0]))[0] == pytest.approx(torch.sigmoid(torch.tensor([-745.0], dtype=torch.float64)))
    probabilities = softmax(np.array([[1000.0, 0.0, -1000.0]]))
    assert np.isfinite(probabilities).all() and probabilities[0, 0] == 1.0


def test_an_unknown_name_lists_the_known_ones():
    with pytest.raises(TrainboardError, match="activation: 'swish' is not one of linear, relu, leaky_relu, elu"):
        make_activation("swish")
