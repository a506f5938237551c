"""Training options: parsing and checking, the CLI flags drawn from them, and the presets."""

import pytest

from core.errors import TrainboardError
from core.models import get_model_spec
from core.training.options import (
    INIT_NAMES,
    OPTIMIZER_NAMES,
    SCHEDULE_NAMES,
    TrainOptions,
    ignored_options,
    parse_training_pairs,
)
from core.training.presets import PRESETS, get_preset


def test_choice_lists_match_the_torch_registries():
    # options.py avoids importing torch; these lists must still name exactly what the registries build.
    from core.models.init import INITIALIZERS
    from core.training.optim import OPTIMIZERS
    from core.training.schedules import SCHEDULES

    assert set(OPTIMIZER_NAMES) == set(OPTIMIZERS)
    assert set(SCHEDULE_NAMES) == set(SCHEDULES)
    assert set(INIT_NAMES) == set(INITIALIZERS)


def test_text_from_the_command_line_is_typed():
    options = TrainOptions.from_dict({"epochs": "3", "lr": "0.05", "optimizer": "SGD", "hflip": "true"})
    assert (options.epochs, options.lr, options.optimizer, options.hflip) == (3, 0.05, "sgd", True)
    assert options.changed() == {"epochs": 3, "lr": 0.05, "optimizer": "sgd", "hflip": True}


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"epochs": "0"}, "'epochs': 0 is outside 1..1000"),
        ({"lr": "fast"}, "'lr': 'fast' is not a number"),
        ({"optimizer": "lion"}, "'optimizer': 'lion' is not one of sgd, momentum"),
        ({"epoch": "3"}, "training option 'epoch' is unknown"),
    ],
)
def test_bad_values_give_one_line_naming_the_option(values, message):
    with pytest.raises(TrainboardError, match=message) as caught:
        TrainOptions.from_dict(values)
    assert "\n" not in str(caught.value)


def test_only_given_flags_are_returned():
    assert parse_training_pairs({"lr": "0.1", "epochs": None}) == {"lr": 0.1}


@pytest.mark.parametrize("preset", PRESETS.values(), ids=lambda p: p.name)
def test_every_preset_names_a_network_and_valid_values(preset):
    from core.models import resolve_params

    assert get_model_spec(preset.model).is_network
    resolve_params(preset.model, preset.params)
    TrainOptions.from_dict(preset.training)
    assert preset.title and preset.description


def test_ignored_options_per_family():
    given = {"epochs": 3, "hflip": True, "device": "cpu", "amp": "on", "crop_padding": 0}
    assert ignored_options("classical", given) == list(given)
    assert ignored_options("numpy", given) == ["hflip", "amp"]  # a CPU and no crop ask for nothing
    assert ignored_options("numpy", {"device": "cuda", "erasing": "0.5"}) == ["device", "erasing"]
    assert ignored_options("torch", given) == []


def test_reference_presets_carry_the_studies_settings():
    lenet = get_preset("lenet").training
    assert (lenet["lr"], lenet["batch_size"]) == (0.9, 128)
    assert get_preset("alexnet28").training["lr"] == 0.01
    assert get_preset("mlp-relu-sgdm-uniform").training["init"] == "uniform01"
    assert get_preset("cnn3-batch-norm").params == {"batch_norm": True}
    with pytest.raises(TrainboardError, match="unknown preset 'nope'"):
        get_preset("nope")
