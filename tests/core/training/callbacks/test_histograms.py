"""GradientHistograms: counts cover every value, norms match torch, the JSON file round-trips."""

import json
import math

import numpy as np
import pytest
import torch

from core.errors import TrainboardError
from core.training.callbacks import GradientHistograms, read_histograms
from tests.core.training.callbacks.fake_trainer import FakeTrainer


def one_epoch(callback, trainer, epoch=1):
    trainer.epoch = epoch
    logs = {"epoch": epoch}
    callback.on_epoch_end(trainer, logs)
    return logs


def test_histograms_and_norms_per_layer():
    trainer = FakeTrainer()
    trainer.take_step()
    callback = GradientHistograms(bins=7)
    callback.on_train_begin(trainer, {})
    logs = one_epoch(callback, trainer)
    [record] = callback.records
    assert record["epoch"] == 1 and set(record["layers"]) == {"0.weight", "0.bias"}
    for name, param in trainer.model.named_parameters():
        layer = record["layers"][name]
        for histogram in (layer["weights"], layer["gradients"]):
            assert sum(histogram["counts"]) == param.numel() and len(histogram["counts"]) == 7
            assert len(histogram["edges"]) == 8 and histogram["nonfinite"] == 0
        assert math.isclose(layer["weight_norm"], torch.linalg.vector_norm(param).item(), rel_tol=1e-6)
        assert math.isclose(layer["grad_norm"], torch.linalg.vector_norm(param.grad).item(), rel_tol=1e-6)
        values = param.detach().double().numpy().ravel()
        assert layer["weights"]["counts"] == np.histogram(values, bins=7)[0].tolist()
    all_grads = torch.cat([p.grad.flatten() for p in trainer.model.parameters()])
    assert math.isclose(logs["grad_norm"], torch.linalg.vector_norm(all_grads).item(), rel_tol=1e-6)


def test_no_gradients_yet_and_frozen_parameters_are_skipped():
    trainer = FakeTrainer()
    trainer.model[0].bias.requires_grad_(False)
    callback = GradientHistograms()
    logs = one_epoch(callback, trainer)
    layers = callback.records[0]["layers"]
    assert set(layers) == {"0.weight"} and "gradients" not in layers["0.weight"]
    assert logs["grad_norm"] is None


def test_nan_values_are_counted_apart():
    trainer = FakeTrainer()
    with torch.no_grad():
        trainer.model[0].weight[0, 0] = math.nan
    callback = GradientHistograms()
    one_epoch(callback, trainer)
    layer = callback.records[0]["layers"]["0.weight"]
    assert layer["weights"]["nonfinite"] == 1 and sum(layer["weights"]["counts"]) == 5
    assert layer["weight_norm"] is None


def test_records_are_written_every_epoch_and_read_back(tmp_path):
    trainer = FakeTrainer(run_dir=tmp_path)
    callback = GradientHistograms(bins=3)
    callback.on_train_begin(trainer, {})
    assert read_histograms(tmp_path) == []
    for epoch in (1, 2):
        trainer.take_step()
        one_epoch(callback, trainer, epoch)
        assert [r["epoch"] for r in read_histograms(tmp_path)] == list(range(1, epoch + 1))
    assert read_histograms(tmp_path) == json.loads(json.dumps(callback.records))
    callback.on_train_begin(trainer, {})
    assert callback.records == []


def test_bins_must_be_positive():
    with pytest.raises(TrainboardError, match="bins"):
        GradientHistograms(bins=0)
