"""NumPy-engine runs end to end through the run store, the same path as torch runs: real Fashion-MNIST rows,
every artifact checked; tables; and the other ways a run ends (diverged, refused, stopped, bad shapes)."""

import json

import numpy as np
import pytest

from core.datasets import LoadRequest
from core.models import list_models
from core.runs import RunStore, jobs
from core.runs.artifacts import read_arrays
from core.training.config import RunConfig, create_run
from core.training.presets import get_preset
from tests.conftest import FASHION_DIR

needs_fashion = pytest.mark.skipif(
    not (FASHION_DIR / "train-images-idx3-ubyte.gz").exists(),
    reason="Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)",
)
FASHION = LoadRequest("fashion-mnist")


@pytest.fixture
def store(tmp_path):
    return RunStore(tmp_path / "runs.db")


def run(store, request, model, params=None, training=None, limit=None, seed=0):
    config = RunConfig.build(request, model, params, limit=limit, training=training, seed=seed)
    return jobs.run_inline(create_run(store, config), store)


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


def test_numpy_mlp_learns_a_table_and_its_weights_load_into_numpy(store):
    record = run(store, LoadRequest("breast-cancer"), "numpy-mlp", {"hidden": "32"}, {"epochs": 5, "batch_size": 32})
    assert record.status == "finished", record.error
    assert record.metrics["test"]["accuracy"] > 0.85
    from safetensors.numpy import load_file

    weights = load_file(str(store.artifacts_dir(record.id) / "model.safetensors"))
    assert weights["hidden1.weight"].shape == (30, 32) and weights["output.weight"].shape == (32, 2)


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


def test_relu_with_uniform01_ends_as_diverged_as_for_torch(store):
    preset = get_preset("mlp-relu-sgdm-uniform")
    record = run(store, LoadRequest("digits"), "numpy-mlp", preset.params, preset.training | {"epochs": 2})
    assert record.status == "diverged", (record.status, record.error)
    assert "epoch 1" in record.error and "batch" in record.error
    assert json.loads((store.artifacts_dir(record.id) / "training.json").read_text())["stop_status"] == "diverged"


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


def test_a_batch_that_cannot_fit_is_refused_with_a_suggestion(store, monkeypatch):
    import core.training.numpy_run as numpy_run

    monkeypatch.setattr(numpy_run, "cpu_free_bytes", lambda: 12_000_000)
    record = run(store, LoadRequest("digits"), "numpy-mlp", {"hidden": "512,512"}, {"epochs": 1, "batch_size": 1024})
    assert record.status == "failed"
    assert "--batch-size" in record.error and "numpy-mlp needs about" in record.error


def test_stop_during_training_ends_the_run_stopped_and_keeps_its_curves(store):
    import threading
    import time

    config = RunConfig.build(LoadRequest("digits"), "numpy-mlp", {"hidden": "16"}, training={"epochs": 500})
    run_id = create_run(store, config)
    worker = threading.Thread(target=jobs.run_inline, args=(run_id, store))
    worker.start()
    history = store.artifacts_dir(run_id) / "history.json"
    deadline = time.monotonic() + 60
    while not history.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    store.request_stop(run_id)
    worker.join(60)
    record = store.get(run_id)
    assert record.status == "stopped", record.error
    assert "of 500 epochs" in record.error
    assert 1 <= len(json.loads(history.read_text())) < 500


@pytest.mark.parametrize("model", [s.name for s in list_models(family="numpy")])
def test_every_numpy_model_runs_end_to_end_on_tiny_images(store, idx_folder, model):
    folder, _ = idx_folder  # 40 training and 20 test images of 28x28, ten classes
    request = LoadRequest("fashion-mnist", source="file", path=str(folder))
    record = run(store, request, model, training={"epochs": 1, "batch_size": 16})
    assert record.status == "finished", record.error
    assert record.metrics["test"]["n"] == 20 and len(record.metrics["test"]["confusion_matrix"]) == 10
    analysis = json.loads((store.artifacts_dir(record.id) / "analysis.json").read_text())
    assert analysis["total_params"] > 0 and analysis["layers"]
