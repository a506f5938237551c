from core.sweeps.results import trials_frame
from core.sweeps.sampling import IndexedGridSampler
from core.sweeps.space import SearchSpace
from core.sweeps.study import load_study, open_study
from core.sweeps.worker import run_trials
from tests.core.sweeps.conftest import logreg_config

SPACE = SearchSpace.from_dict({"C": {"choices": [0.01, 0.1, 1.0]}, "max_iter": {"kind": "int", "low": 50, "high": 51}})


def test_grid_covers_its_whole_space_exactly_once(storage, store):
    config = logreg_config(storage, sampler="grid", trials=None, space=SPACE)
    assert config.budget_trials() == 6
    open_study(config)
    assert run_trials("s", storage, store=store) == 6
    assert run_trials("s", storage, store=store) == 0  # spent: a second worker finds nothing to do
    study, _ = load_study("s", storage)
    visited = [tuple(sorted(t.params.items())) for t in study.trials]
    assert sorted(visited) == sorted(tuple(sorted(p.items())) for p in SPACE.grid())
    frame = trials_frame(study)
    assert list(frame["state"]) == ["complete"] * 6 and frame["run_id"].notna().all()


def test_a_smaller_trial_budget_takes_distinct_points_in_a_seeded_order(storage, store):
    open_study(logreg_config(storage, sampler="grid", trials=4, space=SPACE))
    run_trials("s", storage, store=store)
    study, _ = load_study("s", storage)
    visited = [tuple(sorted(t.params.items())) for t in study.trials]
    assert len(visited) == 4 and len(set(visited)) == 4
    sampler = IndexedGridSampler(SPACE, seed=0)
    assert [dict(v) for v in visited] == [sampler.point(slot) for slot in range(4)]
