"""Each learning-rate schedule of the NumPy engine against the torch schedule of the same name and settings."""

import pytest

from core.scratch.optimizers import SGD
from core.scratch.schedules import make_schedule
from core.training.schedules import SCHEDULES, lr_sequence


def our_sequence(name, epochs, lr, metrics=None, **kw):
    optimizer = SGD(lr)
    schedule = make_schedule(name, optimizer, epochs=epochs, **kw)
    rates = []
    for epoch in range(epochs):
        rates.append(optimizer.lr)
        schedule.step(None if metrics is None else metrics[epoch])
    return rates


@pytest.mark.parametrize(
    "name, kw",
    [
        ("constant", {}),
        ("step", {}),
        ("step", {"step_size": 2, "gamma": 0.5}),
        ("exponential", {}),
        ("exponential", {"gamma": 0.7}),
        ("cosine", {}),
        ("inverse_time", {}),
        ("inverse_time", {"gamma": 0.5, "step_size": 2}),
        ("reference_every_epoch", {}),
        ("reference", {}),
    ],
)
def test_the_same_rates_as_torch(name, kw):
    assert our_sequence(name, 12, 0.1, **kw) == pytest.approx(lr_sequence(name, 12, 0.1, **kw), rel=1e-12)


def test_plateau_cuts_on_the_same_epochs_as_torch():
    losses = [1.0, 0.9, 0.9, 0.95, 0.9, 0.89995, 0.91, 0.8, 0.81, 0.82, 0.83, 0.84]
    for patience, gamma in ((1, 0.5), (2, None), (0, 0.1)):
        ours = our_sequence("plateau", 12, 0.1, metrics=losses, patience=patience, gamma=gamma)
        torch_rates = lr_sequence("plateau", 12, 0.1, metrics=losses, patience=patience, gamma=gamma)
        assert ours == pytest.approx(torch_rates, rel=1e-12)


def test_reference_follows_the_validation_accuracy_as_torch():
    accuracies = [0.5, 0.6, 0.6, 0.55, 0.7, 0.71, 0.7, 0.69, 0.72, 0.72, 0.8, 0.79]
    ours = our_sequence("reference", 12, 0.1, metrics=accuracies)
    assert ours == pytest.approx(lr_sequence("reference", 12, 0.1, metrics=accuracies), rel=1e-12)


def test_every_torch_schedule_exists_here():
    for name in SCHEDULES:
        make_schedule(name, SGD(0.1), epochs=3)
