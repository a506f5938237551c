import sqlite3
from dataclasses import replace

import pytest

from core.sweeps.config import SweepError
from core.sweeps.space import SearchSpace, SpaceError
from core.sweeps.status import sweep_status
from core.sweeps.study import list_studies, load_study, open_study
from core.sweeps.worker import request_stop, resume, run_trials
from tests.core.sweeps.conftest import logreg_config


def _tables(path) -> set[str]:
    if not path.exists():
        return set()
    with sqlite3.connect(path) as con:
        return {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_a_study_keeps_its_config_and_is_found_by_name(storage):
    config = logreg_config(storage)
    open_study(config)
    study, stored = load_study("s", storage)
    assert stored == config and study.study_name == "s"
    assert list_studies(storage) == ["s"]


def test_the_same_name_with_another_space_is_refused_and_the_study_is_left_as_it_was(storage):
    open_study(logreg_config(storage))
    other = replace(logreg_config(storage), space=SearchSpace.from_dict({"C": {"choices": [5.0, 50.0]}}))
    with pytest.raises(SweepError, match="study 's' already exists with another space; choose another study name"):
        open_study(other)
    with pytest.raises(SweepError, match="already exists with model logreg"):
        open_study(replace(other, model="rf", space=SearchSpace.from_dict({"n_estimators": {"choices": [5]}})))
    assert load_study("s", storage)[1].space == logreg_config(storage).space


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"space": SearchSpace({})}, SpaceError, "no parameter to search"),
        ({"space": SearchSpace.from_dict({"gamma": {"choices": [1]}})}, SpaceError, "unknown parameter 'gamma'"),
        ({"sampler": "bayes"}, SweepError, "sampler: 'bayes' is not one of grid, random, tpe"),
        ({"prune": "median"}, SweepError, "prune: logreg is not a network"),
        ({"trials": 0}, SweepError, "trials: must be at least 1"),
        ({"objective": "auc"}, SweepError, "objective: 'auc' is not one of"),
    ],
)
def test_bad_input_is_one_message_and_creates_nothing(tmp_path, storage, changes, error, message):
    with pytest.raises(error, match=message):
        open_study(replace(logreg_config(storage), **changes))
    assert not (tmp_path / "sweeps.db").exists()


def test_a_storage_that_cannot_be_reached_is_one_message(tmp_path):
    unreachable = "postgresql://nobody:secret@127.0.0.1:9/none"  # port 9 (discard): nothing listens there
    with pytest.raises(SweepError, match=r"storage postgresql://nobody:\*\*\*@127.0.0.1:9/none: cannot be reached"):
        open_study(logreg_config(unreachable))
    missing = f"sqlite:///{tmp_path / 'no' / 'such' / 'sweeps.db'}"
    with pytest.raises(SweepError, match="the folder .*no/such does not exist"):
        open_study(logreg_config(missing))
    with pytest.raises(SweepError, match="not a usable database URL"):
        open_study(logreg_config("nosuchdb://x/y"))
    assert not (tmp_path / "no").exists()


def test_an_unknown_study_names_the_known_ones(storage):
    open_study(logreg_config(storage))
    with pytest.raises(SweepError, match=r"no study 'x' in .* \(studies: s\)"):
        load_study("x", storage)


def test_a_stopped_study_resumes_and_continues_its_count(storage, store):
    open_study(logreg_config(storage, trials=4))
    assert run_trials("s", storage, store=store, max_trials=2) == 2  # as if the worker had been stopped
    request_stop("s", storage, store=store)
    assert run_trials("s", storage, store=store) == 0  # stopped: nothing starts
    assert sweep_status("s", storage).stopped
    resume("s", storage)
    assert run_trials("s", storage, store=store) == 2
    study, _ = load_study("s", storage)
    assert [t.number for t in study.trials] == [0, 1, 2, 3]
    status = sweep_status("s", storage)
    assert (status.complete, status.budget_trials, status.done) == (4, 4, True)
    # Resuming with a bigger budget runs only the difference.
    open_study(logreg_config(storage, trials=5))
    assert run_trials("s", storage, store=store) == 1
    assert len(load_study("s", storage)[0].trials) == 5


def test_each_trial_is_a_normal_run_tagged_with_the_study_on_one_split(storage, store):
    open_study(logreg_config(storage, trials=3))
    run_trials("s", storage, store=store)
    runs = [r for r in store.list() if "sweep:s" in r.tags]
    assert len(runs) == 3 and {r.status for r in runs} == {"finished"}
    assert len({r.split_hash for r in runs}) == 1
    study, _ = load_study("s", storage)
    assert {t.user_attrs["run_id"] for t in study.trials} == {r.id for r in runs}
    assert {t.value for t in study.trials} == {r.metrics["val"]["accuracy"] for r in runs}


def test_a_time_budget_starts_no_trial_after_it_is_spent(storage, store):
    open_study(logreg_config(storage, trials=None, timeout_seconds=2.0))
    ran = run_trials("s", storage, store=store)
    study, _ = load_study("s", storage)
    status = sweep_status("s", storage)
    assert ran == len(study.trials) >= 1 and status.elapsed_seconds >= 2.0 and status.done
    first = min(t.datetime_start for t in study.trials)
    assert all((t.datetime_start - first).total_seconds() < 2.0 + 0.5 for t in study.trials)


def test_a_name_too_long_for_its_runs_tags_is_refused_before_anything_is_created(storage, tmp_path):
    """Seen on the page: a 35-character name killed the worker at its first trial (a tag holds 40 characters)."""
    from core.runs.record import TAG_MAX
    from core.sweeps.config import STUDY_NAME_MAX

    assert STUDY_NAME_MAX + len("carry:") <= TAG_MAX
    with pytest.raises(SweepError, match=rf"study: .*\(1-{STUDY_NAME_MAX} characters"):
        open_study(replace(logreg_config(storage), study="x" * (STUDY_NAME_MAX + 1)))
    assert list_studies(storage) == []
    open_study(replace(logreg_config(storage), study="x" * STUDY_NAME_MAX))  # the longest name still works
