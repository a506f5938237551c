"""Worker processes for the tests: `python -m core.sweeps.worker`, as `start_workers` and other machines run it."""

from __future__ import annotations

import os
import subprocess
import sys

from core.paths import REPO_ROOT


def run_workers(study: str, storage: str, db, count: int = 2, timeout: float = 240) -> list[str]:
    """Start `count` workers on `study` at once, wait for them all, and return their outputs (each must exit 0)."""
    # Two runs may run at once (the machine's default is half its cores), each on one thread.
    env = dict(os.environ, TRAINBOARD_MAX_WORKERS=str(count), PYTHONUNBUFFERED="1")
    command = [sys.executable, "-m", "core.sweeps.worker", "--study", study, "--storage", storage, "--db", str(db)]
    processes = [
        subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in range(count)
    ]
    outputs = []
    for process in processes:
        out, _ = process.communicate(timeout=timeout)
        assert process.returncode == 0, out
        outputs.append(out)
    return outputs


def check_budget_spent_exactly(study_name: str, storage: str, store, budget: int) -> None:
    """Exactly `budget` trials, numbered 0..budget-1, each on its own slot and its own finished run."""
    import optuna

    from core.sweeps.study import load_study

    study, _ = load_study(study_name, storage)
    trials = study.get_trials()
    assert [t.number for t in trials] == list(range(budget))
    assert all(t.state == optuna.trial.TrialState.COMPLETE for t in trials)
    assert sorted(t.user_attrs["slot"] for t in trials) == list(range(budget))  # none claimed twice, none lost
    run_ids = [t.user_attrs["run_id"] for t in trials]
    assert len(set(run_ids)) == budget
    runs = [r for r in store.list() if f"sweep:{study_name}" in r.tags]
    assert sorted(r.id for r in runs) == sorted(run_ids) and {r.status for r in runs} == {"finished"}
    assert len({t.user_attrs["pid"] for t in trials}) == 2, "both workers should have run trials"
