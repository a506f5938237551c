"""Many seeds: each seed its own starting weights, the same data; in a thread it can be watched and stopped."""

import time

import numpy as np
import pytest

from core.errors import TrainboardError
from core.playground.convergence import ConvergenceStudy
from core.playground.session import Playground
from core.playground.setup import Setup


def test_each_seed_is_the_playground_trained_from_that_seed():
    setup = Setup(dataset="xor", hidden=(2,), activations=("tanh",))
    study = ConvergenceStudy(setup, epochs=30, seeds=4).run()
    assert [r.seed for r in study.results] == [0, 1, 2, 3]
    one = Playground(Setup(dataset="xor", hidden=(2,), activations=("tanh",), weight_seed=2))
    one.step(30)
    assert study.results[2].test_loss == pytest.approx(one.history[-1][2])
    losses = study.losses()
    assert len(np.unique(losses)) == 4, "different starts end differently"
    assert study.share_reaching(float(np.median(losses))) == pytest.approx(0.5, abs=0.25)


def test_in_the_background_it_can_be_stopped():
    study = ConvergenceStudy(Setup(), epochs=200, seeds=200).start()
    deadline = time.monotonic() + 30
    while not study.results and time.monotonic() < deadline:
        time.sleep(0.02)
    study.cancel()
    while study.running and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not study.running and 0 < len(study.results) < 200 and study.error is None


def test_bad_sizes_are_named():
    with pytest.raises(TrainboardError, match="seeds 0"):
        ConvergenceStudy(Setup(), epochs=10, seeds=0)
