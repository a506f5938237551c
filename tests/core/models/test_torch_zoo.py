"""Every registered torch model, end to end on tiny batches: logits of the right shape for several image sizes,
a gradient for every parameter, deterministic building; then what each family promises in particular."""

import subprocess
import sys

import pytest
import torch
from torch import nn

from core.models import ModelError, create_model, list_models, parse_params
from core.models.activations import ACTIVATIONS, make_activation
from core.models.cnn.layers import Parallel, Residual
from core.models.mlp import ACTIVATION_NAMES, parse_layer_sizes

TORCH_MODELS = [spec.name for spec in list_models(family="torch")]
# Narrow versions for the checks where the width is not the point (a model missing here runs at its defaults).
NARROW = {
    "alexnet": {"dense": "16,16", "input_size": 72},
    "alexnet-simplified": {"dense": "16,8", "input_size": 72},
    "alexnet-simplified28": {"dense": "16,8"},
    "alexnet28": {"dense": 32},
    "alexnet-small": {"dense": 32},
    "cnn3": {"filters": "4,8,8", "dense": 16},
    "googlenet": {"input_size": 32},
    "googlenet-small": {"width": 4},
    "mlp": {"hidden": "16,8"},
    "resnet18": {"width": 4},
    "vgg-small": {"width_divisor": 16, "dense": 16},
}


def build(name, params=None, *, n_classes=10, input_shape=(1, 28, 28), seed=0):
    n_features = 1
    for dim in input_shape:
        n_features *= dim
    return create_model(
        name, params, n_classes=n_classes, n_features=n_features, n_rows=100, seed=seed, input_shape=input_shape
    )


def n_parameters(model):
    return sum(p.numel() for p in model.parameters())


def check_forward_backward(model, input_shape, n_classes):
    torch.manual_seed(1)
    x = torch.randn(2, *input_shape)
    logits = model(x)
    assert logits.shape == (2, n_classes)
    nn.functional.cross_entropy(logits, torch.tensor([0, n_classes - 1])).backward()
    for name, param in model.named_parameters():
        assert param.grad is not None, f"{name} got no gradient"
        assert torch.isfinite(param.grad).all(), f"{name} has a non-finite gradient"


def test_the_zoo_of_the_issue_is_registered():
    assert set(TORCH_MODELS) == {
        "mlp",
        "lenet",
        "alexnet",
        "alexnet-simplified",
        "alexnet-simplified28",
        "alexnet28",
        "alexnet-small",
        "cnn3",
        "vgg-small",
        "googlenet",
        "googlenet-small",
        "resnet18",
    }


@pytest.mark.parametrize("name", TORCH_MODELS)
def test_defaults_at_fashion_mnist_size_give_logits_and_gradients(name):
    model = build(name)
    assert all(module.training for module in model.modules()), "a builder must hand back a model in training mode"
    check_forward_backward(model, (1, 28, 28), 10)


@pytest.mark.parametrize("input_shape, n_classes", [((3, 32, 32), 5), ((2, 13, 17), 3)])
@pytest.mark.parametrize("name", TORCH_MODELS)
def test_other_image_sizes_and_class_counts(name, input_shape, n_classes):
    model = build(name, NARROW.get(name), n_classes=n_classes, input_shape=input_shape)
    check_forward_backward(model, input_shape, n_classes)


@pytest.mark.parametrize("name", TORCH_MODELS)
def test_the_same_seed_builds_the_same_weights(name):
    first, again, other = (build(name, NARROW.get(name), seed=seed).state_dict() for seed in (7, 7, 8))
    assert all(torch.equal(first[key], again[key]) for key in first)
    assert any(not torch.equal(first[key], other[key]) for key in first)


def test_listing_models_imports_no_torch():
    # The CLI lists and checks models before anything is trained; a torch import would cost it seconds.
    code = "import sys; from core.models import list_models; list_models(); assert 'torch' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_lenet_classic_has_the_published_61706_parameters():
    # conv 1*6*25+6 = 156, conv 6*16*25+16 = 2,416, dense 16*5*5*120+120 = 48,120, 120*84+84 = 10,164,
    # 84*10+10 = 850: 61,706
    model = build("lenet")
    assert n_parameters(model) == 61_706
    assert sum(isinstance(m, nn.Sigmoid) for m in model.modules()) == 4
    assert sum(isinstance(m, nn.AvgPool2d) for m in model.modules()) == 2


def test_lenet_modern_uses_relu_and_max_pooling():
    model = build("lenet", {"variant": "modern"})
    assert not any(isinstance(m, (nn.Sigmoid, nn.AvgPool2d)) for m in model.modules())
    assert sum(isinstance(m, nn.MaxPool2d) for m in model.modules()) == 2
    assert n_parameters(model) == 61_706


def test_resnet18_at_width_64_has_resnet18s_parameter_count():
    # stem 1*64*9 + BN 128 = 704
    # stage 1: 2 blocks x (2 x 64*64*9 + 2 BN x 128) = 147,968
    # stage 2: 64*128*9 + 128*128*9 + shortcut 64*128 + 3 BN x 256 = 230,144; + 2 x 128*128*9 + 512 = 525,568
    # stage 3: 128*256*9 + 256*256*9 + 128*256 + 3 x 512 = 919,040; + 2 x 256*256*9 + 1,024 = 2,099,712
    # stage 4: 256*512*9 + 512*512*9 + 256*512 + 3 x 1,024 = 3,673,088; + 2 x 512*512*9 + 2,048 = 8,393,728
    # linear 512*10 + 10 = 5,130; in all 11,172,810 (torchvision's 3-channel ResNet-18 on CIFAR: 11,173,962)
    model = build("resnet18")
    assert n_parameters(model) == 11_172_810
    blocks = [m for m in model.modules() if isinstance(m, Residual)]
    assert len(blocks) == 8
    assert sum(not isinstance(block.shortcut, nn.Identity) for block in blocks) == 3  # first block of stages 2-4


def test_alexnet28_keeps_alexnets_widths():
    # convs 960 + 614,656 + 885,120 + 1,327,488 + 884,992; dense 256*3*3*4096+4096 = 9,441,280,
    # 4096*4096+4096 = 16,781,312, 4096*10+10 = 40,970: 29,976,778
    assert n_parameters(build("alexnet28")) == 29_976_778


def test_vgg_skips_the_pools_an_image_is_too_small_for():
    def pools(side):
        return sum(isinstance(m, nn.MaxPool2d) for m in build("vgg-small", input_shape=(1, side, side)).modules())

    assert pools(32) == 5  # 32 -> 1
    assert pools(28) == 4  # 28 -> 14 -> 7 -> 3 -> 1, then no room for the fifth
    assert pools(1) == 0


def test_googlenet_blocks_have_four_branches_and_concatenate_them():
    model = build("googlenet-small", {"width": 16})
    blocks = [m for m in model.modules() if isinstance(m, Parallel)]
    assert len(blocks) == 4 and all(len(block.branches) == 4 for block in blocks)
    # block 4b at width 16 (GoogLeNet's / 4): 40 + 56 + 16 + 16 channels, pooled to one number each
    assert model.classifier[-1].in_features == 128


@pytest.mark.parametrize(
    "name, side, needed", [("lenet", 6, 12), ("lenet", 11, 12), ("alexnet-small", 7, 8), ("cnn3", 3, 4)]
)
def test_an_image_too_small_for_the_pools_is_refused_with_the_smallest_size(name, side, needed):
    message = (
        f"{name}: images of {side}x{side} are too small; it needs at least {needed}x{needed} "
        "(parameter input_size can resize them)"
    )
    with pytest.raises(ModelError) as error:
        build(name, input_shape=(1, side, side))
    assert str(error.value) == message
    build(name, NARROW.get(name), input_shape=(1, needed, needed))  # and that size does work


def test_a_cnn_refuses_a_table():
    with pytest.raises(ModelError, match=r"^cnn3: needs images of shape \(channels, height, width\), got input shape"):
        build("cnn3", input_shape=(12,))


def test_cnn3_wants_three_filter_widths():
    with pytest.raises(ModelError, match="cnn3: parameter 'filters': '8,8' gives 2 widths; give 3"):
        build("cnn3", {"filters": "8,8"})
    with pytest.raises(ModelError, match="cnn3: parameter 'filters': 'wide' is not a comma-separated list"):
        build("cnn3", {"filters": "wide"})


# --- the multilayer perceptron


def test_mlp_takes_a_table():
    check_forward_backward(build("mlp", input_shape=(12,)), (12,), 10)


def test_mlp_layers_follow_hidden_and_the_order_linear_norm_activation_dropout():
    model = build("mlp", {"hidden": "16, 8", "batch_norm": True, "dropout": 0.25}, input_shape=(12,))
    kinds = [type(m) for m in model]
    linear, norm, relu, drop = nn.Linear, nn.BatchNorm1d, nn.ReLU, nn.Dropout
    assert kinds == [nn.Flatten, linear, norm, relu, drop, linear, norm, relu, drop, linear]
    assert [(m.in_features, m.out_features) for m in model if isinstance(m, nn.Linear)] == [(12, 16), (16, 8), (8, 10)]
    assert model[4].p == 0.25


def test_mlp_without_hidden_layers_is_a_linear_model():
    model = build("mlp", {"hidden": "none"})
    assert [type(m) for m in model] == [nn.Flatten, nn.Linear]
    assert n_parameters(model) == 784 * 10 + 10


def test_mlp_honours_one_activation_per_layer():
    model = build("mlp", {"hidden": "8,8,8", "activation": "tanh, Sigmoid ,leaky_relu"})
    activations = [m for m in model if not isinstance(m, (nn.Flatten, nn.Linear))]
    assert [type(m) for m in activations] == [nn.Tanh, nn.Sigmoid, nn.LeakyReLU]
    assert activations[2].negative_slope == 0.01
    one_for_all = build("mlp", {"hidden": "8,8", "activation": "gelu"})
    assert sum(isinstance(m, nn.GELU) for m in one_for_all) == 2


@pytest.mark.parametrize("text", ["a,b", "0", "-3", "64,,128", "1.5"])
def test_mlp_refuses_bad_hidden_text_when_the_parameter_is_given(text):
    message = f"^mlp: parameter 'hidden': {text!r} is not a comma-separated list of positive integers"
    with pytest.raises(ModelError, match=message.replace(".", r"\.")):
        parse_params("mlp", [f"hidden={text}"])  # the CLI finds out before loading any data


def test_mlp_refuses_an_activation_list_of_the_wrong_length():
    with pytest.raises(ModelError, match="^mlp: parameter 'activation' lists 2 activations for 3 hidden layers"):
        build("mlp", {"hidden": "8,8,8", "activation": "relu,tanh"})


def test_mlp_refuses_an_unknown_activation():
    with pytest.raises(ModelError, match="^mlp: parameter 'activation': 'swish' is not one of sigmoid, tanh, relu"):
        parse_params("mlp", ["activation=relu,swish"])


def test_parse_layer_sizes():
    assert parse_layer_sizes(" 64, 128,256 ", "m", "p") == (64, 128, 256)
    assert parse_layer_sizes("", "m", "p") == parse_layer_sizes("None", "m", "p") == ()


# --- activations


def test_the_activation_names_the_mlp_offers_are_the_registry():
    assert ACTIVATION_NAMES == tuple(ACTIVATIONS)


def test_make_activation():
    x = torch.tensor([-2.0, 0.0, 3.0])
    assert torch.equal(make_activation("linear")(x), x)
    assert torch.allclose(make_activation(" ReLU ")(x), torch.tensor([0.0, 0.0, 3.0]))
    assert torch.allclose(make_activation("leaky_relu")(x), torch.tensor([-0.02, 0.0, 3.0]))
    assert make_activation("relu") is not make_activation("relu")  # a fresh module for each layer
    with pytest.raises(ModelError, match="^mlp: activation 'foo' is not one of sigmoid, tanh, relu, leaky_relu, elu"):
        make_activation("foo", "mlp")
