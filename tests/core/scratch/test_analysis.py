"""The cost table of a NumPy network, worked out from its layers, against the torch analysis (by probing) of
its torch twin: the same shapes, parameters, multiply-accumulates, activation memory and receptive fields."""

import pytest

from core.models import create_model
from core.models.analysis import analyse_model
from core.scratch.analysis import analyse_network

SHAPE = {"n_classes": 10, "n_rows": 10, "seed": 0}


@pytest.mark.parametrize(
    "numpy_model, torch_model, params, torch_params, input_shape",
    [
        ("numpy-mlp", "mlp", {"hidden": "32,16", "batch_norm": True}, None, (1, 28, 28)),
        ("numpy-mlp", "mlp", {"hidden": "8"}, None, (13,)),
        ("numpy-cnn", "lenet", {}, {"variant": "modern"}, (1, 28, 28)),
        (
            "numpy-cnn",
            "lenet",
            {"pool": "avg", "activation": "sigmoid", "batch_norm": True},
            {"variant": "classic", "batch_norm": True},
            (3, 32, 32),
        ),
    ],
)
def test_the_same_totals_and_fields_as_the_torch_analysis(numpy_model, torch_model, params, torch_params, input_shape):
    n_features = 1
    for side in input_shape:
        n_features *= side
    ours = analyse_network(
        create_model(numpy_model, params, n_features=n_features, input_shape=input_shape, **SHAPE), input_shape, 64, 8
    )
    theirs = analyse_model(
        create_model(torch_model, torch_params or params, n_features=n_features, input_shape=input_shape, **SHAPE),
        input_shape,
        64,
        8,
    )
    for total in ("total_params", "total_macs", "activation_bytes", "input_bytes"):
        assert getattr(ours, total) == getattr(theirs, total), total
    assert [layer.output_shape for layer in ours.layers] == [layer.output_shape for layer in theirs.layers]
    assert [layer.receptive_field for layer in ours.layers] == [layer.receptive_field for layer in theirs.layers]
    assert ours.to_frame()["params"].iloc[-1] == theirs.total_params
