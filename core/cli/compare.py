"""Commands that compare runs: `compare` (train several models on one split, then write the report) and
`report` (the report, CSV and reproducibility pack of runs already in the store)."""

from __future__ import annotations

import argparse
import sys

from core.cli.common import (
    note_ignored_training,
    output_path,
    request_from_args,
    spec_from_args,
    training_from_args,
)
from core.errors import TrainboardError


def add_export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--csv", help="also write the leaderboard as CSV to this file")
    parser.add_argument("--leaderboard-json", help="also write the leaderboard as JSON to this file")
    parser.add_argument("--repro", help="also write the reproducibility pack (zip) to this file")


def cmd_compare(args: argparse.Namespace) -> dict:
    """One run per model on the same dataset, seed and split, each executed here; then the exports."""
    from core.cli.runs import print_run, run_summary
    from core.models import get_model_spec
    from core.runs import RunStore, jobs
    from core.training.config import RunConfig, create_run

    for path in (args.report, args.csv, args.leaderboard_json, args.repro):  # refused before the training, not after
        if path:
            output_path(path)
    names = _model_names(args.models)
    models = [get_model_spec(name) for name in names]  # an unknown name is refused before anything trains
    spec_json = spec_from_args(args)
    training = training_from_args(args)
    note_ignored_training(models, training)
    request = request_from_args(args)
    configs = [
        RunConfig.build(request, m.name, {}, spec_json, seed=args.seed, limit=args.limit, training=training)
        for m in models
    ]
    store = RunStore()
    store.mark_interrupted()
    records, summaries = [], []
    for model, config in zip(models, configs, strict=True):
        run_id = create_run(store, config)
        print(f"run {run_id}: {model.title} on {args.name}", file=sys.stderr)
        jobs.run_inline(run_id, store)
        record = store.get(run_id)
        records.append(record)
        summaries.append(run_summary(record))
        if not args.json:
            print_run(summaries[-1])
    result = {"runs": summaries} | _write_exports(records, store, args.report, args)
    unfinished = [r for r in records if r.status != "finished"]
    if unfinished:
        shown = "; ".join(f"{r.model} {r.status}: {r.error}" for r in unfinished)
        raise TrainboardError(f"{len(unfinished)} of {len(records)} runs did not finish ({shown}); see {args.report}")
    return result


def cmd_report(args: argparse.Namespace) -> dict:
    """The report of runs already in the store, by id (each id once, in the order given)."""
    from core.cli.runs import run_summary
    from core.runs import RunStore

    store = RunStore()
    store.mark_interrupted()
    records = [store.get(run_id) for run_id in dict.fromkeys(args.run_ids)]
    return {"runs": [run_summary(r) for r in records]} | _write_exports(records, store, args.out, args)


def _model_names(text: str) -> list[str]:
    names = list(dict.fromkeys(name.strip() for name in text.split(",") if name.strip()))
    if not names:
        raise TrainboardError("--models expects a comma-separated list of models, e.g. logreg,rf,mlp")
    return names


def _write_exports(records: list, store, report: str, args: argparse.Namespace) -> dict:
    """The HTML report and whichever of CSV, JSON leaderboard and pack were asked for; their paths by kind."""
    from core.atomic import write_atomic, write_bytes_atomic
    from core.report.comparison import leaderboard_csv, leaderboard_json, write_comparison_report
    from core.report.repro import repro_pack

    title = f"Trainboard comparison: {', '.join(sorted({r.dataset for r in records}))}"
    written = {"report": str(write_comparison_report(records, store, output_path(report), title))}
    texts = {"csv": (args.csv, leaderboard_csv), "leaderboard_json": (args.leaderboard_json, leaderboard_json)}
    for kind, (path, render) in texts.items():
        if path:
            text = render(records)
            written[kind] = str(write_atomic(output_path(path), lambda tmp, text=text: tmp.write_text(text, "utf-8")))
    if args.repro:
        written["repro"] = str(write_bytes_atomic(output_path(args.repro), repro_pack(records, store)))
    if not args.json:
        for kind, path in written.items():
            print(f"{kind.replace('_', ' '):<10} {path}")
    return written
