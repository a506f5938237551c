import time

import optuna

from core.sweeps.status import sweep_status
from core.sweeps.study import load_study, open_study
from core.sweeps.worker import request_stop, resume, run_trials, start_workers
from tests.core.sweeps.conftest import mlp_config


def _wait(condition, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_a_stop_reaches_a_background_worker_and_a_resume_continues_the_count(storage, store):
    open_study(mlp_config(storage, sampler="random", trials=40, epochs=5))
    assert len(start_workers("m", storage, 1, store=store)) == 1
    _wait(lambda: sweep_status("m", storage).complete >= 1)
    request_stop("m", storage, store=store)
    _wait(lambda: sweep_status("m", storage).active_workers == 0)
    status = sweep_status("m", storage)
    assert status.stopped and status.running == 0 and 1 <= status.finished < 40 and status.done
    study, _ = load_study("m", storage)
    for trial in study.trials:  # a trial cut short by the stop gave its slot back: it does not count
        if trial.user_attrs.get("released"):
            assert trial.state == optuna.trial.TrialState.FAIL
            assert store.get(trial.user_attrs["run_id"]).status == "stopped"
    counted = status.finished
    resume("m", storage)
    assert run_trials("m", storage, store=store, max_trials=1) == 1
    assert sweep_status("m", storage).finished == counted + 1
    slots = sorted(t.user_attrs["slot"] for t in load_study("m", storage)[0].trials if not t.user_attrs.get("released"))
    assert slots == list(range(counted + 1))  # the count went on from where it stopped, no slot lost or doubled
