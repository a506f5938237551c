"""The presets that reproduce the Keras callbacks notebook, the CNN assignment and LeNet carry the studies'
training settings (issue 16): a table of what each must say."""

import pytest

from core.training.options import TrainOptions
from core.training.presets import get_preset

KERAS_CALLBACKS = {"schedule": "reference", "patience": 2}
CNN_ASSIGNMENT = {"batch_size": 32, "weight_decay": 1e-5, "monitor": "val_accuracy", "optimizer": "adam"}

EXPECTED = {
    "mlp-tanh-sgdm-uniform": {**KERAS_CALLBACKS, "optimizer": "momentum", "lr": 0.1, "loss_cap": 1e4},
    "mlp-relu-sgdm-uniform": {**KERAS_CALLBACKS, "optimizer": "momentum", "lr": 0.1, "loss_cap": 0.0},
    "mlp-relu-sgdm-he": {**KERAS_CALLBACKS, "optimizer": "momentum", "lr": 0.1, "loss_cap": 1e4},
    # The custom model's quoted rate, 8.1225e-3 in epoch 7, starts from 0.01.
    "mlp-custom-adam": {**KERAS_CALLBACKS, "optimizer": "adam", "lr": 0.01},
    "cnn3": {**CNN_ASSIGNMENT, "patience": 0},
    "cnn3-early-stopping": {**CNN_ASSIGNMENT, "patience": 4},
    "cnn3-sgd-momentum": {**CNN_ASSIGNMENT, "optimizer": "momentum", "lr": 0.01},
    "cnn3-plateau": {**CNN_ASSIGNMENT, "schedule": "plateau", "plateau_patience": 3, "gamma": 0.5},
    "cnn3-batch-norm": {**CNN_ASSIGNMENT},
    "lenet": {"optimizer": "sgd", "lr": 0.9, "batch_size": 128},
}


@pytest.mark.parametrize(("name", "expected"), EXPECTED.items(), ids=list(EXPECTED))
def test_preset_carries_the_study_settings(name, expected):
    options = TrainOptions.from_dict(get_preset(name).training)
    assert {key: getattr(options, key) for key in expected} == expected


def test_the_exploding_model_keeps_its_curve_and_the_others_keep_the_default_cap():
    assert TrainOptions().loss_cap == 1e4
    assert get_preset("mlp-relu-sgdm-uniform").training["loss_cap"] == 0
