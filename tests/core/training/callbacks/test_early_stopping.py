"""EarlyStopping on scripted metric sequences: the exact epoch it stops at (hand-checked in the comments),
min_delta, max mode, restoring the best epoch's weights, and reusing one instance."""

import math

import pytest
import torch

from core.errors import TrainboardError
from core.training.callbacks import EarlyStopping
from tests.core.training.callbacks.fake_trainer import FakeTrainer, run_epochs, stop_epoch


def test_stops_after_patience_epochs_without_improvement():
    # e1 1.0 best; e2 0.9 best, wait 0; e3 0.95 wait 1; e4 0.94 wait 2 = patience -> stop at 4 (0.93 never seen)
    assert stop_epoch(EarlyStopping(patience=2), [1.0, 0.9, 0.95, 0.94, 0.93]) == 4


def test_an_improvement_resets_the_wait():
    # e1 1.0; e2 1.1 wait 1; e3 0.8 best, wait 0; e4 0.9 wait 1; e5 0.85 wait 2 -> stop at 5
    assert stop_epoch(EarlyStopping(patience=2), [1.0, 1.1, 0.8, 0.9, 0.85, 0.7]) == 5


def test_never_stops_while_improving():
    assert stop_epoch(EarlyStopping(patience=1), [1.0, 0.9, 0.8, 0.7]) is None


def test_min_delta_ignores_small_improvements():
    values = [1.0, 0.95, 0.92, 0.91, 0.5]
    # min_delta 0.1: e2 0.95, e3 0.92, e4 0.91 are all >= 1.0 - 0.1 = 0.9 -> wait 1, 2, 3 = patience -> stop at 4
    assert stop_epoch(EarlyStopping(patience=3, min_delta=0.1), values) == 4
    # without it each epoch improves: no stop
    assert stop_epoch(EarlyStopping(patience=3), values) is None


def test_an_improvement_of_exactly_min_delta_does_not_count():
    # e2: 0.5 < 1.0 - 0.5 is false -> wait 1 = patience -> stop at 2
    assert stop_epoch(EarlyStopping(patience=1, min_delta=0.5), [1.0, 0.5]) == 2


def test_max_mode_on_val_accuracy():
    # auto -> max. e1 0.5; e2 0.6 best; e3 0.6 not larger, wait 1; e4 0.55 wait 2 -> stop at 4
    callback = EarlyStopping(monitor="val_accuracy", patience=2)
    assert stop_epoch(callback, [0.5, 0.6, 0.6, 0.55, 0.7], key="val_accuracy") == 4
    assert (callback.best, callback.best_epoch, callback.stopped_epoch) == (0.6, 2, 4)


def test_nan_counts_as_no_improvement():
    # e1 1.0; e2 nan wait 1; e3 nan wait 2 -> stop at 3
    assert stop_epoch(EarlyStopping(patience=2), [1.0, math.nan, math.nan, 0.1]) == 3


def test_stop_request_has_status_early_and_a_message_with_the_best_epoch():
    trainer = FakeTrainer()
    run_epochs([EarlyStopping(patience=2)], trainer, [{"val_loss": v} for v in [1.0, 0.9, 0.95, 0.94]])
    assert trainer.stop_status == "early"
    assert trainer.stop_reason == (
        "early stopping: val_loss did not improve by more than 0.0 for 2 epochs; best 0.9000 at epoch 2"
    )


def test_restores_the_weights_of_the_best_epoch():
    # each epoch's weights are all equal to the epoch number; best val_loss at epoch 2, stop at 4
    trainer = FakeTrainer()
    logs = run_epochs(
        [EarlyStopping(patience=2)], trainer, [{"val_loss": v} for v in [1.0, 0.5, 0.7, 0.8]], weights_per_epoch=True
    )
    assert trainer.epoch == 4
    for param in trainer.model.parameters():
        assert torch.equal(param, torch.full_like(param, 2.0))
    assert logs[-1] == {"restored_epoch": 2}


def test_without_restore_the_last_weights_stay():
    trainer = FakeTrainer()
    callback = EarlyStopping(patience=2, restore_best_weights=False)
    logs = run_epochs([callback], trainer, [{"val_loss": v} for v in [1.0, 0.5, 0.7, 0.8]], weights_per_epoch=True)
    assert all(torch.equal(p, torch.full_like(p, 4.0)) for p in trainer.model.parameters())
    assert "restored_epoch" not in logs[-1] and callback.best_weights is None


def test_nothing_to_restore_when_the_last_epoch_was_the_best():
    trainer = FakeTrainer()
    logs = run_epochs([EarlyStopping(patience=2)], trainer, [{"val_loss": v} for v in [1.0, 0.5]], True)
    assert all(torch.equal(p, torch.full_like(p, 2.0)) for p in trainer.model.parameters())
    assert logs[-1] == {}


def test_the_best_copy_does_not_follow_later_training():
    trainer = FakeTrainer()
    callback = EarlyStopping(patience=5)
    run_epochs([callback], trainer, [{"val_loss": 1.0}])
    kept = {name: t.clone() for name, t in callback.best_weights.items()}
    trainer.take_step()  # in-place update of the live parameters
    assert all(torch.equal(kept[name], t) for name, t in callback.best_weights.items())


def test_an_instance_is_reusable_after_train_begin():
    callback = EarlyStopping(patience=2)
    values = [1.0, 0.9, 0.95, 0.94, 0.93]
    assert stop_epoch(callback, values) == 4
    assert stop_epoch(callback, [5.0, 4.0, 3.0]) is None  # would stop at once if best 0.9 / wait 2 survived
    assert (callback.best, callback.wait, callback.stopped_epoch) == (3.0, 0, None)
    assert stop_epoch(callback, values) == 4


def test_missing_metric_warns_and_never_stops():
    with pytest.warns(RuntimeWarning, match=r"'val_loss' is not in the epoch logs \(available: epoch, loss\)"):
        assert stop_epoch(EarlyStopping(patience=1), [0.5, 0.6, 0.7], key="loss") is None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"patience": 0}, "patience"), ({"patience": 1.5}, "patience"), ({"min_delta": -1}, "min_delta")],
)
def test_invalid_settings_are_refused(kwargs, field):
    with pytest.raises(TrainboardError, match=field):
        EarlyStopping(**kwargs)
