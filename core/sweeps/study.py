"""Creating, resuming and finding studies. A study keeps its SweepConfig as a user attribute, so a worker that
knows only the name and the storage URL runs the same search; a name already taken by another search is refused
before anything is written."""

from __future__ import annotations

import json
import time

import optuna

from core.sweeps import claims
from core.sweeps.config import SweepConfig, SweepError
from core.sweeps.sampling import make_pruner, make_sampler
from core.sweeps.storage import display_url, open_storage

CONFIG_ATTR = "trainboard_config"
STOP_ATTR = "trainboard_stop_requested"
STARTED_ATTR = "trainboard_started_at"  # time.time() when the study's first trial started (the time budget's)
# time.time() when a worker found the time budget spent: the study's age at rest, if after its last trial's end.
SPENT_ATTR = "trainboard_budget_spent_at"

# Optuna logs every trial at INFO; the CLI prints its own lines.
optuna.logging.set_verbosity(optuna.logging.WARNING)


def list_studies(storage: str | None = None) -> list[str]:
    """The names of the studies in `storage` that Trainboard made (they carry a SweepConfig), oldest first."""
    backend = open_storage(storage)
    return [
        summary.study_name
        for summary in optuna.get_all_study_summaries(backend, include_best_trial=False)
        if CONFIG_ATTR in summary.user_attrs
    ]


def open_study(config: SweepConfig) -> optuna.Study:
    """Create the study `config` describes, or resume the one of that name (its budget updated to the config's).
    SweepError when the configuration is invalid, the storage unreachable, or the name holds another search."""
    config.validate()
    backend = open_storage(config.storage_url())
    existing = _existing(backend, config.study)
    if existing is not None:
        stored = _stored_config(existing, config.study)
        if stored.identity() != config.identity():
            raise SweepError(f"study '{config.study}' already exists with {_difference(stored, config)}; {_advice()}")
        study = _load(backend, stored)
        if (stored.trials, stored.timeout_seconds) != (config.trials, config.timeout_seconds):
            study.set_user_attr(CONFIG_ATTR, stored.with_budget(config.trials, config.timeout_seconds).to_json())
        return study
    claims.ensure_tables(backend.engine)
    claims.forget_study(backend.engine, config.study)  # slots left by a deleted study of the same name
    study = optuna.create_study(
        storage=backend,
        study_name=config.study,
        directions=config.directions,
        sampler=make_sampler(config),
        pruner=make_pruner(config),
    )
    study.set_user_attr(CONFIG_ATTR, config.to_json())
    return study


def load_study(name: str, storage: str | None = None) -> tuple[optuna.Study, SweepConfig]:
    """The study `name` in `storage` and its SweepConfig; SweepError when there is none of that name."""
    backend = open_storage(storage)
    existing = _existing(backend, name)
    if existing is None:
        known = ", ".join(list_studies(storage)) or "none"
        raise SweepError(f"no study '{name}' in {display_url(storage or backend.url)} (studies: {known})")
    config = _stored_config(existing, name)
    return _load(backend, config), config


def config_of(study: optuna.Study) -> SweepConfig:
    """The SweepConfig stored with an open study."""
    return SweepConfig.from_dict(json.loads(study.user_attrs[CONFIG_ATTR]))


def delete_study(name: str, storage: str | None = None) -> None:
    backend = open_storage(storage)
    load_study(name, storage)
    optuna.delete_study(study_name=name, storage=backend)
    claims.forget_study(backend.engine, name)


def set_stop(study: optuna.Study, stop: bool) -> None:
    study.set_user_attr(STOP_ATTR, bool(stop))


def stop_requested(study: optuna.Study) -> bool:
    return bool(study.user_attrs.get(STOP_ATTR, False))


def mark_started(study: optuna.Study) -> float:
    """When the study's first trial started (set now if none has): the time budget counts from it."""
    started = study.user_attrs.get(STARTED_ATTR)
    if started is None:
        started = time.time()
        study.set_user_attr(STARTED_ATTR, started)
    return float(started)


def _existing(backend, name: str):
    for summary in optuna.get_all_study_summaries(backend, include_best_trial=False):
        if summary.study_name == name:
            return summary
    return None


def _stored_config(summary, name: str) -> SweepConfig:
    raw = summary.user_attrs.get(CONFIG_ATTR)
    if raw is None:
        raise SweepError(f"study '{name}' was not made by Trainboard (it has no sweep configuration); {_advice()}")
    return SweepConfig.from_dict(json.loads(raw))


def _load(backend, config: SweepConfig) -> optuna.Study:
    return optuna.load_study(
        study_name=config.study, storage=backend, sampler=make_sampler(config), pruner=make_pruner(config)
    )


def _difference(stored: SweepConfig, given: SweepConfig) -> str:
    old, new = stored.identity(), given.identity()
    key = next(k for k in old if old[k] != new.get(k))
    labels = {"space": "another space", "model": f"model {stored.model}", "dataset": "another dataset"}
    return labels.get(key, f"another {key} ({old[key]!r})")


def _advice() -> str:
    return "choose another study name (--study), or resume it with its own settings (python -m core sweep-worker)"
