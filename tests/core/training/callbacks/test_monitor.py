"""Monitor: direction of a metric, min_delta, the first value, None/NaN and the missing-key warning."""

import math
import warnings

import pytest

from core.errors import TrainboardError
from core.training.callbacks import Monitor


@pytest.mark.parametrize(
    ("key", "mode"),
    [("val_loss", "min"), ("val_accuracy", "max"), ("val_roc_auc", "max"), ("val_f1_macro", "max"), ("lr", "min")],
)
def test_auto_mode_maximises_accuracy_auc_and_f1_and_minimises_the_rest(key, mode):
    assert Monitor(key, "auto").mode == mode


def test_explicit_mode_wins_over_the_name():
    assert Monitor("val_accuracy", "min").mode == "min"


def test_first_finite_value_improves_then_min_delta_applies_in_min_mode():
    monitor = Monitor("val_loss", "min", min_delta=0.1)
    assert monitor.update(1.0, epoch=1) and (monitor.best, monitor.best_epoch) == (1.0, 1)
    assert not monitor.update(0.95, epoch=2)  # 0.95 < 1.0 - 0.1 = 0.9 is false
    assert not monitor.update(0.9, epoch=3)  # equal to best - min_delta: not more than min_delta better
    assert monitor.update(0.85, epoch=4) and (monitor.best, monitor.best_epoch) == (0.85, 4)


def test_max_mode_needs_a_strictly_larger_value():
    monitor = Monitor("val_accuracy", "max")
    assert monitor.update(0.5, 1)
    assert not monitor.update(0.5, 2)
    assert not monitor.update(0.4, 3)
    assert monitor.update(0.6, 4) and monitor.best_epoch == 4


@pytest.mark.parametrize("bad", [None, math.nan, math.inf, -math.inf])
def test_none_and_non_finite_values_never_improve(bad):
    monitor = Monitor("val_loss", "min")
    assert not monitor.update(bad, 1) and monitor.best is None
    monitor.update(1.0, 2)
    assert not monitor.update(bad, 3) and (monitor.best, monitor.best_epoch) == (1.0, 2)


def test_missing_key_warns_once_listing_the_keys_that_exist():
    monitor = Monitor("val_loss")
    with pytest.warns(RuntimeWarning, match=r"'val_loss' is not in the epoch logs \(available: accuracy, loss\)"):
        assert monitor.value({"loss": 0.3, "accuracy": 0.9}) is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert monitor.value({"loss": 0.3}) is None  # no second warning
    monitor.reset()
    with pytest.warns(RuntimeWarning):  # a new run warns again
        monitor.value({})


def test_value_reads_the_key_as_float():
    assert Monitor("val_loss").value({"val_loss": 1}) == 1.0
    assert Monitor("val_roc_auc").value({"val_roc_auc": None}) is None


def test_reset_at_train_begin_forgets_the_best():
    monitor = Monitor("val_loss")
    monitor.update(0.1, 3)
    monitor.on_train_begin(None, {})
    assert (monitor.best, monitor.best_epoch) == (None, None)
    assert monitor.update(5.0, 1)


@pytest.mark.parametrize(("kwargs", "field"), [({"mode": "up"}, "mode"), ({"min_delta": -0.1}, "min_delta")])
def test_invalid_settings_name_the_field(kwargs, field):
    with pytest.raises(TrainboardError, match=field):
        Monitor("val_loss", **kwargs)
