"""HistoryWriter: plain rows in trainer.history, history.json and history.csv round trips."""

import csv
import io
import math

import numpy as np
import pytest
import torch

from core.training.callbacks import HistoryWriter, read_history
from tests.core.training.callbacks.fake_trainer import FakeTrainer, run_epochs


def test_rows_are_json_plain_with_nan_and_inf_as_none(tmp_path):
    trainer = FakeTrainer(run_dir=tmp_path)
    rows = [
        {"loss": 0.5, "accuracy": np.float32(0.75), "seconds": np.float64(1.5)},
        {"loss": math.nan, "accuracy": math.inf, "best_epoch": np.int64(1), "grad_norm": torch.tensor(2.0)},
    ]
    run_epochs([HistoryWriter()], trainer, rows)
    expected = [
        {"epoch": 1, "loss": 0.5, "accuracy": 0.75, "seconds": 1.5},
        {"epoch": 2, "loss": None, "accuracy": None, "best_epoch": 1, "grad_norm": 2.0},
    ]
    assert trainer.history == expected
    assert all(type(v) in (int, float, type(None)) for row in trainer.history for v in row.values())
    assert read_history(tmp_path) == expected


def test_csv_has_the_union_of_keys_in_first_seen_order(tmp_path):
    trainer = FakeTrainer(run_dir=tmp_path)
    run_epochs([HistoryWriter()], trainer, [{"loss": 0.5}, {"loss": math.nan, "val_loss": 0.25}])
    text = (tmp_path / "history.csv").read_text()
    assert text.splitlines()[0] == "epoch,loss,val_loss"
    assert list(csv.DictReader(io.StringIO(text))) == [
        {"epoch": "1", "loss": "0.5", "val_loss": ""},
        {"epoch": "2", "loss": "", "val_loss": "0.25"},
    ]


def test_history_grows_as_epochs_finish(tmp_path):
    trainer = FakeTrainer(run_dir=tmp_path)
    callback = HistoryWriter()
    assert read_history(tmp_path) == []
    for epoch in (1, 2, 3):
        trainer.epoch = epoch
        callback.on_epoch_end(trainer, {"epoch": epoch, "loss": 1 / epoch})
        assert [row["epoch"] for row in read_history(tmp_path)] == list(range(1, epoch + 1))


def test_without_a_run_folder_only_trainer_history():
    trainer = FakeTrainer()
    run_epochs([HistoryWriter()], trainer, [{"loss": 0.5}])
    assert trainer.history == [{"epoch": 1, "loss": 0.5}]


def test_a_value_that_is_not_a_number_names_its_key():
    trainer = FakeTrainer()
    with pytest.raises(TypeError, match="'layers'"):
        HistoryWriter().on_epoch_end(trainer, {"epoch": 1, "layers": {"a": 1}})
