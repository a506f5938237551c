"""Samplers and pruners by name (registries), and the one function that draws a trial's values from a space.

The grid is our own sampler: the trial of budget slot k (core/sweeps/claims.py) takes the k-th point of the grid
in a seeded order. Optuna's GridSampler picks the next unvisited point from the trials it has seen, so two
workers asking at the same time may take the same point; a slot is unique across workers, so this grid visits
each point once."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import optuna

from core.sweeps.config import SweepConfig
from core.sweeps.space import SearchSpace

# Random trials TPE takes before it starts modelling (Optuna's default is 10: too many for small budgets).
TPE_STARTUP_TRIALS = 5


class IndexedGridSampler(optuna.samplers.BaseSampler):
    """The trial of budget slot k gets grid point order[k]: every point exactly once over `size` slots."""

    def __init__(self, space: SearchSpace, seed: int = 0, slot: int = 0) -> None:
        self._points = space.grid()
        self._order = np.random.default_rng(seed).permutation(len(self._points))
        self.slot = slot

    def point(self, slot: int) -> dict:
        return self._points[int(self._order[slot % len(self._points)])]

    def infer_relative_search_space(self, study, trial) -> dict:
        return {}

    def sample_relative(self, study, trial, search_space) -> dict:
        return {}

    def sample_independent(self, study, trial, param_name, param_distribution):
        return self.point(self.slot)[param_name]


def _grid(config: SweepConfig, slot: int) -> optuna.samplers.BaseSampler:
    return IndexedGridSampler(config.space, config.seed, slot)


def _random(config: SweepConfig, slot: int) -> optuna.samplers.BaseSampler:
    return optuna.samplers.RandomSampler(seed=_seed(config, slot))


def _tpe(config: SweepConfig, slot: int) -> optuna.samplers.BaseSampler:
    # multivariate: the study's parameters interact (a learning rate suits one optimizer, not another).
    startup = min(TPE_STARTUP_TRIALS, max(1, (config.trials or 20) // 4))
    return optuna.samplers.TPESampler(seed=_seed(config, slot), n_startup_trials=startup, multivariate=True)


SAMPLER_BUILDERS: dict[str, Callable[[SweepConfig, int], optuna.samplers.BaseSampler]] = {
    "grid": _grid,
    "random": _random,
    "tpe": _tpe,
}


def _seed(config: SweepConfig, slot: int) -> int:
    return config.seed * 100_003 + slot


def make_sampler(config: SweepConfig, slot: int = 0) -> optuna.samplers.BaseSampler:
    """The study's sampler for the trial of budget slot `slot`, seeded from the study's seed and the slot: workers
    that ask at the same time draw different values, and one worker alone draws the same values on every rerun."""
    return SAMPLER_BUILDERS[config.sampler](config, slot)


PRUNER_BUILDERS: dict[str | None, Callable[[SweepConfig], optuna.pruners.BasePruner]] = {
    None: lambda config: optuna.pruners.NopPruner(),
    # Never on the first two trials' evidence alone, nor at epoch 1 (steps are epochs, from 1; warm-up is step < 2).
    "median": lambda config: optuna.pruners.MedianPruner(n_startup_trials=2, n_warmup_steps=2),
    "hyperband": lambda config: optuna.pruners.HyperbandPruner(
        min_resource=1, max_resource=config.epochs or "auto", reduction_factor=3
    ),
}


def make_pruner(config: SweepConfig) -> optuna.pruners.BasePruner:
    return PRUNER_BUILDERS[config.prune](config)


def suggest(trial: optuna.trial.Trial, space: SearchSpace) -> dict:
    """One value per dimension, drawn by the study's sampler through `trial`."""
    values = {}
    for name, dimension in space.dimensions.items():
        if dimension.kind == "categorical":
            values[name] = trial.suggest_categorical(name, list(dimension.choices))
        elif dimension.kind == "int":
            values[name] = trial.suggest_int(name, int(dimension.low), int(dimension.high), log=dimension.log)
        else:
            values[name] = trial.suggest_float(name, float(dimension.low), float(dimension.high), log=dimension.log)
    return values
