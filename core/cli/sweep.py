"""`python -m core sweep NAME --model M ...`: a study over NAME's one split, its trials normal runs; `sweep carry
STUDY --to DATASET --top K`: the best configurations re-run on another dataset; `sweep list`; and
`python -m core sweep-worker --study S --storage URL`: join a study (from any machine) until its budget is spent."""

from __future__ import annotations

import argparse
import os
import sys
import time

from core.cli.common import add_dataset_arguments, add_training_arguments

# NAME values that are actions, not datasets (no dataset has these names).
ACTIONS = ("carry", "list")


def add_sweep_commands(commands) -> None:
    from core.sweeps.config import OBJECTIVES, PRUNERS, SAMPLERS, SECOND_OBJECTIVES

    sweep = commands.add_parser("sweep", help="tune a model on NAME with an Optuna study; or: sweep carry|list")
    add_dataset_arguments(sweep)
    sweep.add_argument("study_name", nargs="?", metavar="STUDY", help="carry: the study whose best to carry over")
    sweep.add_argument("--model", help="a registered model (python -m core models); or give --preset")
    sweep.add_argument("--space", metavar="FILE.json", help="the search space as JSON (the page's export)")
    sweep.add_argument("--preset", help="a ready space: " + ", ".join(_preset_names()))
    sweep.add_argument("--param", action="append", default=[], metavar="KEY=VALUE", help="fixed model parameter")
    sweep.add_argument("--sampler", default="tpe", choices=list(SAMPLERS))
    sweep.add_argument("--trials", type=int, help="budget in trials (default 20; a grid: all its points)")
    sweep.add_argument("--timeout", type=float, metavar="S", help="budget in seconds: no trial starts after it")
    sweep.add_argument("--storage", default="", metavar="URL", help="an RDB URL (default: data/sweeps/sweeps.db)")
    sweep.add_argument("--study", help="the study's name (default: NAME-MODEL-SAMPLER); an existing one resumes")
    sweep.add_argument("--prune", choices=list(PRUNERS), help="stop unpromising network trials between epochs")
    sweep.add_argument("--objective", default="accuracy", choices=list(OBJECTIVES))
    sweep.add_argument("--second-objective", choices=list(SECOND_OBJECTIVES), help="a Pareto front against cost")
    sweep.add_argument("--workers", type=int, default=1, help="worker processes on this machine (this one included)")
    sweep.add_argument("--limit", type=int, help="sample this many rows (stratified) before splitting (carry too)")
    sweep.add_argument("--spec", help="a preprocessing spec (JSON from the Explore page) for every trial")
    sweep.add_argument("--to", metavar="DATASET", help="carry: the dataset to re-run the best configurations on")
    sweep.add_argument("--top", type=int, default=3, help="carry: how many of the best configurations (default 3)")
    add_training_arguments(sweep)
    sweep.set_defaults(run=cmd_sweep)

    worker = commands.add_parser("sweep-worker", help="run a study's trials here until its budget is spent")
    worker.add_argument("--study", required=True)
    worker.add_argument("--storage", default="", metavar="URL", help="the study's RDB URL (default: data/sweeps/)")
    worker.add_argument("--json", action="store_true")
    worker.set_defaults(run=cmd_sweep_worker)


def _preset_names() -> list[str]:
    from core.sweeps.presets import SWEEP_PRESETS

    return list(SWEEP_PRESETS)


def cmd_sweep(args: argparse.Namespace) -> dict:
    if args.name == "carry":
        return _carry(args)
    if args.name == "list":
        return _list(args)
    return _sweep(args)


def sweep_config(args: argparse.Namespace):
    """The SweepConfig the flags describe, validated (nothing is created yet)."""
    from core.cli.common import read_text, request_from_args, spec_from_args, training_from_args
    from core.errors import TrainboardError
    from core.models import parse_params
    from core.sweeps.config import SweepConfig, request_fields
    from core.sweeps.presets import get_sweep_preset
    from core.sweeps.space import SearchSpace

    if args.study_name is not None:
        raise TrainboardError(f"unexpected argument {args.study_name!r} (STUDY is for: sweep carry STUDY)")
    model, space = args.model, None
    if args.preset:
        if args.space:
            raise TrainboardError("give --space or --preset, not both")
        preset = get_sweep_preset(args.preset)
        if model and model != preset.model:
            raise TrainboardError(f"--model {model}: preset {preset.name} searches {preset.model}")
        model, space = preset.model, preset.space
    if not model:
        raise TrainboardError("--model is required (or --preset)")
    if args.space:
        space = SearchSpace.from_json(read_text(args.space), where=args.space)
    if space is None:
        space = SearchSpace.for_model(model)
    training = training_from_args(args)
    epochs = training.pop("epochs", None)
    trials = args.trials if args.trials is not None else (None if args.sampler == "grid" or args.timeout else 20)
    return SweepConfig(
        study=args.study or f"{args.name}-{model}-{args.sampler}",
        dataset=request_fields(request_from_args(args)),
        model=model,
        space=space,
        sampler=args.sampler,
        trials=trials,
        timeout_seconds=args.timeout,
        objective=args.objective,
        second_objective=args.second_objective,
        prune=args.prune,
        storage=args.storage,
        limit=args.limit,
        epochs=epochs,
        seed=args.seed,
        spec=spec_from_args(args),
        params=parse_params(model, args.param),
        training=training,
    ).validate()


def _sweep(args: argparse.Namespace) -> dict:
    from core.errors import TrainboardError
    from core.runs import RunStore
    from core.runs.jobs import max_workers
    from core.runs.threads import apply_thread_budget, available_cores, thread_budget
    from core.sweeps.study import open_study
    from core.sweeps.trial import run_config
    from core.sweeps.worker import resume, start_workers
    from core.training.precheck import check_run

    if args.workers < 1:
        raise TrainboardError(f"--workers must be at least 1, got {args.workers}")
    config = sweep_config(args)
    check_run(run_config(config, {}))  # the data loads and the model takes it, before the study exists
    open_study(config)
    resume(config.study, args.storage or None)
    store = RunStore()
    store.mark_interrupted()
    print(f"study {config.study}: {config.sampler}, budget {_budget(config)}", file=sys.stderr)
    extra = min(args.workers, max_workers()) - 1  # this process is one of the workers
    if args.workers > max_workers():
        print(
            f"note: --workers {args.workers} is over the worker limit; {max_workers()} run (TRAINBOARD_MAX_WORKERS)",
            file=sys.stderr,
        )
    together = 1 + extra
    apply_thread_budget(thread_budget(available_cores(), together))  # this process's trials: its share
    others = start_workers(config.study, args.storage or None, extra, store, share=together) if extra else []
    return _work(config.study, args.storage or None, store, others)


def cmd_sweep_worker(args: argparse.Namespace) -> dict:
    from core.runs import RunStore
    from core.runs.jobs import max_workers
    from core.runs.threads import apply_thread_budget, available_cores, thread_budget
    from core.sweeps.study import load_study

    load_study(args.study, args.storage or None)
    apply_thread_budget(thread_budget(available_cores(), max_workers()))
    store = RunStore()
    store.mark_interrupted()
    return _work(args.study, args.storage or None, store, [])


def _work(name: str, storage: str | None, store, others: list[int]) -> dict:
    """Run trials here, wait for the other local workers, print the best; the --json result."""
    from core.sweeps.claims import pid_alive
    from core.sweeps.status import sweep_status
    from core.sweeps.worker import run_trials

    ran = run_trials(name, storage, store=store, on_trial=_print_trial)
    while any(pid_alive(pid) for pid in others):
        time.sleep(0.1)  # the other workers are on their last trials: notice their end promptly
    status = sweep_status(name, storage)
    print(
        f"study {name}: {status.complete} complete, {status.pruned} pruned, {status.failed} failed "
        f"({ran} here, worker {os.getpid()})",
        file=sys.stderr,
    )
    if status.best_value is None:
        print("no complete trial yet", file=sys.stderr)
    else:
        params = " ".join(f"{key}={value}" for key, value in status.best_params.items())
        print(f"best value {status.best_value:.6g} (run {status.best_run_id}): {params}")
    return {"study": name, "ran_here": ran, **status.to_dict()}


def _print_trial(trial) -> None:
    value = "" if trial.values is None else " " + " ".join(f"{v:.6g}" for v in trial.values)
    params = " ".join(f"{key}={value}" for key, value in trial.params.items())
    print(f"trial {trial.number} {trial.state.name.lower()}{value}: {params}", file=sys.stderr)


def _budget(config) -> str:
    parts = []
    if config.budget_trials() is not None:
        parts.append(f"{config.budget_trials()} trials")
    if config.timeout_seconds is not None:
        parts.append(f"{config.timeout_seconds:g} s")
    return " and ".join(parts)


def _carry(args: argparse.Namespace) -> dict:
    from core.cli.common import request_from_args
    from core.errors import TrainboardError
    from core.runs import RunStore
    from core.sweeps.config import request_fields
    from core.sweeps.results import carry, carry_table

    if not args.study_name or not args.to:
        raise TrainboardError("usage: python -m core sweep carry STUDY --to DATASET [--top K]")
    args.name = args.to
    target = request_fields(request_from_args(args))
    store = RunStore()
    store.mark_interrupted()
    run_ids = carry(args.study_name, args.storage or None, target, args.top, store, limit=args.limit)
    table = carry_table(args.study_name, args.storage or None, run_ids, store)
    if not args.json:
        print(table.drop(columns=["run_id"]).to_string(index=False, na_rep="-", float_format=lambda v: f"{v:.4g}"))
    return {"study": args.study_name, "run_ids": run_ids, "table": table.to_dict(orient="records")}


def _list(args: argparse.Namespace) -> dict:
    from core.sweeps.status import sweep_status
    from core.sweeps.study import list_studies

    rows = []
    for name in list_studies(args.storage or None):
        status = sweep_status(name, args.storage or None)
        rows.append({"study": name, **status.to_dict()})
        if not args.json:
            best = "-" if status.best_value is None else f"{status.best_value:.4g}"
            print(f"{name:<40} {status.finished:>4}/{status.budget_trials or '-':<5} best {best}")
    return {"studies": rows}
