"""Torch runs end to end through the run store: real Fashion-MNIST rows, one epoch, every artifact checked; and a
CUDA out-of-memory. What every network run does (diverge, refuse, stop, every model) is in test_network_run.py."""

import json

import numpy as np
import pytest

from core.datasets import LoadRequest
from core.runs.artifacts import read_arrays
from core.training.config import RunConfig
from tests.conftest import needs_fashion
from tests.core.training.runs import run

FASHION = LoadRequest("fashion-mnist")


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


def test_cuda_out_of_memory_ends_the_run_failed_with_advice(store, monkeypatch):
    import torch

    from core.training.trainer import Trainer

    def out_of_memory(self, *args, **kwargs):
        raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")

    monkeypatch.setattr(Trainer, "fit", out_of_memory)
    record = run(store, LoadRequest("digits"), "mlp", {"hidden": "16"}, {"epochs": 1, "batch_size": 64})
    assert record.status == "failed"
    assert "batch size 64" in record.error and "lower the batch size to 32" in record.error
