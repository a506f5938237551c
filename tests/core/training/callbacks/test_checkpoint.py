"""BestCheckpoint and the safetensors weight files: round trip, file format, rewrites only on improvement."""

import pytest
import torch
from safetensors import safe_open

from core.errors import TrainboardError
from core.training.callbacks import BestCheckpoint, Callback
from core.training.weights import load_weights, save_weights
from tests.core.training.callbacks.fake_trainer import FakeTrainer, run_epochs


def test_save_perturb_load_round_trip(tmp_path):
    model = FakeTrainer().model
    saved = {name: t.clone() for name, t in model.state_dict().items()}
    path = save_weights(model, tmp_path / "w.safetensors")
    with torch.no_grad():
        for param in model.parameters():
            param.add_(1.0)
    assert not torch.equal(model[0].weight, saved["0.weight"])
    assert load_weights(model, path) is model
    for name, tensor in model.state_dict().items():
        assert torch.equal(tensor, saved[name])


def test_the_file_is_safetensors_with_the_state_dict_keys_and_no_temp_file_is_left(tmp_path):
    model = FakeTrainer().model
    path = save_weights(model, tmp_path / "w.safetensors")
    with safe_open(str(path), framework="pt") as f:
        assert set(f.keys()) == {"0.weight", "0.bias"}
        assert torch.equal(f.get_tensor("0.weight"), model[0].weight.detach())
    assert [p.name for p in tmp_path.iterdir()] == ["w.safetensors"]


def test_non_contiguous_weights_are_saved(tmp_path):
    model = FakeTrainer().model
    with torch.no_grad():
        model[0].weight = torch.nn.Parameter(torch.randn(3, 2).t())  # a transposed, non-contiguous (2, 3) view
    path = save_weights(model, tmp_path / "w.safetensors")
    fresh = FakeTrainer().model
    load_weights(fresh, path)
    assert torch.equal(fresh[0].weight, model[0].weight)


def test_load_into_a_different_model_is_a_clear_error(tmp_path):
    path = save_weights(FakeTrainer().model, tmp_path / "w.safetensors")
    other = FakeTrainer(n_features=5).model
    with pytest.raises(TrainboardError, match="w.safetensors does not fit this model"):
        load_weights(other, path)


def test_saves_only_when_the_monitored_value_improves(tmp_path):
    # weights of epoch e are all e; val_accuracy 0.5 (saved), 0.4 (kept), 0.7 (saved), 0.7 (not larger: kept)
    trainer = FakeTrainer(run_dir=tmp_path)
    callback = BestCheckpoint()
    path = tmp_path / "best.safetensors"
    filled = []

    class Probe(Callback):  # reads the file after the checkpoint callback, epoch by epoch
        def on_epoch_end(self, trainer, logs):
            filled.append(load_weights(FakeTrainer().model, path)[0].bias[0].item())

    logs = run_epochs([callback, Probe()], trainer, [{"val_accuracy": v} for v in [0.5, 0.4, 0.7, 0.7]], True)
    assert filled == [1.0, 1.0, 3.0, 3.0]
    assert [row["best_epoch"] for row in logs[:-1]] == [1, 1, 3, 3]
    assert (callback.best, callback.best_epoch, callback.path) == (0.7, 3, path)
    assert callback.best_state is None


def test_min_mode_on_val_loss():
    trainer = FakeTrainer()
    callback = BestCheckpoint(monitor="val_loss", mode="min")
    run_epochs([callback], trainer, [{"val_loss": v} for v in [0.9, 0.5, 0.6]], weights_per_epoch=True)
    assert callback.best_epoch == 2


def test_without_a_run_folder_the_best_weights_stay_in_memory():
    trainer = FakeTrainer()
    callback = BestCheckpoint()
    run_epochs([callback], trainer, [{"val_accuracy": v} for v in [0.5, 0.9, 0.6]], weights_per_epoch=True)
    assert all(torch.equal(t, torch.full_like(t, 2.0)) for t in callback.best_state.values())
    assert all(torch.equal(p, torch.full_like(p, 3.0)) for p in trainer.model.parameters())


def test_no_best_epoch_before_a_finite_value():
    logs = run_epochs([BestCheckpoint()], FakeTrainer(), [{"val_accuracy": None}])
    assert "best_epoch" not in logs[0]


def test_a_tie_in_accuracy_is_broken_by_a_lower_validation_loss():
    # Epochs 1-3 tie at 0.8 accuracy; the loss falls 1.0 -> 0.9 -> 0.95: epoch 2 is the best model.
    trainer = FakeTrainer(run_dir=None)
    callback = BestCheckpoint(tie_breaker="val_loss")
    callback.on_train_begin(trainer, {})
    for epoch, loss in enumerate([1.0, 0.9, 0.95], 1):
        trainer.epoch = epoch
        logs = {"val_accuracy": 0.8, "val_loss": loss}
        callback.on_epoch_end(trainer, logs)
    assert callback.best_epoch == 2 and logs["best_epoch"] == 2
    trainer.epoch = 4
    callback.on_epoch_end(trainer, {"val_accuracy": 0.85, "val_loss": 2.0})
    assert callback.best_epoch == 4, "a higher accuracy wins whatever its loss"
