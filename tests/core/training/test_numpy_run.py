"""NumPy-engine runs end to end through the run store, the same path as torch runs: real Fashion-MNIST rows with
every artifact checked, the same curves as a torch twin, an image too small, the options it does not have.
What every network run does (diverge, refuse, stop, every model) is in test_network_run.py."""

import json

import numpy as np
import pytest

from core.datasets import LoadRequest
from core.runs.artifacts import read_arrays
from tests.conftest import needs_fashion
from tests.core.training.runs import run

FASHION = LoadRequest("fashion-mnist")


@needs_fashion
def test_one_epoch_of_numpy_cnn_on_a_fashion_subset_leaves_what_a_torch_run_leaves(store):
    record = run(store, FASHION, "numpy-cnn", None, {"epochs": 1, "batch_size": 64}, limit=3000)
    assert record.status == "finished", record.error
    assert record.family == "numpy"
    test = record.metrics["test"]
    assert test["accuracy"] > 0.4  # ten classes: chance is 0.1
    folder = store.artifacts_dir(record.id)
    names = {p.name for p in folder.iterdir()}
    expected = {"analysis.json", "history.json", "history.csv", "histograms.json", "best.safetensors"}
    assert (
        expected | {"model.safetensors", "training.json", "predictions.npz", "metrics.json", "misclassified.npz"}
        <= names
    )
    history = json.loads((folder / "history.json").read_text())
    assert {"loss", "accuracy", "val_loss", "val_accuracy", "val_f1_micro", "val_roc_auc", "lr", "grad_norm"} <= set(
        history[0]
    )
    assert list((folder / "tensorboard").iterdir()), "TensorBoard event files are written"
    training = json.loads((folder / "training.json").read_text())
    assert training["engine"] == "numpy" and training["ignored_options"] == [] and "NumPy" in training["device"]
    predictions = read_arrays(folder, "predictions.npz")
    assert np.mean(predictions["proba"].argmax(axis=1) == predictions["y_true"]) == pytest.approx(test["accuracy"])
    assert record.timings["model_size_bytes"] == (folder / "model.safetensors").stat().st_size
    analysis = json.loads((folder / "analysis.json").read_text())
    assert analysis["total_params"] == 61706  # LeNet-5 on 28x28 with padding 2: as the torch lenet


def test_numpy_and_torch_mlp_runs_on_one_split_give_the_same_curves(store):
    # The user-visible form of the step-for-step check: two runs, same settings, curves on top of each other.
    training = {"epochs": 3, "batch_size": 32, "dtype": "float64"}
    numpy_run = run(store, LoadRequest("digits"), "numpy-mlp", {"hidden": "32"}, training)
    torch_run = run(store, LoadRequest("digits"), "mlp", {"hidden": "32"}, training)
    assert numpy_run.split_hash == torch_run.split_hash
    curves = [json.loads((store.artifacts_dir(r.id) / "history.json").read_text()) for r in (numpy_run, torch_run)]
    for key in ("loss", "val_loss", "val_accuracy"):
        np.testing.assert_allclose([row[key] for row in curves[0]], [row[key] for row in curves[1]], atol=1e-6)
    assert numpy_run.metrics["test"]["accuracy"] == torch_run.metrics["test"]["accuracy"]
    from safetensors.numpy import load_file  # the NumPy run's weights are plain arrays, (in, out) per dense layer

    weights = load_file(str(store.artifacts_dir(numpy_run.id) / "model.safetensors"))
    assert weights["hidden1.weight"].shape == (64, 32) and weights["output.weight"].dtype == "float64"


def test_an_image_too_small_fails_before_training_with_one_line(store):
    record = run(store, LoadRequest("digits"), "numpy-cnn", None, {"epochs": 1})
    assert record.status == "failed"
    assert (
        record.error == "numpy-cnn: images of 8x8 are too small for its convolutions and pools; it needs at least 12x12"
    )
    assert not (store.artifacts_dir(record.id) / "history.json").exists()


def test_options_the_engine_does_not_have_are_named_in_the_run(store):
    record = run(store, LoadRequest("digits"), "numpy-logreg", None, {"epochs": 1, "hflip": True, "device": "cuda"})
    assert record.status == "finished", record.error
    training = json.loads((store.artifacts_dir(record.id) / "training.json").read_text())
    assert training["ignored_options"] == ["hflip", "device"]
