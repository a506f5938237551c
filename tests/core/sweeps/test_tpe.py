import statistics

from core.sweeps.space import SearchSpace
from core.sweeps.study import load_study, open_study
from core.sweeps.worker import run_trials
from tests.core.sweeps.conftest import mlp_config

# Most of this learning-rate range trains nothing in 2 epochs (below ~1e-3) or too much (near 1 with Adam):
# a search that learns where the good rates are should spend its trials there.
SPACE = SearchSpace.from_dict(
    {"lr": {"kind": "float", "low": 1e-6, "high": 1.0, "log": True}, "hidden": {"choices": ["8", "64"]}}
)
BUDGET = 12


def _values(storage, store, sampler: str) -> list[float]:
    open_study(mlp_config(storage, study=sampler, sampler=sampler, space=SPACE, trials=BUDGET, seed=3))
    run_trials(sampler, storage, store=store)
    study, _ = load_study(sampler, storage)
    return [t.value for t in study.trials]


def test_tpe_beats_the_median_random_trial_over_the_same_budget_and_seed(storage, store):
    random_values, tpe_values = _values(storage, store, "random"), _values(storage, store, "tpe")
    assert len(random_values) == len(tpe_values) == BUDGET
    assert max(tpe_values) > statistics.median(random_values)
    # Once past its random start-up trials, TPE's typical trial is better than random search's typical one.
    assert statistics.median(tpe_values[BUDGET // 2 :]) > statistics.median(random_values)
