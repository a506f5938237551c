"""Torch runs end to end through the run store: real Fashion-MNIST rows, one epoch, every artifact checked;
and the ways a network run ends other than finished (diverged, refused, stopped)."""

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


def run(store, request, model, params=None, training=None, limit=None):
    config = RunConfig.build(request, model, params, limit=limit, training=training)
    return jobs.run_inline(create_run(store, config), store)


@needs_fashion
def test_one_epoch_of_lenet_on_a_fashion_subset_beats_chance(store):
    record = run(store, FASHION, "lenet", {"variant": "modern"}, {"epochs": 1, "batch_size": 64}, limit=3000)
    assert record.status == "finished", record.error
    assert record.family == "torch"
    test = record.metrics["test"]
    assert test["accuracy"] > 0.4  # ten classes: chance is 0.1
    folder = store.artifacts_dir(record.id)
    names = {p.name for p in folder.iterdir()}
    expected = {"analysis.json", "history.json", "history.csv", "histograms.json", "best.safetensors"}
    assert expected | {"model.safetensors", "training.json", "predictions.npz", "metrics.json"} <= names
    history = json.loads((folder / "history.json").read_text())
    assert [row["epoch"] for row in history] == [1]
    assert {"loss", "accuracy", "val_loss", "val_accuracy", "val_f1_micro", "val_roc_auc", "lr"} <= set(history[0])
    assert list((folder / "tensorboard").iterdir()), "TensorBoard event files are written"
    predictions = read_arrays(folder, "predictions.npz")
    assert len(predictions["rows"]) == test["n"] and predictions["proba"].shape == (test["n"], 10)
    predicted = predictions["proba"].argmax(axis=1)
    assert np.mean(predicted == predictions["y_true"]) == pytest.approx(test["accuracy"])
    wrong = read_arrays(folder, "misclassified.npz")
    assert len(wrong["images"]) == round((1 - test["accuracy"]) * test["n"])
    assert wrong["images"].shape[1:] == (28, 28) and (wrong["y_true"] != wrong["y_pred"]).all()
    assert (np.diff(wrong["confidence"]) <= 0).all(), "most confident mistakes first"
    assert record.timings["model_size_bytes"] == (folder / "model.safetensors").stat().st_size
    assert "--epochs 1" in RunConfig.from_dict(record.config).command_line()


def test_an_mlp_learns_a_table(store):
    record = run(store, LoadRequest("breast-cancer"), "mlp", {"hidden": "32"}, {"epochs": 5, "batch_size": 32})
    assert record.status == "finished", record.error
    assert record.metrics["test"]["accuracy"] > 0.85


def test_relu_with_uniform01_ends_as_diverged_with_epoch_and_batch(store):
    preset = get_preset("mlp-relu-sgdm-uniform")
    record = run(store, LoadRequest("digits"), preset.model, preset.params, preset.training | {"epochs": 2})
    assert record.status == "diverged", (record.status, record.error)
    assert "epoch 1" in record.error and "batch" in record.error
    assert json.loads((store.artifacts_dir(record.id) / "training.json").read_text())["stop_status"] == "diverged"


def test_a_batch_that_cannot_fit_is_refused_with_a_suggestion(store, monkeypatch):
    import core.training.torch_run as torch_run

    monkeypatch.setattr(torch_run, "free_memory_bytes", lambda device: 12_000_000)
    record = run(store, LoadRequest("digits"), "mlp", {"hidden": "512,512"}, {"epochs": 1, "batch_size": 1024})
    assert record.status == "failed"
    assert "--batch-size" in record.error and "mlp needs about" in record.error


def test_cuda_out_of_memory_ends_the_run_failed_with_advice(store, monkeypatch):
    import torch

    from core.training.trainer import Trainer

    def out_of_memory(self, *args, **kwargs):
        raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")

    monkeypatch.setattr(Trainer, "fit", out_of_memory)
    record = run(store, LoadRequest("digits"), "mlp", {"hidden": "16"}, {"epochs": 1, "batch_size": 64})
    assert record.status == "failed"
    assert "batch size 64" in record.error and "--batch-size 32" in record.error


def test_stop_during_training_ends_the_run_stopped_and_keeps_its_curves(store):
    import threading
    import time

    config = RunConfig.build(LoadRequest("digits"), "mlp", {"hidden": "16"}, training={"epochs": 500})
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


@pytest.mark.parametrize("model", [s.name for s in list_models(family="torch")])
def test_every_torch_model_runs_end_to_end_on_tiny_images(store, idx_folder, model):
    folder, _ = idx_folder  # 40 training and 20 test images of 28x28, ten classes
    request = LoadRequest("fashion-mnist", source="file", path=str(folder))
    record = run(store, request, model, training={"epochs": 1, "batch_size": 16})
    assert record.status == "finished", record.error
    assert record.metrics["test"]["n"] == 20 and len(record.metrics["test"]["confusion_matrix"]) == 10
    analysis = json.loads((store.artifacts_dir(record.id) / "analysis.json").read_text())
    assert analysis["total_params"] > 0 and analysis["layers"]
