"""TerminateOnNaN on a scripted loss sequence and on NaN weights; likely_causes' explanations."""

import math

import pytest
import torch

from core.training.callbacks import CallbackList, TerminateOnNaN, likely_causes
from core.training.callbacks.terminate_on_nan import CAUSES
from tests.core.training.callbacks.fake_trainer import FakeTrainer


def feed_batches(callback, trainer, epoch_losses):
    """Batch ends epoch by epoch, stopping after the batch where the trainer is asked to stop."""
    callbacks = CallbackList([callback])
    callbacks.call("on_train_begin", trainer, {})
    for epoch, losses in enumerate(epoch_losses, start=1):
        trainer.epoch = epoch
        for batch, loss in enumerate(losses, start=1):
            trainer.batch = batch
            callbacks.call("on_batch_end", trainer, {"batch": batch, "loss": loss})
            if trainer.should_stop:
                return


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_stops_at_the_batch_where_the_loss_is_not_finite(bad):
    trainer, callback = FakeTrainer(), TerminateOnNaN()
    feed_batches(callback, trainer, [[0.6, 0.55], [0.5, 0.4, bad, 0.3]])
    assert callback.diverged_at == (2, 3) and (trainer.epoch, trainer.batch) == (2, 3)
    assert trainer.stop_status == "diverged"
    assert trainer.stop_reason == f"the training loss became {bad} at epoch 2, batch 3"


def test_finite_losses_within_the_limit_do_not_stop():
    trainer, callback = FakeTrainer(), TerminateOnNaN()
    feed_batches(callback, trainer, [[0.5, 9999.0, 0.4]])
    assert not trainer.should_stop and callback.diverged_at is None


def test_an_exploded_but_finite_loss_is_divergence():
    # The ReLU / RandomUniform(0, 1) MLP: loss in the millions, never NaN (every ReLU dies afterwards).
    trainer, callback = FakeTrainer(), TerminateOnNaN()
    feed_batches(callback, trainer, [[2.3, 2.2], [2.7e6, 2.3]])
    assert trainer.stop_status == "diverged" and callback.diverged_at == (2, 1)
    assert trainer.stop_reason == "the training loss reached 2.7e+06 (above 10000) at epoch 2, batch 1"


@pytest.mark.parametrize("off", [0, 0.0, None])
def test_without_a_loss_cap_only_nan_or_inf_stops(off):
    # loss_cap 0: the study's exploding ReLU / RandomUniform(0, 1) loss stays on the curve.
    trainer, callback = FakeTrainer(), TerminateOnNaN(off)
    feed_batches(callback, trainer, [[2.7e6, 1.37e5], [1.3e5]])
    assert not trainer.should_stop
    feed_batches(callback, trainer, [[1.3e5, math.nan]])
    assert trainer.stop_status == "diverged" and callback.diverged_at == (1, 2)


def test_a_lower_loss_cap_stops_earlier():
    trainer, callback = FakeTrainer(), TerminateOnNaN(50.0)
    feed_batches(callback, trainer, [[2.3, 60.0]])
    assert trainer.stop_reason == "the training loss reached 60 (above 50) at epoch 1, batch 2"


def test_stops_at_epoch_end_when_a_weight_is_nan():
    trainer, callback = FakeTrainer(), TerminateOnNaN()
    trainer.epoch = 3
    callback.on_epoch_end(trainer, {"epoch": 3, "loss": 0.5})
    assert not trainer.should_stop
    with torch.no_grad():
        trainer.model[0].bias[1] = math.inf
    callback.on_epoch_end(trainer, {"epoch": 3, "loss": 0.5})
    assert trainer.stop_status == "diverged" and callback.diverged_layer == "0.bias"
    assert trainer.stop_reason == "weights of layer '0.bias' became NaN or Inf at epoch 3"


def test_reset_at_train_begin():
    trainer, callback = FakeTrainer(), TerminateOnNaN()
    feed_batches(callback, trainer, [[math.nan]])
    feed_batches(callback, FakeTrainer(), [[0.5]])
    assert callback.diverged_at is None


@pytest.mark.parametrize("activation", ["relu", "ReLU", "leaky_relu", "gelu", "linear"])
def test_unbounded_activation_with_positive_uniform_weights_is_explained(activation):
    causes = likely_causes(activation, "uniform01", "sgd", 0.01)
    assert "RandomUniform(0, 1)" in causes[0] and "he_uniform" in causes[0] and "1.37e5" in causes[0]
    assert len(causes) == 2  # the specific cause, then the general advice


def test_relu_message_names_relu():
    assert likely_causes("relu", "uniform01", "adam", 0.001)[0].startswith("ReLU with RandomUniform(0, 1) weights")


@pytest.mark.parametrize(("activation", "init"), [("sigmoid", "uniform01"), ("relu", "he_uniform"), (None, None)])
def test_no_init_explanation_for_other_combinations(activation, init):
    assert not any("RandomUniform" in cause for cause in likely_causes(activation, init, "sgd", 0.01))


@pytest.mark.parametrize(
    ("optimizer", "lr", "high"),
    [("adam", 0.5, True), ("adam", 0.1, False), ("RMSprop", 0.2, True), ("sgd", 0.5, False), ("sgd", 2.0, True)],
)
def test_high_learning_rate_for_the_optimizer(optimizer, lr, high):
    causes = likely_causes("tanh", "xavier_uniform", optimizer, lr)
    expected = f"learning rate {lr:g} is high for {optimizer.lower()}; try 10x smaller"
    assert (expected in causes) is high


def test_general_advice_always_comes_last():
    for causes in (likely_causes(None, None, "sgd", 0.01), likely_causes("relu", "uniform01", "adam", 1.0)):
        assert "input" in causes[-1] and "not a diagnosis" in causes[-1]
    assert len(likely_causes("relu", "uniform01", "adam", 1.0)) == 3


def test_causes_are_a_list_of_rules():
    assert all(callable(applies) and isinstance(message, str) for applies, message in CAUSES)
