"""The weight initialisers: each one's distribution checked against its formula on big layers (so sample
statistics are within a percent or two), what apply_init touches and leaves, and the symmetry problem."""

import math

import pytest
import torch
from torch import nn

from core.models import ModelError, create_model
from core.models.init import INIT_NAMES, INITIALIZERS, apply_init

# Linear(1000, 500): weight 500 x 1000, fan_in 1000, fan_out 500. Conv2d(64, 128, 3x3): fan_in 64*9 = 576,
# fan_out 128*9 = 1152 (torch counts the kernel's receptive field in both fans).
LAYERS = {
    "linear": (lambda: nn.Linear(1000, 500), 1000, 500),
    "conv": (lambda: nn.Conv2d(64, 128, 3), 576, 1152),
}


def initialised(layer_name, init_name, scale=0.05):
    make, fan_in, fan_out = LAYERS[layer_name]
    torch.manual_seed(0)
    layer = make()
    assert apply_init(layer, init_name, scale) == 1
    assert torch.count_nonzero(layer.bias) == 0
    return layer.weight.detach(), fan_in, fan_out


def test_the_names_are_the_registry_and_each_describes_itself():
    assert INIT_NAMES == tuple(INITIALIZERS)
    assert set(INIT_NAMES) == {
        "default",
        "uniform01",
        "uniform",
        "normal",
        "xavier_uniform",
        "xavier_normal",
        "he_uniform",
        "he_normal",
        "zeros",
        "constant",
    }
    assert all(init.name == name and init.title and init.description for name, init in INITIALIZERS.items())


def test_uniform01_is_all_positive_with_mean_one_half():
    weight, _, _ = initialised("linear", "uniform01")
    assert weight.min() >= 0 and weight.max() <= 1
    assert weight.mean().item() == pytest.approx(0.5, abs=0.005)
    assert weight.std().item() == pytest.approx(1 / math.sqrt(12), rel=0.02)


@pytest.mark.parametrize("scale", [0.05, 0.3])
def test_uniform_spans_plus_minus_scale(scale):
    weight, _, _ = initialised("linear", "uniform", scale)
    assert weight.abs().max() <= scale
    assert weight.max() > 0.99 * scale and weight.min() < -0.99 * scale
    assert weight.std().item() == pytest.approx(scale / math.sqrt(3), rel=0.02)


@pytest.mark.parametrize("scale", [0.05, 0.3])
def test_normal_has_standard_deviation_scale(scale):
    weight, _, _ = initialised("linear", "normal", scale)
    assert weight.mean().item() == pytest.approx(0, abs=0.01 * scale)
    assert weight.std().item() == pytest.approx(scale, rel=0.02)


@pytest.mark.parametrize("layer", LAYERS)
def test_xavier_uniform_bound_and_variance(layer):
    weight, fan_in, fan_out = initialised(layer, "xavier_uniform")
    bound = math.sqrt(6 / (fan_in + fan_out))
    assert weight.abs().max() <= bound and weight.abs().max() > 0.99 * bound
    assert weight.var().item() == pytest.approx(2 / (fan_in + fan_out), rel=0.03)


@pytest.mark.parametrize("layer", LAYERS)
def test_xavier_normal_standard_deviation(layer):
    weight, fan_in, fan_out = initialised(layer, "xavier_normal")
    assert weight.std().item() == pytest.approx(math.sqrt(2 / (fan_in + fan_out)), rel=0.02)


@pytest.mark.parametrize("layer", LAYERS)
def test_he_uniform_bound_uses_fan_in_only(layer):
    weight, fan_in, _ = initialised(layer, "he_uniform")
    bound = math.sqrt(6 / fan_in)
    assert weight.abs().max() <= bound and weight.abs().max() > 0.99 * bound
    assert weight.var().item() == pytest.approx(2 / fan_in, rel=0.03)


@pytest.mark.parametrize("layer", LAYERS)
def test_he_normal_standard_deviation_uses_fan_in_only(layer):
    weight, fan_in, _ = initialised(layer, "he_normal")
    assert weight.std().item() == pytest.approx(math.sqrt(2 / fan_in), rel=0.02)


def test_zeros_sets_everything_to_zero():
    weight, _, _ = initialised("conv", "zeros")
    assert torch.count_nonzero(weight) == 0


def mixed_model():
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Conv1d(2, 3, 3),
        nn.Conv2d(2, 3, 3),
        nn.Conv3d(2, 3, 3),
        nn.BatchNorm2d(3),
        nn.Linear(4, 5),
        nn.Linear(5, 2, bias=False),
    )
    nn.init.constant_(model[3].weight, 2.0)  # batch norm starts at 1 and 0; anything else shows it was left alone
    nn.init.constant_(model[3].bias, 3.0)
    return model


@pytest.mark.parametrize("name", [n for n in INIT_NAMES if n != "default"])
def test_every_linear_and_conv_layer_is_initialised_and_batch_norm_is_left_alone(name):
    model, before = mixed_model(), mixed_model().state_dict()
    assert apply_init(model, name, scale=0.05) == 5
    after = model.state_dict()
    for index in (0, 1, 2, 4):
        assert torch.count_nonzero(after[f"{index}.bias"]) == 0
        assert not torch.equal(after[f"{index}.weight"], before[f"{index}.weight"])
    assert torch.equal(after["3.weight"], before["3.weight"]) and torch.equal(after["3.bias"], before["3.bias"])


def test_default_changes_nothing():
    model, before = mixed_model(), mixed_model().state_dict()
    assert apply_init(model, "default") == 0
    assert all(torch.equal(value, before[key]) for key, value in model.state_dict().items())


def test_an_unknown_name_or_a_scale_that_is_not_positive_is_refused():
    with pytest.raises(ModelError, match="^weight init 'glorot' is not one of default, uniform01, uniform, normal"):
        apply_init(nn.Linear(2, 2), "glorot")
    with pytest.raises(ModelError, match="^weight init scale must be positive, got 0"):
        apply_init(nn.Linear(2, 2), "uniform", scale=0)


def hidden_units_after_training(init_name, steps=3):
    """The zoo's MLP (6 inputs, two sigmoid layers of 5, 3 classes) after `steps` SGD steps from `init_name`:
    its three weight matrices, rows = units."""
    model = create_model(
        "mlp", {"hidden": "5,5", "activation": "sigmoid"}, n_classes=3, n_features=6, n_rows=16, seed=0
    )
    apply_init(model, init_name)
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    torch.manual_seed(1)
    x, y = torch.randn(16, 6), torch.randint(0, 3, (16,))
    for _ in range(steps):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    return [m.weight.detach() for m in model if isinstance(m, nn.Linear)]


def test_zeros_leave_the_hidden_units_of_a_layer_identical_after_training():
    # Every hidden unit of a layer starts equal, so gets the same gradient: the layer acts as one unit.
    # Three steps let the gradient reach the first layer (step 1 moves only the output layer).
    first, second, output = hidden_units_after_training("zeros")
    for weight in (first, second):
        assert torch.count_nonzero(weight) > 0, "training must have moved the weights for the check to mean anything"
        assert torch.allclose(weight, weight[0].expand_as(weight))  # every row (unit) the same
    assert torch.allclose(output, output[:, :1].expand_as(output))  # each class sees the hidden units alike


def test_random_starts_break_the_symmetry():
    first, second, _ = hidden_units_after_training("he_uniform")
    for weight in (first, second):
        assert not torch.allclose(weight, weight[0].expand_as(weight))
