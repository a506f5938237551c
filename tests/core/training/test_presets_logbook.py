"""The course logbook's presets, from AlexNet to ResNet: the model, its input size and d2l's (or the logbook's)
training settings, and descriptions that warn where a CPU is too slow."""

import pytest

from core.models import create_model, get_model_spec, resolve_params
from core.training.presets import get_preset

# name: (model, params that must be set, optimizer, lr, batch size, epochs)
LOGBOOK = {
    "alexnet": ("alexnet", {"input_size": 224}, "sgd", 0.01, 128, 10),
    "alexnet-simplified": ("alexnet-simplified", {"input_size": 224}, "sgd", 0.01, 128, 10),
    "alexnet-simplified28": ("alexnet-simplified28", {"input_size": 0}, "sgd", 0.01, 128, 10),
    "alexnet28": ("alexnet28", {}, "sgd", 0.01, 128, 10),
    "vgg11-small": (
        "vgg-small",
        {"width_divisor": 4, "dense": 4096, "batch_norm": False, "input_size": 224},
        "sgd",
        0.05,
        128,
        10,
    ),
    "googlenet": ("googlenet", {"input_size": 96}, "sgd", 0.1, 128, 10),
    "resnet18": ("resnet18", {"stem": "imagenet", "input_size": 96}, "sgd", 0.01, 64, 10),
}


@pytest.mark.parametrize("name", LOGBOOK)
def test_logbook_presets_carry_its_settings(name):
    model, params, optimizer, lr, batch_size, epochs = LOGBOOK[name]
    preset = get_preset(name)
    assert preset.model == model
    resolved = resolve_params(model, preset.params)
    assert {key: resolved[key] for key in params} == params
    training = preset.training
    assert (training["optimizer"], training["lr"], training["batch_size"], training["epochs"]) == (
        optimizer,
        lr,
        batch_size,
        epochs,
    )


@pytest.mark.parametrize("name", ["alexnet", "alexnet-simplified", "alexnet28", "vgg11-small", "googlenet", "resnet18"])
def test_slow_presets_say_so_with_their_cost(name):
    description = get_preset(name).description
    assert "GMAC per image" in description and "a GPU is" in description


def test_alexnet28_says_it_is_not_the_logbooks_network():
    assert "not the logbook's" in get_preset("alexnet28").description
    assert "alexnet-simplified28" in get_preset("alexnet28").description


def test_resnet18_preset_builds_d2ls_network_at_96():
    preset = get_preset("resnet18")
    model = create_model(
        preset.model,
        {**preset.params, "width": 2},  # narrow: the structure is the point
        n_classes=10,
        n_features=784,
        n_rows=10,
        input_shape=(1, 28, 28),
    )
    stem = model.features[1]
    assert model.features[0].size == (96, 96) and stem.kernel_size == (7, 7) and stem.stride == (2, 2)
    assert get_model_spec("resnet18").defaults()["stem"] == "cifar"  # the model's own default is unchanged
