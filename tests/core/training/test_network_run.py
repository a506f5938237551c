"""What every network run promises, whichever engine trains it (torch and the NumPy engine, one path:
core/training/network_run.py): it learns, a blow-up ends it as diverged, a batch that cannot fit is refused
with a suggestion, Stop keeps its curves, and every registered network runs end to end."""

import json

import pytest

from core.datasets import LoadRequest
from core.models import list_models
from core.models.registry import NETWORK_FAMILIES
from core.runs import jobs
from core.training.callbacks import read_batch_curve
from core.training.config import RunConfig, create_run
from core.training.presets import get_preset
from tests.core.training.runs import run

MLPS = ["mlp", "numpy-mlp"]  # one network, one engine each
# Where each engine reads the free memory of its device, to pretend it is small.
FREE_MEMORY = {
    "mlp": ("core.training.torch_run", "free_memory_bytes", lambda device: 12_000_000),
    "numpy-mlp": ("core.training.numpy_run", "cpu_free_bytes", lambda: 12_000_000),
}


@pytest.mark.parametrize("model", MLPS)
def test_an_mlp_learns_a_table(store, model):
    record = run(store, LoadRequest("breast-cancer"), model, {"hidden": "32"}, {"epochs": 5, "batch_size": 32})
    assert record.status == "finished", record.error
    assert record.metrics["test"]["accuracy"] > 0.85
    assert record.family == ("torch" if model == "mlp" else "numpy")
    # The live curve within epochs: its points end at each epoch's last batch, and the epoch's training accuracy
    # (the mean over its batches) lies within the range of its points.
    points = read_batch_curve(store.artifacts_dir(record.id))
    history = json.loads((store.artifacts_dir(record.id) / "history.json").read_text())
    assert [p["epoch"] for p in points if p["epoch"] == int(p["epoch"])] == [1, 2, 3, 4, 5]
    first = [p["accuracy"] for p in points if p["epoch"] <= 1]
    assert min(first) <= history[0]["accuracy"] <= max(first)
    assert [row["elapsed_seconds"] for row in history] == sorted(row["elapsed_seconds"] for row in history)


@pytest.mark.parametrize("model", MLPS)
def test_relu_with_uniform01_ends_as_diverged_with_epoch_and_batch(store, model):
    # The default loss cap (1e4); the preset turns it off to show the explosion, as the study did.
    preset = get_preset("mlp-relu-sgdm-uniform")
    record = run(store, LoadRequest("digits"), model, preset.params, preset.training | {"epochs": 2, "loss_cap": 1e4})
    assert record.status == "diverged", (record.status, record.error)
    assert "epoch 1" in record.error and "batch" in record.error
    assert json.loads((store.artifacts_dir(record.id) / "training.json").read_text())["stop_status"] == "diverged"


@pytest.mark.parametrize("model", MLPS)
def test_relu_with_uniform01_and_no_loss_cap_trains_and_shows_its_exploding_loss(store, model):
    # The study's model 2 trained 5 epochs with a training loss of 1.3668e5: without the cap ours trains on, and
    # the curve shows the blow-up (the study's early stopping, patience 2, may end it before the last epoch).
    preset = get_preset("mlp-relu-sgdm-uniform")
    training = preset.training | {"epochs": 3, "patience": 0}
    record = run(store, LoadRequest("digits"), model, preset.params, training, limit=300)
    assert record.status == "finished", (record.status, record.error)
    history = json.loads((store.artifacts_dir(record.id) / "history.json").read_text())
    assert len(history) == 3
    assert max(row["loss"] for row in history) > 1e4
    assert all("val_accuracy" in row for row in history)


@pytest.mark.parametrize("model", MLPS)
def test_a_batch_that_cannot_fit_is_refused_with_a_suggestion(store, monkeypatch, model):
    import importlib

    module, name, fake = FREE_MEMORY[model]
    monkeypatch.setattr(importlib.import_module(module), name, fake)
    record = run(store, LoadRequest("digits"), model, {"hidden": "512,512"}, {"epochs": 1, "batch_size": 1024})
    assert record.status == "failed"
    assert "lower the batch size to" in record.error and f"{model} needs about" in record.error
    assert not (store.artifacts_dir(record.id) / "history.json").exists(), "refused before training"


@pytest.mark.parametrize("model", MLPS)
def test_stop_during_training_ends_the_run_stopped_and_keeps_its_curves(store, model):
    import threading
    import time

    config = RunConfig.build(LoadRequest("digits"), model, {"hidden": "16"}, training={"epochs": 500})
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


NETWORKS = [spec.name for family in NETWORK_FAMILIES for spec in list_models(family=family)]


@pytest.mark.parametrize("model", NETWORKS)
def test_every_network_runs_end_to_end_on_tiny_images(store, idx_folder, model):
    folder, _ = idx_folder  # 40 training and 20 test images of 28x28, ten classes
    request = LoadRequest("fashion-mnist", source="file", path=str(folder))
    record = run(store, request, model, training={"epochs": 1, "batch_size": 16})
    assert record.status == "finished", record.error
    assert record.metrics["test"]["n"] == 20 and len(record.metrics["test"]["confusion_matrix"]) == 10
    analysis = json.loads((store.artifacts_dir(record.id) / "analysis.json").read_text())
    assert analysis["total_params"] > 0 and analysis["layers"]
