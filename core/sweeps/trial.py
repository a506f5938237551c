"""One trial: the sampler's values turned into a normal run (same data, split and preprocessing as every other
trial, tagged with the study), run through the run store, and its validation score told to Optuna."""

from __future__ import annotations

import os
import time

import optuna

from core.errors import TrainboardError
from core.sweeps.claims import host
from core.sweeps.config import OBJECTIVES, SECOND_OBJECTIVES, SweepConfig
from core.sweeps.pruning import TrialPruning
from core.sweeps.sampling import suggest

RUN_ID_ATTR = "run_id"
ERROR_ATTR = "error"
RELEASED_ATTR = "released"  # its slot went back to the budget: it does not count as a trial of the study


def run_config(config: SweepConfig, values: dict, dataset: dict | None = None, limit: int | None = None):
    """The RunConfig of one point of the space: the study's fixed parameters and options, then `values`; on
    `dataset` (LoadRequest fields) and with row `limit` instead of the study's where given."""
    from core.datasets import LoadRequest
    from core.models import get_model_spec
    from core.training.config import RunConfig

    params, training = config.space.split(config.model, values)
    fixed_training = dict(config.training)
    if config.epochs is not None:
        fixed_training["epochs"] = config.epochs
    fields = dict(dataset or config.dataset)
    fields["options"] = tuple(tuple(pair) for pair in fields.get("options", ()))
    is_network = get_model_spec(config.model).is_network
    return RunConfig.build(
        LoadRequest(**fields),
        config.model,
        {**config.params, **params},
        config.spec,
        seed=config.seed,
        limit=limit if limit is not None else config.limit,
        training={**fixed_training, **training} if is_network else None,
    )


def score_of(record, name: str, table: dict) -> float | None:
    """The run's value of objective `name` (from `table`: OBJECTIVES or SECOND_OBJECTIVES), or None."""
    objective = table[name]
    section = (record.metrics or {}).get("val", {}) if objective.section == "metrics" else record.timings or {}
    value = section.get(objective.key)
    return None if value is None else float(value)


def run_trial(
    study: optuna.Study, trial: optuna.trial.Trial, config: SweepConfig, store
) -> optuna.trial.TrialState | None:
    """Run `trial` as a run in `store` and tell the study how it ended; returns the trial's final state, or None
    when the user stopped its run (it is told failed, and does not count against the budget)."""
    from core.runs import jobs
    from core.runs.threads import run_threads
    from core.training.callbacks.extra import extra_callbacks
    from core.training.config import create_run

    started = time.perf_counter()
    trial.set_user_attr("host", host())
    trial.set_user_attr("pid", os.getpid())
    values = suggest(trial, config.space)
    try:
        run_id = create_run(store, run_config(config, values))
    except TrainboardError as exc:  # this point of the space cannot run (e.g. a layer list that does not fit)
        return _tell_failed(study, trial, str(exc), started)
    store.annotate(run_id, tags=[config.tag, f"trial:{trial.number}"])
    trial.set_user_attr(RUN_ID_ATTR, run_id)
    pruning = TrialPruning(trial, config.objective) if config.prune else None
    with extra_callbacks(*([pruning] if pruning else [])):
        # The sweep worker's own share of the cores, not the share of the moment: between another worker's
        # trials that would be every core, and the two trials would then run three threads on two cores.
        record = jobs.run_inline(run_id, store, threads=run_threads())
    trial.set_user_attr("seconds", time.perf_counter() - started)
    if pruning is not None and pruning.pruned_at is not None and record.status == "stopped":
        study.tell(trial, state=optuna.trial.TrialState.PRUNED)
        return optuna.trial.TrialState.PRUNED
    if record.status == "stopped":  # stopped by the user: failed here; the worker gives its slot back
        trial.set_user_attr(RELEASED_ATTR, True)
        _tell_failed(study, trial, f"run {run_id} stopped: {record.error or ''}".strip(), started)
        return None
    if record.status != "finished":
        return _tell_failed(study, trial, f"run {run_id} {record.status}: {record.error or ''}".strip(), started)
    scores = [score_of(record, config.objective, OBJECTIVES)]
    if config.second_objective:
        scores.append(score_of(record, config.second_objective, SECOND_OBJECTIVES))
    if any(score is None for score in scores):
        return _tell_failed(study, trial, f"run {run_id} has no {config.objective} on its validation rows", started)
    study.tell(trial, scores if len(scores) > 1 else scores[0])
    return optuna.trial.TrialState.COMPLETE


def _tell_failed(study, trial, message: str, started: float) -> optuna.trial.TrialState:
    trial.set_user_attr(ERROR_ATTR, message[:500])
    trial.set_user_attr("seconds", time.perf_counter() - started)
    study.tell(trial, state=optuna.trial.TrialState.FAIL)
    return optuna.trial.TrialState.FAIL
