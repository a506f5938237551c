"""Where a study stands, in one object a page can poll: trials by state, budget, elapsed time, the best so far."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from core.sweeps import claims
from core.sweeps.storage import open_storage


@dataclass(frozen=True)
class SweepStatus:
    complete: int
    pruned: int
    failed: int
    running: int
    budget_trials: int | None
    budget_seconds: float | None
    elapsed_seconds: float  # from the study's first trial's start to now, or (nothing running) to the last's end
    best_value: float | None  # of the first objective
    best_params: dict = field(default_factory=dict)
    best_run_id: str | None = None
    stopped: bool = False  # a stop was requested and not cleared
    active_workers: int = 0

    @property
    def finished(self) -> int:
        return self.complete + self.pruned + self.failed

    @property
    def done(self) -> bool:
        """No trial runs and none will: the budget is spent, or the study was stopped."""
        if self.running or self.active_workers:
            return False
        if self.stopped:
            return True
        spent_trials = self.budget_trials is not None and self.finished >= self.budget_trials
        spent_time = self.budget_seconds is not None and self.elapsed_seconds >= self.budget_seconds
        return spent_trials or spent_time

    def to_dict(self) -> dict:
        from dataclasses import asdict

        return asdict(self) | {"finished": self.finished, "done": self.done}


def best_trial(study, config):
    """The complete trial with the best first objective (a Pareto study too), or None before any completed."""
    import optuna

    complete = study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,))
    if not complete:
        return None
    sign = -1.0 if config.directions[0] == "maximize" else 1.0
    return min(complete, key=lambda t: (sign * t.values[0], t.number))


def sweep_status(name: str, storage: str | None = None) -> SweepStatus:
    import optuna

    from core.sweeps.study import SPENT_ATTR, STARTED_ATTR, load_study, stop_requested
    from core.sweeps.trial import RELEASED_ATTR, RUN_ID_ATTR

    study, config = load_study(name, storage)
    trials = study.get_trials(deepcopy=False)
    states = [t.state for t in trials if not t.user_attrs.get(RELEASED_ATTR)]
    best = best_trial(study, config)
    started = study.user_attrs.get(STARTED_ATTR)
    running = states.count(optuna.trial.TrialState.RUNNING)
    ends = [t.datetime_complete.timestamp() for t in trials if t.datetime_complete is not None]
    ends += [float(study.user_attrs[SPENT_ATTR])] if SPENT_ATTR in study.user_attrs else []
    until = time.time() if running or not ends else max(ends)  # a study at rest does not age
    return SweepStatus(
        complete=states.count(optuna.trial.TrialState.COMPLETE),
        pruned=states.count(optuna.trial.TrialState.PRUNED),
        failed=states.count(optuna.trial.TrialState.FAIL),
        running=running,
        budget_trials=config.budget_trials(),
        budget_seconds=config.timeout_seconds,
        elapsed_seconds=0.0 if started is None else max(0.0, until - float(started)),
        best_value=None if best is None else float(best.values[0]),
        best_params={} if best is None else dict(best.params),
        best_run_id=None if best is None else best.user_attrs.get(RUN_ID_ATTR),
        stopped=stop_requested(study),
        active_workers=claims.active_workers(open_storage(storage).engine, name),
    )
