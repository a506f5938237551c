import pytest

from core.sweeps.presets import SWEEP_PRESETS
from core.sweeps.space import Dimension, SearchSpace, SpaceError


def test_json_round_trip_keeps_every_field():
    space = SearchSpace.from_dict(
        {
            "lr": {"kind": "float", "low": 1e-4, "high": 0.1, "log": True},
            "batch_size": {"kind": "int", "low": 16, "high": 64},
            "optimizer": {"choices": ["sgd", "adam"]},
        }
    )
    again = SearchSpace.from_json(space.to_json())
    assert again == space
    assert again.dimensions["lr"] == Dimension("float", 1e-4, 0.1, log=True)
    assert again.dimensions["optimizer"].kind == "categorical"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"lr": {"kind": "float", "low": 0.1, "high": 0.01}}, "parameter 'lr': the range 0.1..0.01 is empty"),
        ({"lr": {"kind": "float", "low": 0, "high": 0.1, "log": True}}, "parameter 'lr': a log range must start"),
        ({"optimizer": {"kind": "categorical", "choices": []}}, "parameter 'optimizer': no choices given"),
        ({"epochs": {"kind": "int", "low": 1.5, "high": 3}}, "parameter 'epochs': low 1.5 is not a whole number"),
        ({"lr": {"kind": "normal", "low": 0, "high": 1}}, "parameter 'lr': kind 'normal' is not one of"),
        ({"lr": {"kind": "float", "low": 0.1, "hi": 1}}, "parameter 'lr' has an unknown field 'hi'"),
        ({}, "no parameter to search"),
    ],
)
def test_a_space_that_contradicts_itself_is_refused_naming_the_parameter(data, message):
    with pytest.raises(SpaceError, match=message):
        SearchSpace.from_dict(data)


def test_bad_json_names_the_file_and_line():
    with pytest.raises(SpaceError, match=r"space.json: not valid JSON \(line 1"):
        SearchSpace.from_json("{lr: 1}", where="space.json")


def test_validate_knows_model_params_and_training_options_by_name():
    space = SearchSpace.from_dict({"hidden": {"choices": ["32", "64,64"]}, "lr": {"low": 1e-4, "high": 1e-2}})
    space.validate("mlp")
    params, training = space.split("mlp", {"hidden": "32", "lr": 0.001})
    assert params == {"hidden": "32"} and training == {"lr": 0.001}


@pytest.mark.parametrize(
    ("model", "data", "message"),
    [
        ("mlp", {"widht": {"choices": [1, 2]}}, "unknown parameter 'widht' for mlp"),
        ("logreg", {"lr": {"low": 1e-4, "high": 1e-2}}, "unknown parameter 'lr' for logreg"),  # not a network
        ("mlp", {"optimizer": {"choices": ["adam", "adagrad"]}}, "parameter 'optimizer'.*'adagrad' is not one of"),
        ("mlp", {"lr": {"kind": "float", "low": 1e-9, "high": 1e-2}}, "parameter 'lr'.*outside"),
        ("mlp", {"batch_size": {"kind": "float", "low": 16, "high": 64}}, "'batch_size' takes whole numbers"),
    ],
)
def test_validate_refuses_what_a_run_would_refuse(model, data, message):
    with pytest.raises(SpaceError, match=message):
        SearchSpace.from_dict(data).validate(model)


def test_for_model_builds_dimensions_from_declared_params():
    space = SearchSpace.for_model("mlp")
    assert space.dimensions["batch_norm"].choices == (False, True)
    assert space.dimensions["dropout"] == Dimension("float", 0.0, 0.9)
    assert "lr" in space.dimensions and space.dimensions["lr"].log
    space.validate("mlp")
    classical = SearchSpace.for_model("logreg")
    assert "lr" not in classical.dimensions and classical.dimensions["C"].log
    named = SearchSpace.for_model("mlp", ["hidden", "lr"])
    assert list(named.dimensions) == ["hidden", "lr"] and named.dimensions["hidden"].choices == ("64,128,256",)
    with pytest.raises(SpaceError, match="unknown parameter 'nope'"):
        SearchSpace.for_model("mlp", ["nope"])


def test_grid_lists_every_combination_and_refuses_float_ranges():
    space = SearchSpace.from_dict({"a": {"choices": [1, 2]}, "b": {"kind": "int", "low": 0, "high": 2}})
    assert space.grid_size() == 6 and len({tuple(p.items()) for p in space.grid()}) == 6
    with pytest.raises(SpaceError, match="parameter 'lr': a grid needs choices"):
        SearchSpace.from_dict({"lr": {"low": 0.1, "high": 1.0}}).grid()


def test_reference_presets_are_the_studys_grid_on_both_engines():
    for name, model in (("reference-fashion-mlp", "mlp"), ("reference-fashion-numpy-mlp", "numpy-mlp")):
        preset = SWEEP_PRESETS[name]
        assert preset.model == model
        preset.space.validate(model)
        # 2 rates x 9 depth/width x 3 activations x 6 optimizers x 3 batch sizes x 2 epoch counts x 2 starts
        assert preset.space.grid_size() == 2 * 9 * 3 * 6 * 3 * 2 * 2
        assert "rmsprop_keras" in preset.space.dimensions["optimizer"].choices
