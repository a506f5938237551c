"""The Network: the two passes over named layers, parameters in torch's order, saving and loading, dtypes, and
shape errors that name the layer."""

import numpy as np
import pytest

from core.errors import TrainboardError
from core.models import create_model
from core.scratch.activations import ReLU
from core.scratch.batchnorm import BatchNorm
from core.scratch.dense import Dense
from core.scratch.network import Network
from core.scratch.reshape import Flatten
from core.scratch.residual import Residual
from core.scratch.trainer import load_weights, save_weights


def small(seed=0, dtype="float64"):
    rng = np.random.default_rng(seed)
    return Network(
        [
            ("hidden1", Dense(4, 6, rng=rng)),
            ("norm1", BatchNorm(6)),
            ("act1", ReLU()),
            ("output", Dense(6, 3, rng=rng)),
        ],
        dtype=dtype,
    )


def test_parameters_come_in_torchs_named_parameters_order():
    names = [name for name, _ in small().parameters()]
    assert names == ["hidden1.weight", "hidden1.bias", "norm1.weight", "norm1.bias", "output.weight", "output.bias"]


def test_backward_fills_every_gradient_and_skips_the_inputs_gradient():
    network = small()
    x = np.random.default_rng(1).standard_normal((5, 4))
    logits = network.forward(x, training=True)
    assert logits.shape == (5, 3)
    network.backward(np.ones_like(logits))
    assert all(
        grad is not None and grad.shape == value.shape
        for (_, value), grad in zip(network.parameters(), network.gradients(), strict=True)
    )
    assert network.layers[0][1].input_grad is False, "nobody reads dL/d(data)"


def test_save_and_load_round_trip_through_safetensors(tmp_path):
    network, other = small(0), small(1)
    network.forward(np.random.default_rng(2).standard_normal((8, 4)), training=True)  # moves running stats
    path = save_weights(network, tmp_path / "w.safetensors")
    held = [value for _, value in other.parameters()]  # an optimizer holds these very arrays
    load_weights(other, path)
    for (name, mine), theirs in zip(network.state_dict().items(), other.state_dict().values(), strict=True):
        np.testing.assert_array_equal(mine, theirs, err_msg=name)
    assert all(a is b for a, b in zip(held, [value for _, value in other.parameters()], strict=True))
    assert [p.name for p in tmp_path.iterdir()] == ["w.safetensors"]


def test_loading_weights_of_another_network_names_what_differs(tmp_path):
    path = save_weights(small(), tmp_path / "w.safetensors")
    rng = np.random.default_rng(0)
    wider = Network([("hidden1", Dense(4, 7, rng=rng)), ("norm1", BatchNorm(7)), ("output", Dense(7, 3, rng=rng))])
    with pytest.raises(TrainboardError, match=r"do not fit this network: hidden1\.(weight|bias) is \(.*\), not \(.*7"):
        load_weights(wider, path)


def test_dtype_is_kept_through_the_passes():
    network = small(dtype="float32")
    assert all(value.dtype == np.float32 for _, value in network.parameters())
    assert network.forward(np.ones((2, 4), np.float32)).dtype == np.float32
    assert network.predict_proba(np.ones((2, 4))).dtype == np.float64
    np.testing.assert_allclose(network.predict_proba(np.ones((2, 4))).sum(axis=1), 1.0)


def test_sigmoid_output_gives_normalised_one_vs_rest_probabilities():
    network = Network([("output", Dense(2, 3, rng=np.random.default_rng(0)))], output="sigmoid")
    proba = network.predict_proba(np.array([[1.0, -1.0], [0.0, 2.0]]))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    with pytest.raises(TrainboardError, match="network output 'tanh' is not one of softmax, sigmoid, identity"):
        Network([("output", Dense(2, 3))], output="tanh")


def test_identity_output_is_the_last_layers_output():
    network = Network([("output", Dense(2, 1, weights=[[2.0], [-1.0]], bias=[0.5]))], output="identity")
    np.testing.assert_allclose(network.predict_proba(np.array([[1.0, 1.0], [0.0, 3.0]])), [[1.5], [-2.5]])


def test_residual_blocks_have_dotted_parameter_names():
    rng = np.random.default_rng(0)
    network = Network([("flatten", Flatten()), ("block1", Residual([Dense(4, 4, rng=rng), ReLU()]))])
    assert [name for name, _ in network.parameters()] == ["block1.body0.weight", "block1.body0.bias"]


def test_an_image_too_small_names_the_layer():
    network = create_model("numpy-cnn", n_classes=2, n_features=784, n_rows=4, input_shape=(1, 28, 28))
    with pytest.raises(ValueError, match="layer pool2: nothing is left"):
        network.output_shape((1, 10, 10))
