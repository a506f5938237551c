"""ValidationMetrics agrees with sklearn on the trainer's own probabilities."""

import math

import numpy as np
import torch
from sklearn.metrics import accuracy_score, f1_score, log_loss, roc_auc_score

from core.training.callbacks import ValidationMetrics
from tests.core.training.callbacks.fake_trainer import FakeTrainer


def trainer_with_validation():
    trainer = FakeTrainer()
    generator = torch.Generator().manual_seed(1)
    trainer.X_val = torch.randn(20, 3, generator=generator)
    trainer.y_val = torch.tensor([0, 1] * 10)
    trainer.epoch = 1
    return trainer


def test_validation_logs_equal_sklearn_on_the_same_probabilities():
    trainer = trainer_with_validation()
    logs = {"epoch": 1, "loss": 0.7}
    callback = ValidationMetrics()
    callback.on_epoch_end(trainer, logs)
    proba, y = trainer.predict_proba(trainer.X_val), trainer.y_val.numpy()
    predicted = proba.argmax(axis=1)
    assert logs["val_accuracy"] == accuracy_score(y, predicted)
    assert math.isclose(logs["val_loss"], log_loss(y, proba), rel_tol=1e-9)
    assert math.isclose(logs["val_f1_macro"], f1_score(y, predicted, average="macro"), rel_tol=1e-9)
    assert math.isclose(logs["val_f1_micro"], f1_score(y, predicted, average="micro"), rel_tol=1e-9)
    assert math.isclose(logs["val_roc_auc"], roc_auc_score(y, proba[:, 1]), rel_tol=1e-9)
    assert logs["loss"] == 0.7 and callback.last.n == 20 and callback.last.classes == ["no", "yes"]


def test_roc_auc_is_none_when_a_class_is_absent():
    trainer = trainer_with_validation()
    trainer.y_val = torch.zeros(20, dtype=torch.int64)
    logs = {}
    ValidationMetrics().on_epoch_end(trainer, logs)
    assert logs["val_roc_auc"] is None and logs["val_accuracy"] is not None


def test_nothing_without_a_validation_set():
    logs = {"epoch": 1}
    callback = ValidationMetrics()
    callback.on_epoch_end(FakeTrainer(), logs)
    assert logs == {"epoch": 1} and callback.last is None


def test_diverged_model_gives_nan_scores_instead_of_failing():
    trainer = trainer_with_validation()
    trainer.set_weights(math.nan)
    logs = {}
    ValidationMetrics().on_epoch_end(trainer, logs)
    assert set(logs) == {"val_loss", "val_accuracy", "val_f1_micro", "val_f1_macro", "val_roc_auc"}
    assert all(np.isnan(value) for value in logs.values())
