"""Step for step with PyTorch: numpy-mlp and mlp built with the same parameters and seed start from the same
weights and see the same batches, so their training losses agree batch by batch: to 1e-6 after 100 steps in
float64, to 1e-3 in float32. numpy-cnn and LeNet-5 (modern) agree the same way from a named initialiser."""

import numpy as np
import pytest
from sklearn.datasets import load_digits

from core.training.callbacks import Callback
from core.training.network_run import engine_for
from core.training.options import TrainOptions


class BatchLosses(Callback):
    def __init__(self):
        self.losses = []

    def on_batch_end(self, trainer, logs):
        self.losses.append(logs["loss"])


def train(model, params, options, X, y, seed=0):
    """Per-batch training losses of `model` trained through its engine's Trainer on (X, y)."""
    engine = engine_for(model, options)
    shape = X.shape[1:]
    network = engine.build(model, params, n_classes=10, n_rows=len(X), shape=shape, seed=seed)
    recorder = BatchLosses()
    trainer = engine.trainer(
        network, classes=tuple("0123456789"), callbacks=[recorder], run_dir=None, class_weights=None, seed=seed
    )
    if engine.family == "torch":
        from core.training.data import as_tensors

        trainer.fit(*as_tensors(X, y, shape, "cpu", channels_last=trainer.channels_last, dtype=options.dtype))
    else:
        trainer.fit(X, y)
    return np.array(recorder.losses)


@pytest.fixture(scope="module")
def digits():
    data = load_digits()
    return (data.data / 16.0)[:1600], data.target[:1600]


SETUPS = {
    "adam": ({"hidden": "32,16"}, {"optimizer": "adam", "lr": 0.01}),
    "nesterov, weight decay, batch norm": (
        {"hidden": "32,16", "activation": "tanh", "batch_norm": True},
        {"optimizer": "nesterov", "lr": 0.05, "weight_decay": 1e-3},
    ),
    "rmsprop, xavier, l1, cosine": (
        {"hidden": "24", "activation": "elu"},
        {"optimizer": "rmsprop", "lr": 0.001, "init": "xavier_uniform", "l1": 1e-4, "schedule": "cosine"},
    ),
    "nadam, he, label smoothing": (
        {"hidden": "32,32", "activation": "leaky_relu"},
        {"optimizer": "nadam", "lr": 0.002, "init": "he_normal", "label_smoothing": 0.1},
    ),
}


@pytest.mark.parametrize("setup", list(SETUPS))
@pytest.mark.parametrize("dtype, tolerance", [("float64", 1e-6), ("float32", 1e-3)])
def test_numpy_mlp_and_mlp_agree_for_100_steps(digits, setup, dtype, tolerance):
    X, y = digits
    params, training = SETUPS[setup]
    # amp off: on a CPU with bfloat16, "auto" would train the torch side in bfloat16, a different computation
    options = TrainOptions.from_dict(training | {"epochs": 1, "batch_size": 16, "dtype": dtype, "amp": "off"})
    torch_losses = train("mlp", params, options, X, y)
    numpy_losses = train("numpy-mlp", params, options, X, y)
    assert len(torch_losses) == len(numpy_losses) == 100
    assert np.abs(numpy_losses - torch_losses).max() <= tolerance
    assert numpy_losses[-10:].mean() < numpy_losses[:10].mean(), "and both actually learn"


def test_a_different_seed_gives_different_losses(digits):
    X, y = digits
    options = TrainOptions.from_dict({"epochs": 1, "batch_size": 16, "dtype": "float64"})
    same = train("numpy-mlp", {"hidden": "16"}, options, X, y, seed=0)
    other = train("mlp", {"hidden": "16"}, options, X, y, seed=1)
    assert np.abs(same - other).max() > 1e-3, "the agreement above is not a coincidence of the data"


def test_numpy_cnn_and_modern_lenet_agree_from_the_same_initialiser():
    rng = np.random.default_rng(0)
    X = rng.random((240, 1, 16, 16))
    y = (X[:, 0, :8].mean(axis=(1, 2)) * 20).astype(int) % 10
    options = TrainOptions.from_dict(
        {"epochs": 1, "batch_size": 8, "dtype": "float64", "init": "he_uniform", "optimizer": "adam", "lr": 0.003}
    )
    torch_losses = train("lenet", {"variant": "modern"}, options, X, y)
    numpy_losses = train("numpy-cnn", {}, options, X, y)
    assert len(numpy_losses) == 30
    assert np.abs(numpy_losses - torch_losses).max() <= 1e-6
