"""Where the engine's weights start: each initialiser against its formula on big layers, the fans of dense and
convolution layers, explicit weights, and one seed giving the torch models the very same start."""

import math

import numpy as np
import pytest
import torch

from core.errors import TrainboardError
from core.models import create_model
from core.models.init import INIT_NAMES, apply_init
from core.scratch.conv import Conv2D
from core.scratch.dense import Dense
from core.scratch.init import INITIALIZERS, draw_layer

# Dense(1000, 500): fan_in 1000, fan_out 500. Conv2D(64, 128, 3): fan_in 64*9, fan_out 128*9, as torch counts.
LAYERS = {
    "dense": (lambda init: Dense(1000, 500, init=init, rng=np.random.default_rng(0)), 1000, 500),
    "conv": (lambda init: Conv2D(64, 128, 3, init=init, rng=np.random.default_rng(0)), 576, 1152),
}
STD = {
    "xavier_uniform": lambda i, o: math.sqrt(2 / (i + o)),
    "xavier_normal": lambda i, o: math.sqrt(2 / (i + o)),
    "he_uniform": lambda i, o: math.sqrt(2 / i),
    "he_normal": lambda i, o: math.sqrt(2 / i),
    "default": lambda i, o: 1 / math.sqrt(3 * i),  # uniform in +-1/sqrt(fan_in)
    "uniform": lambda i, o: 0.05 / math.sqrt(3),
    "normal": lambda i, o: 0.05,
}


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("name", list(STD))
def test_standard_deviation_follows_the_formula(layer, name):
    make, fan_in, fan_out = LAYERS[layer]
    weights = make(name).params["weight"]
    assert weights.mean() == pytest.approx(0, abs=0.02 * STD[name](fan_in, fan_out))
    assert weights.std() == pytest.approx(STD[name](fan_in, fan_out), rel=0.02)


@pytest.mark.parametrize("layer", LAYERS)
def test_only_the_default_draws_a_bias(layer):
    make, fan_in, _ = LAYERS[layer]
    default_bias = make("default").params["bias"]
    assert np.abs(default_bias).max() <= 1 / math.sqrt(fan_in) and np.count_nonzero(default_bias) == default_bias.size
    assert np.count_nonzero(make("he_uniform").params["bias"]) == 0


def test_uniform01_zeros_and_constant():
    rng = np.random.default_rng(0)
    assert draw_layer("uniform01", (200, 100), 200, 100, 100, 0.05, rng)[0].min() >= 0
    assert not draw_layer("zeros", (3, 2), 3, 2, 2, 0.05, rng)[0].any()
    assert (draw_layer("constant", (3, 2), 3, 2, 2, 0.7, rng)[0] == 0.7).all()
    with pytest.raises(TrainboardError, match="weight init 'glorot' is not one of default"):
        draw_layer("glorot", (3, 2), 3, 2, 2, 0.05, rng)
    with pytest.raises(TrainboardError, match="scale must be positive"):
        draw_layer("normal", (3, 2), 3, 2, 2, 0.0, rng)


def test_every_torch_initialiser_is_drawn_here():
    assert set(INIT_NAMES) <= set(INITIALIZERS)


@pytest.mark.parametrize("init", ["default", "xavier_uniform", "he_normal", "normal"])
def test_one_seed_gives_the_torch_mlp_and_numpy_mlp_the_same_start(init):
    shape = {"n_classes": 3, "n_features": 6, "n_rows": 10, "seed": 7, "input_shape": (6,)}
    params = {"hidden": "5,4", "batch_norm": True}
    torch_mlp, numpy_mlp = create_model("mlp", params, **shape), create_model("numpy-mlp", params, **shape)
    apply_init(torch_mlp, init, 0.05, seed=7)
    if init != "default":
        numpy_mlp.initialise(init, 0.05, 7)
    torch_params = dict(torch_mlp.named_parameters())
    ours = dict(numpy_mlp.parameters())
    assert list(ours) == list(torch_params), "the same names in the same order"
    for name, value in ours.items():
        expected = torch_params[name].detach().double().numpy()
        np.testing.assert_array_equal(value.astype(np.float64), expected.T if value.ndim == 2 else expected)


def test_one_seed_gives_lenet_and_numpy_cnn_the_same_start_with_a_named_initialiser():
    shape = {"n_classes": 10, "n_features": 784, "n_rows": 10, "seed": 3, "input_shape": (1, 28, 28)}
    lenet = create_model("lenet", {"variant": "modern"}, **shape)
    cnn = create_model("numpy-cnn", {}, **shape)
    apply_init(lenet, "he_uniform", seed=3)
    cnn.initialise("he_uniform", 0.05, 3)
    torch_weights = [m.weight.detach().numpy() for m in lenet.modules() if hasattr(m, "weight")]
    ours = [value for name, value in cnn.parameters() if name.endswith("weight")]
    assert len(ours) == len(torch_weights) == 5
    for value, expected in zip(ours, torch_weights, strict=True):
        np.testing.assert_array_equal(value, expected.T if value.ndim == 2 else expected)
    assert torch.count_nonzero(lenet.features[0].bias) == 0
