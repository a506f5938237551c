"""A study's whole configuration: what it searches, on which data, for which score, within which budget.

It is stored with the study (an Optuna user attribute), so any worker that joins the study by name, on any
machine, runs exactly the same trials; `validate` refuses a configuration before anything is created.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from core.errors import TrainboardError
from core.paths import data_dir, ensure_dir
from core.runs.record import TAG_MAX
from core.sweeps.space import SearchSpace


class SweepError(TrainboardError):
    """A sweep that cannot be set up or run; the message names the field, study or storage."""


@dataclass(frozen=True)
class Objective:
    """A score a study optimises: read from a finished run, and per epoch (for pruning) from the epoch logs."""

    title: str
    direction: str  # "maximize" | "minimize"
    section: str  # "metrics" (of the validation rows) or "timings"
    key: str  # the key in that section
    epoch_key: str | None = None  # the epoch logs' key with the same figure (networks); None: computed


OBJECTIVES: dict[str, Objective] = {
    "accuracy": Objective("validation accuracy", "maximize", "metrics", "accuracy", "val_accuracy"),
    "balanced_accuracy": Objective("validation balanced accuracy", "maximize", "metrics", "balanced_accuracy"),
    "f1_macro": Objective("validation macro-F1", "maximize", "metrics", "f1_macro", "val_f1_macro"),
    "log_loss": Objective("validation log loss", "minimize", "metrics", "log_loss", "val_loss"),
}
# A second objective makes the study look for a Pareto front of score against cost.
SECOND_OBJECTIVES: dict[str, Objective] = {
    "training_time": Objective("training time (s)", "minimize", "timings", "fit_seconds"),
    "model_size": Objective("model size (bytes)", "minimize", "timings", "model_size_bytes"),
}
SAMPLERS = {
    "grid": "every combination of the choices once, in a seeded order",
    "random": "independent random draws",
    "tpe": "Bayesian search (tree-structured Parzen estimator), after a few random trials",
}
PRUNERS = {
    "median": "stop a trial whose epoch score is below the median of earlier trials at that epoch",
    "hyperband": "Hyperband: successive halving over brackets of epoch budgets",
}
SWEEP_TAG = "sweep:"  # a trial's run is tagged sweep:<study>
# A study's runs carry its name in a tag (sweep:, carry:, best:), and a tag holds at most TAG_MAX characters:
# a longer name killed the worker at its first trial.
STUDY_NAME_MAX = TAG_MAX - len("carry:")


def request_fields(request) -> dict:
    """A LoadRequest as the plain dict a SweepConfig keeps (options as lists, as JSON has them)."""
    data = asdict(request)
    data["options"] = [list(pair) for pair in request.options]
    return data


def default_storage() -> str:
    """The SQLite database the studies live in unless a storage URL is given: data_dir()/sweeps/sweeps.db."""
    folder = ensure_dir(data_dir() / "sweeps")
    return f"sqlite:///{folder / 'sweeps.db'}"


@dataclass(frozen=True)
class SweepConfig:
    study: str
    dataset: dict  # a LoadRequest's fields
    model: str
    space: SearchSpace
    sampler: str = "tpe"
    trials: int | None = 20  # budget in trials (None: only the time budget)
    timeout_seconds: float | None = None  # budget in seconds of wall time from the study's first trial
    objective: str = "accuracy"
    second_objective: str | None = None
    prune: str | None = None  # None | "median" | "hyperband"
    storage: str = ""  # an RDB URL; "" means default_storage()
    limit: int | None = None  # rows sampled (stratified) before splitting, the same for every trial
    epochs: int | None = None  # every trial's epochs unless the space searches them (networks)
    seed: int = 0  # the split's, the runs' and the sampler's
    spec: str = "{}"  # a PreprocessSpec as JSON, the same for every trial
    params: dict = field(default_factory=dict)  # fixed model parameters beside the searched ones
    training: dict = field(default_factory=dict)  # fixed training options beside the searched ones

    @property
    def directions(self) -> list[str]:
        directions = [OBJECTIVES[self.objective].direction]
        if self.second_objective:
            directions.append(SECOND_OBJECTIVES[self.second_objective].direction)
        return directions

    @property
    def tag(self) -> str:
        return SWEEP_TAG + self.study

    def storage_url(self) -> str:
        return self.storage or default_storage()

    def budget_trials(self) -> int | None:
        """The trial budget; a grid never runs more trials than it has points."""
        if self.sampler == "grid":
            size = self.space.grid_size()
            return size if self.trials is None else min(self.trials, size)
        return self.trials

    def validate(self) -> SweepConfig:
        """SweepError naming the field when the configuration cannot run; returns self for chaining."""
        from core.models import get_model_spec

        if not self.study or not self.study.strip() or len(self.study) > STUDY_NAME_MAX or "," in self.study:
            raise SweepError(f"study: {self.study!r} is not a usable name (1-{STUDY_NAME_MAX} characters, no comma)")
        _one_of("sampler", self.sampler, SAMPLERS)
        _one_of("objective", self.objective, OBJECTIVES)
        if self.second_objective is not None:
            _one_of("second_objective", self.second_objective, SECOND_OBJECTIVES)
        if self.prune is not None:
            _one_of("prune", self.prune, PRUNERS)
        spec = get_model_spec(self.model)
        self.space.validate(self.model)
        if self.trials is None and self.timeout_seconds is None and self.sampler != "grid":
            raise SweepError("budget: give a number of trials, a time limit, or both")
        if self.trials is not None and self.trials < 1:
            raise SweepError(f"trials: must be at least 1, got {self.trials}")
        if self.timeout_seconds is not None and self.timeout_seconds <= 0:
            raise SweepError(f"timeout_seconds: must be above 0, got {self.timeout_seconds}")
        if self.prune and not spec.is_network:
            raise SweepError(f"prune: {self.model} is not a network; it has no epochs to prune between")
        if self.prune and self.second_objective:
            raise SweepError("prune: a study with a second objective cannot prune (Optuna prunes one objective)")
        if self.epochs is not None and (not spec.is_network or self.epochs < 1):
            raise SweepError(f"epochs: {self.epochs} needs a network model and at least 1 ({self.model})")
        if self.sampler == "grid":
            self.space.grid_size()  # raises naming a dimension that has no grid points
        for key, value in (("limit", self.limit),):
            if value is not None and value < 1:
                raise SweepError(f"{key}: must be at least 1, got {value}")
        return self

    def to_dict(self) -> dict:
        data = asdict(self)
        data["space"] = self.space.to_dict()
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict) -> SweepConfig:
        known = {name for name in cls.__dataclass_fields__}
        unknown = sorted(set(data) - known)
        if unknown:
            raise SweepError(f"sweep config: unknown field '{unknown[0]}'")
        values: dict[str, Any] = dict(data)
        values["space"] = SearchSpace.from_dict(values.get("space") or {})
        return cls(**values)

    def with_budget(self, trials: int | None, timeout_seconds: float | None) -> SweepConfig:
        return replace(self, trials=trials, timeout_seconds=timeout_seconds)

    def identity(self) -> dict:
        """What makes two configurations the same study: everything but the budget and where it is stored."""
        data = self.to_dict()
        for key in ("trials", "timeout_seconds", "storage"):
            data.pop(key)
        return data


def _one_of(field_name: str, value: Any, allowed: dict) -> None:
    if value not in allowed:
        raise SweepError(f"{field_name}: {value!r} is not one of {', '.join(allowed)}")
