"""The Playground network: a step is the gradient step it should be (checked by hand), it solves what it should,
live changes keep the weights, a too-large learning rate is reported as diverged, and what the views read."""

import numpy as np
import pytest

from core.playground.session import Playground
from core.playground.setup import Setup


def test_one_full_batch_epoch_is_one_gradient_step_of_half_the_squared_error():
    """No hidden layer: out = tanh(x w + b), L = mean (out - y)^2 / 2, so dL/dw = mean((out - y)(1 - out^2) x)."""
    playground = Playground(Setup(dataset="gaussian", hidden=(), activations=(), batch_size=30, train_ratio=10))
    x, y = playground.train_x, playground.data.train_labels
    assert len(y) == 50  # batches of 30 and 20: two steps in the epoch
    w = playground.network.parameters()[0][1].copy()
    b = playground.network.parameters()[1][1].copy()
    order = np.random.default_rng([0, 1]).permutation(50)
    for rows in (order[:30], order[30:]):
        out = np.tanh(x[rows] @ w + b)[:, 0]
        delta = (out - y[rows]) * (1 - out**2) / len(rows)
        w, b = w - 0.03 * (x[rows].T @ delta)[:, None], b - 0.03 * delta.sum()
    playground.step()
    np.testing.assert_allclose(playground.network.parameters()[0][1], w, rtol=1e-12)
    np.testing.assert_allclose(playground.network.parameters()[1][1], b, rtol=1e-12)
    expected = 0.5 * np.mean((np.tanh(x @ w + b)[:, 0] - y) ** 2)
    assert playground.history[-1][1] == pytest.approx(expected)


def test_spiral_from_x1_and_x2_alone_is_solved():
    setup = Setup(dataset="spiral", hidden=(8, 8, 8, 8), activations=("relu",) * 4, lr=0.01)
    playground = Playground(setup)
    playground.step(400)
    assert playground.history[-1][2] < 0.1
    assert playground.accuracy()[1] > 0.95


def test_the_circle_needs_no_hidden_layer_given_the_squares():
    playground = Playground(Setup(features=("x1_sq", "x2_sq"), hidden=(), activations=()))
    playground.step(100)
    assert playground.history[-1][2] < 0.05
    plain = Playground(Setup(hidden=(), activations=()))
    plain.step(100)
    assert plain.history[-1][2] > 0.3, "a straight line cannot separate a circle"


def test_live_changes_keep_the_weights_and_shape_changes_reset():
    playground = Playground(Setup())
    playground.step(5)
    before = playground.network.state_dict()
    assert playground.apply(Setup(lr=0.3, regularization="l2", regularization_rate=0.01, batch_size=5)) == "kept"
    assert playground.epoch == 5 and playground.optimizer.lr == 0.3
    assert all(np.array_equal(before[k], v) for k, v in playground.network.state_dict().items())
    assert playground.apply(Setup(lr=0.3, hidden=(4, 3), activations=("tanh", "tanh"))) == "reset"
    assert playground.epoch == 0 and len(playground.history) == 1
    assert playground.apply(Setup(dataset="xor")) == "new data"
    assert playground.data.description.startswith("Exclusive or")


def test_back_from_the_users_points_to_a_generated_set():
    from core.playground.data import PointSet

    points = PointSet(
        np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.0], [3.0, 1.0]]), np.array([1.0, -1, 1, -1]), "classification", "mine"
    )
    playground = Playground(Setup(dataset="csv", source="mine.csv"), points)
    assert playground.data.description == "mine"
    playground.step(2)
    copy = PointSet(points.points.copy(), points.labels.copy(), "classification", "mine")  # a cache's copy
    assert playground.apply(Setup(dataset="csv", source="mine.csv", lr=0.1), copy) == "kept"
    assert playground.epoch == 2
    assert playground.apply(Setup(dataset="circle"), None) == "new data"
    assert playground.data.description.startswith("Circle") and len(playground.data.train_labels) == 250


def test_regularization_shrinks_the_weights():
    free, l2 = Playground(Setup()), Playground(Setup(regularization="l2", regularization_rate=0.3))
    free.step(50)
    l2.step(50)
    size = lambda p: sum(float(np.abs(a).sum()) for n, a in p.network.parameters() if a.ndim == 2)  # noqa: E731
    assert size(l2) < 0.7 * size(free)


def test_a_learning_rate_too_large_diverges_and_stops_there():
    playground = Playground(Setup(dataset="plane", hidden=(8, 8), activations=("linear", "linear"), lr=10.0))
    playground.step(20)
    assert playground.diverged and "diverged at epoch" in playground.diverged and "lower it" in playground.diverged
    epoch = playground.epoch
    playground.step(5)
    assert playground.epoch == epoch
    playground.apply(Setup(dataset="plane", hidden=(8, 8), activations=("linear", "linear"), lr=0.01, weight_seed=1))
    assert playground.diverged is None
    playground.step(3)
    assert playground.epoch == 3


def test_the_surface_is_the_network_over_the_plane():
    playground = Playground(Setup(features=("x1", "x2", "x1x2"), hidden=(3,), activations=("tanh",)))
    playground.step(3)
    surface = playground.surface(7)
    assert surface.output.shape == (7, 7) and [n.shape for n in surface.neurons] == [(3, 7, 7)]
    row, column = 2, 5
    x1, x2 = surface.xs[column], surface.ys[row]
    x = np.array([[x1, x2, x1 * x2]])
    np.testing.assert_allclose(surface.output[row, column], playground.predict(x)[0])
    hidden = np.tanh(x @ playground.weights()[0] + playground.network.parameters()[1][1])
    np.testing.assert_allclose(surface.neurons[0][:, row, column], hidden[0])
    np.testing.assert_allclose(surface.features[2, row, column], x1 * x2)


def test_the_math_of_a_neuron_adds_up():
    playground = Playground(Setup(regularization="l2", regularization_rate=0.1))
    assert playground.neuron_math("hidden1", 0) is None
    before = playground.weights()[1][:, 2].copy()
    playground.step()
    math = playground.neuron_math("hidden2", 2)
    assert math.pre_activation == pytest.approx(float(math.inputs @ math.weights + math.bias))
    assert math.output == pytest.approx(np.tanh(math.pre_activation))
    assert math.activation == "Tanh" and math.learning_rate == 0.03
    # The weights shown are those of the last batch, before its step; the step used these gradients.
    np.testing.assert_allclose(playground.weights()[1][:, 2], math.weights - 0.03 * math.weight_gradients)
    assert not np.array_equal(before, math.weights)


def test_residual_and_dropout_networks_train():
    setup = Setup(hidden=(4, 4, 2), activations=("relu", "tanh", "tanh"), residual=True, dropout=0.2)
    playground = Playground(setup)
    names = [name for name, _ in playground.network.layers]
    assert names[:2] == ["block1", "drop1"] and "block3" in names
    playground.step(60)
    assert playground.history[-1][2] < playground.history[0][2]
