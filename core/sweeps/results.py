"""What a study found: its trials as a table, the Pareto front, the best configuration as a normal RunConfig,
and the carry-over of the top configurations to another dataset (the study's Fashion-MNIST -> MNIST step)."""

from __future__ import annotations

import pandas as pd

from core.sweeps.config import OBJECTIVES, SweepConfig, SweepError
from core.sweeps.trial import RELEASED_ATTR, RUN_ID_ATTR, run_config, score_of

CARRY_TAG = "carry:"  # a carried run is tagged carry:<study> and trial:<number>


def objective_columns(config: SweepConfig) -> list[str]:
    return [config.objective] + ([config.second_objective] if config.second_objective else [])


def trials_frame(study, config: SweepConfig | None = None) -> pd.DataFrame:
    """One row per trial: number, state, the objective value(s) by objective name (`value` too, the first),
    each searched parameter, run_id and seconds. Trials given back to the budget (stopped by the user) are left
    out."""
    if config is None:
        from core.sweeps.study import config_of

        config = config_of(study)
    names = objective_columns(config)
    rows = []
    for trial in study.get_trials(deepcopy=False):
        if trial.user_attrs.get(RELEASED_ATTR):
            continue
        values = list(trial.values) if trial.values is not None else [None] * len(names)
        row = {"number": trial.number, "state": trial.state.name.lower(), "value": values[0]}
        row |= dict(zip(names, values, strict=True))
        row |= {name: trial.params.get(name) for name in config.space.dimensions}
        row |= {"run_id": trial.user_attrs.get(RUN_ID_ATTR), "seconds": trial.user_attrs.get("seconds")}
        row["error"] = trial.user_attrs.get("error")
        rows.append(row)
    columns = ["number", "state", "value", *names, *config.space.dimensions, "run_id", "seconds", "error"]
    return pd.DataFrame(rows, columns=list(dict.fromkeys(columns)))


def top_trials(study, config: SweepConfig, k: int) -> list:
    """The k complete trials with the best first objective, best first (ties: the earlier trial)."""
    import optuna

    complete = study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,))
    sign = -1.0 if config.directions[0] == "maximize" else 1.0
    return sorted(complete, key=lambda t: (sign * t.values[0], t.number))[:k]


def pareto_front(study, config: SweepConfig) -> pd.DataFrame:
    """The trials no other trial beats on both objectives (a study with a second objective), by first objective."""
    if not config.second_objective:
        raise SweepError(f"study '{config.study}' has one objective; a Pareto front needs a second objective")
    numbers = {t.number for t in study.best_trials}
    frame = trials_frame(study, config)
    return frame[frame["number"].isin(numbers)].sort_values("value", ascending=config.directions[0] == "minimize")


def best_run_config(name: str, storage: str | None = None):
    """A normal RunConfig (the study's data, split, preprocessing and fixed options) of the best trial's values."""
    from core.sweeps.study import load_study

    study, config = load_study(name, storage)
    best = top_trials(study, config, 1)
    if not best:
        raise SweepError(f"study '{name}' has no complete trial yet")
    return run_config(config, dict(best[0].params))


def carry(
    name: str, storage: str | None, to_dataset: dict, top_k: int, store, run: bool = True, limit: int | None = None
) -> list[str]:
    """Create runs of the study's `top_k` best configurations on `to_dataset` (LoadRequest fields; the study's
    row limit, or `limit`), each prechecked like any run and tagged carry:<study> and trial:<n>; with `run`, run
    them here one after another (else they stay queued, e.g. for jobs.submit). Returns their ids, best first. All
    are prechecked before the first is created, so a dataset the configurations cannot use leaves no run behind."""
    from core.sweeps.study import load_study
    from core.training.config import create_run
    from core.training.precheck import check_run

    if top_k < 1:
        raise SweepError(f"top: must be at least 1, got {top_k}")
    study, config = load_study(name, storage)
    chosen = top_trials(study, config, top_k)
    if not chosen:
        raise SweepError(f"study '{name}' has no complete trial to carry over")
    configs = [(trial, run_config(config, dict(trial.params), to_dataset, limit)) for trial in chosen]
    for _, run_cfg in configs:
        check_run(run_cfg)
    run_ids = []
    for trial, run_cfg in configs:
        run_id = create_run(store, run_cfg)
        store.annotate(run_id, tags=[CARRY_TAG + name, f"trial:{trial.number}"])
        run_ids.append(run_id)
    if run:
        from core.runs import jobs

        for run_id in run_ids:
            jobs.run_inline(run_id, store)
    return run_ids


def carry_table(name: str, storage: str | None, run_ids: list[str], store) -> pd.DataFrame:
    """One row per carried configuration: its trial, parameters, the study dataset's validation score (and the
    trial's test score where its run is in this store) beside the other dataset's validation and test scores."""
    from core.runs.record import RunNotFoundError
    from core.sweeps.study import load_study

    study, config = load_study(name, storage)
    trials = {t.number: t for t in study.get_trials(deepcopy=False)}
    metric, source = config.objective, config.dataset["name"]
    rows = []
    for rank, run_id in enumerate(run_ids, 1):
        record = store.get(run_id)
        number = next((int(t.split(":", 1)[1]) for t in record.tags if t.startswith("trial:")), None)
        trial = trials.get(number)
        source_test = None
        if trial is not None and trial.user_attrs.get(RUN_ID_ATTR):
            try:
                source_test = _test_score(store.get(trial.user_attrs[RUN_ID_ATTR]), metric)
            except RunNotFoundError:  # the trial ran on another machine: its run is in that machine's store
                pass
        rows.append(
            {
                "rank": rank,
                "trial": number,
                **({} if trial is None else dict(trial.params)),
                f"{source} val {metric}": None if trial is None or trial.values is None else trial.values[0],
                f"{source} test {metric}": source_test,
                f"{record.dataset} val {metric}": score_of(record, metric, OBJECTIVES),
                f"{record.dataset} test {metric}": _test_score(record, metric),
                "run_id": run_id,
                "status": record.status,
            }
        )
    return pd.DataFrame(rows)


def _test_score(record, metric: str) -> float | None:
    value = ((record.metrics or {}).get("test") or {}).get(OBJECTIVES[metric].key)
    return None if value is None else float(value)
