"""A budget-matched comparison across model families: one study per model, each with the same budget (trials
and/or seconds), data, split and objective, and the best of each side by side. The best runs' ids go to the
Compare page like any runs."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from core.sweeps.config import SweepConfig, SweepError
from core.sweeps.space import SearchSpace


def family_study_name(base: str, model: str) -> str:
    return f"{base}-{model}"


def family_configs(base: SweepConfig, models: list[str], spaces: dict[str, SearchSpace] | None = None) -> list:
    """One SweepConfig per model: `base`'s data, budget, objective and sampler, the model's space from `spaces`
    or SearchSpace.for_model; epochs and pruning only where the model is a network. All are validated first."""
    from core.models import get_model_spec

    if len(models) < 2 or len(set(models)) != len(models):
        raise SweepError(f"models: give two or more different models to compare, got {', '.join(models) or 'none'}")
    configs = []
    for model in models:
        network = get_model_spec(model).is_network
        space = (spaces or {}).get(model) or SearchSpace.for_model(model)
        if not space.dimensions:
            raise SweepError(f"models: {model} has no parameter to search by default; give its space")
        config = replace(
            base,
            study=family_study_name(base.study, model),
            model=model,
            space=space,
            epochs=base.epochs if network else None,
            prune=base.prune if network else None,
            params={},
            training=dict(base.training) if network else {},
        )
        configs.append(config.validate())
    return configs


def open_families(base: SweepConfig, models: list[str], spaces: dict[str, SearchSpace] | None = None) -> list[str]:
    """Create (or resume) the studies of `family_configs`; returns their names, ready for run_trials or
    start_workers. Nothing is created unless every model's configuration is valid."""
    from core.sweeps.study import open_study

    configs = family_configs(base, models, spaces)
    for config in configs:
        open_study(config)
    return [config.study for config in configs]


def sweep_families(
    base: SweepConfig, models: list[str], spaces: dict[str, SearchSpace] | None = None, store=None
) -> pd.DataFrame:
    """Run every model's study here, one after another, each to the same budget; returns `families_table`."""
    from core.sweeps.worker import resume, run_trials

    names = open_families(base, models, spaces)
    for name in names:
        resume(name, base.storage or None)
        run_trials(name, base.storage or None, store=store)
    return families_table(names, base.storage or None)


def families_table(names: list[str], storage: str | None = None) -> pd.DataFrame:
    """One row per study: model, family, trials by state, seconds spent, the best value, its run and params."""
    from core.models import get_model_spec
    from core.sweeps.results import trials_frame
    from core.sweeps.status import sweep_status
    from core.sweeps.study import load_study

    rows = []
    for name in names:
        study, config = load_study(name, storage)
        status = sweep_status(name, storage)
        frame = trials_frame(study, config)
        rows.append(
            {
                "model": config.model,
                "family": get_model_spec(config.model).family,
                "study": name,
                "complete": status.complete,
                "pruned": status.pruned,
                "failed": status.failed,
                "trial seconds": float(frame["seconds"].fillna(0).sum()) if len(frame) else 0.0,
                f"best {config.objective}": status.best_value,
                "best run": status.best_run_id,
                "best params": status.best_params,
            }
        )
    return pd.DataFrame(rows)
