"""Shared pieces of the sweep tests: a study storage and a run store in the test's folder, and small configs."""

from __future__ import annotations

import pytest

from core.sweeps.config import SweepConfig
from core.sweeps.space import SearchSpace

QUIET = {"histograms": False, "tensorboard": False}  # per-epoch extras the tests do not look at


@pytest.fixture
def storage(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'sweeps.db'}"


@pytest.fixture
def store(tmp_path):
    from core.runs import RunStore

    return RunStore(tmp_path / "runs" / "runs.db")


def logreg_config(storage: str, study: str = "s", **changes) -> SweepConfig:
    """A fast classical study: logistic regression on iris over C (and the solver's iterations)."""
    values = {
        "study": study,
        "dataset": {"name": "iris"},
        "model": "logreg",
        "space": SearchSpace.from_dict({"C": {"kind": "categorical", "choices": [0.01, 0.1, 1.0]}}),
        "sampler": "random",
        "trials": 4,
        "storage": storage,
    }
    return SweepConfig(**(values | changes))


def mlp_config(storage: str, study: str = "m", model: str = "mlp", **changes) -> SweepConfig:
    """A small network study on digits (1,797 8x8 images), 2 epochs a trial."""
    values = {
        "study": study,
        "dataset": {"name": "digits"},
        "model": model,
        "space": SearchSpace.from_dict(
            {"lr": {"kind": "float", "low": 1e-5, "high": 0.3, "log": True}, "hidden": {"choices": ["16", "64"]}}
        ),
        "sampler": "tpe",
        "trials": 6,
        "epochs": 2,
        "storage": storage,
        "training": dict(QUIET),
    }
    return SweepConfig(**(values | changes))
