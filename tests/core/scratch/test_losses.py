"""Losses against torch (value and gradient, float64) and finite differences."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from core.scratch.losses import HalfSquaredError, MeanSquaredError, SigmoidBinaryCrossEntropy, SoftmaxCrossEntropy
from tests.core.scratch.oracle import assert_close

rng = np.random.default_rng(0)
LOGITS = rng.standard_normal((8, 4)) * 3
TARGETS = np.array([0, 1, 2, 3, 3, 2, 1, 0])


def torch_value_and_grad(fn, logits, *args):
    t = torch.tensor(logits, requires_grad=True)
    value = fn(t, *args)
    value.backward()
    return value.item(), t.grad


def numeric_grad(loss, logits, h=1e-6):
    grad = np.zeros_like(logits)
    for index in np.ndindex(logits.shape):
        plus, minus = logits.copy(), logits.copy()
        plus[index] += h
        minus[index] -= h
        grad[index] = (loss(plus)[0] - loss(minus)[0]) / (2 * h)
    return grad


@pytest.mark.parametrize(
    "weights, smoothing",
    [(None, 0.0), (None, 0.1), (np.array([1.0, 2.0, 0.5, 3.0]), 0.0), (np.array([1.0, 2.0, 0.5, 3.0]), 0.2)],
)
def test_softmax_cross_entropy_against_torch(weights, smoothing):
    loss = SoftmaxCrossEntropy(weights, smoothing)
    value, grad = loss(LOGITS.copy(), TARGETS)
    weight = None if weights is None else torch.tensor(weights)
    expected, expected_grad = torch_value_and_grad(
        lambda t: F.cross_entropy(t, torch.tensor(TARGETS), weight=weight, label_smoothing=smoothing), LOGITS
    )
    assert value == pytest.approx(expected, rel=1e-9)
    assert_close(grad, expected_grad)
    np.testing.assert_allclose(grad, numeric_grad(lambda z: loss(z, TARGETS), LOGITS), rtol=1e-5, atol=1e-8)


def test_softmax_cross_entropy_is_stable_for_huge_logits():
    logits = np.array([[1000.0, -1000.0], [-1000.0, 1000.0]])
    value, grad = SoftmaxCrossEntropy()(logits, np.array([1, 1]))
    assert value == pytest.approx(1000.0) and np.isfinite(grad).all()


def test_sigmoid_binary_cross_entropy_against_torch():
    targets = (rng.random((8, 4)) > 0.5).astype(float)
    logits = LOGITS.copy()
    logits[0, 0] = 60.0  # where log(sigmoid) would overflow if written naively
    value, grad = SigmoidBinaryCrossEntropy()(logits, targets)
    expected, expected_grad = torch_value_and_grad(
        lambda t: F.binary_cross_entropy_with_logits(t, torch.tensor(targets)), logits
    )
    assert value == pytest.approx(expected, rel=1e-9)
    assert_close(grad, expected_grad)
    np.testing.assert_allclose(
        grad, numeric_grad(lambda z: SigmoidBinaryCrossEntropy()(z, targets), logits), rtol=1e-5, atol=1e-8
    )


def test_half_squared_error_against_torch():
    """The Playground's loss: half of torch's mean squared error, for a tanh output and targets -1 and +1."""
    outputs, targets = np.tanh(LOGITS[:, :1]), np.where(TARGETS[:, None] > 1, 1.0, -1.0)
    value, grad = HalfSquaredError()(outputs.copy(), targets)
    expected, expected_grad = torch_value_and_grad(lambda t: 0.5 * F.mse_loss(t, torch.tensor(targets)), outputs)
    assert value == pytest.approx(expected, rel=1e-12)
    assert_close(grad, expected_grad)


def test_mean_squared_error_against_torch():
    targets = rng.standard_normal((8, 4))
    value, grad = MeanSquaredError()(LOGITS.copy(), targets)
    expected, expected_grad = torch_value_and_grad(lambda t: F.mse_loss(t, torch.tensor(targets)), LOGITS)
    assert value == pytest.approx(expected, rel=1e-12)
    assert_close(grad, expected_grad)
