"""Commands over models and runs: `models`, `train`, `runs` (list, show, delete, tag, untag, rename, note), `score`."""

from __future__ import annotations

import argparse
import dataclasses
import sys

from core.cli.common import note_ignored_training, request_from_args, spec_from_args, training_from_args
from core.errors import TrainboardError

RUN_ACTIONS = ("list", "show", "delete", "tag", "untag", "rename", "note")


def cmd_models(args: argparse.Namespace) -> dict:
    from core.models import list_models

    rows = []
    for spec in list_models():
        params = {p.name: p.default for p in spec.params}
        rows.append(
            {
                "name": spec.name,
                "title": spec.title,
                "family": spec.family,
                "kinds": list(spec.kinds),
                "params": params,
                "max_train_rows": spec.max_train_rows,
            }
        )
        if not args.json:
            shown = ", ".join(f"{k}={v}" for k, v in params.items())
            print(f"{spec.name:<10} {spec.family:<9} {'/'.join(spec.kinds):<14} {shown}")
    return {"models": rows}


def cmd_train(args: argparse.Namespace) -> dict:
    """Create a run in the store and execute it here (same executor and failure handling as a worker)."""
    from core.models import get_model_spec
    from core.runs import RunStore, jobs
    from core.training.config import RunConfig, create_run

    spec_json = spec_from_args(args)
    model_name, params, training = _model_and_options(args)
    model = get_model_spec(model_name)
    note_ignored_training([model], training)
    config = RunConfig.build(
        request_from_args(args), model_name, params, spec_json, seed=args.seed, limit=args.limit, training=training
    )
    store = RunStore()
    store.mark_interrupted()
    run_id = create_run(store, config)
    print(f"run {run_id}: {model.title} on {args.name}", file=sys.stderr)
    jobs.run_inline(run_id, store)
    record = store.get(run_id)
    result = run_summary(record)
    if model.is_network:
        from core.training.callbacks.history import read_history

        result["epochs"] = [
            {key: row.get(key) for key in ("epoch", *EPOCH_COLUMNS)}
            for row in read_history(store.artifacts_dir(run_id))
        ]
    if not args.json:
        print_run(result)
        print_epochs(result.get("epochs", []))
    if record.status != "finished":
        raise TrainboardError(f"run {run_id} {record.status}: {record.error}")
    return result


def _model_and_options(args: argparse.Namespace) -> tuple[str, dict, dict]:
    """Model name, parameters and training options: the preset's (if any), overridden by the flags given."""
    from core.models import parse_params

    params, training, model_name = {}, {}, args.model
    if args.preset:
        from core.training.presets import get_preset

        preset = get_preset(args.preset)
        if model_name and model_name != preset.model:
            raise TrainboardError(f"--preset {preset.name} trains {preset.model}; leave out --model {model_name}")
        model_name, params, training = preset.model, dict(preset.params), dict(preset.training)
    if not model_name:
        raise TrainboardError("train needs --model M or --preset P (python -m core models / presets)")
    params |= parse_params(model_name, args.param)
    training |= training_from_args(args)
    return model_name, params, training


def cmd_presets(args: argparse.Namespace) -> dict:
    from core.training.presets import PRESETS

    rows = [
        {"name": p.name, "title": p.title, "model": p.model, "params": p.params, "training": p.training}
        | {"description": p.description}
        for p in PRESETS.values()
    ]
    if not args.json:
        for row in rows:
            print(f"{row['name']:<22} {row['model']:<10} {row['title']}")
    return {"presets": rows}


def run_summary(record) -> dict:
    headline = {part: _headline(record.metrics.get(part)) for part in ("val", "test")} if record.metrics else {}
    return {
        "run_id": record.id,
        "label": record.label,
        "name": record.name,
        "tags": list(record.tags or []),
        "note": record.note,
        "status": record.status,
        "dataset": record.dataset,
        "model": record.model,
        "params": record.params,
        "seed": record.seed,
        "split_hash": record.split_hash,
        "metrics": headline,
        "timings": record.timings,
        "error": record.error,
        "warnings": (record.metrics or {}).get("warnings", []),
    }


def _headline(metrics: dict | None) -> dict:
    if not metrics:
        return {}
    from core.evaluate import Metrics

    return Metrics.from_dict(metrics).headline()


def print_run(summary: dict) -> None:
    print(f"run {summary['run_id']}  {summary['label']} on {summary['dataset']}  [{summary['status']}]")
    if summary.get("tags"):
        print(f"  tags       {', '.join(summary['tags'])}")
    if summary.get("note"):
        print(f"  note       {summary['note']}")
    if summary["error"]:
        print(f"  error      {summary['error']}")
    for warning in summary.get("warnings", []):
        print(f"  warning    {warning}")
    for part, metrics in summary["metrics"].items():
        if metrics:
            shown = ", ".join(f"{k} {v:.4f}" for k, v in metrics.items() if isinstance(v, float))
            print(f"  {part:<10} {shown}")
    timings = summary["timings"] or {}
    if timings:
        print(
            f"  timings    fit {timings['fit_seconds']:.2f} s, predict {timings['predict_seconds']:.2f} s, "
            f"{timings['examples_per_second']:,.0f} examples/s, model {timings['model_size_bytes'] / 1e6:.2f} MB"
        )


# The per-epoch scores `train` prints for a network (the reference study's callback printed micro-F1 and ROC AUC
# after every epoch), with their column titles.
EPOCH_COLUMNS = {
    "loss": "loss",
    "val_loss": "val_loss",
    "val_accuracy": "val_acc",
    "val_f1_micro": "val_f1_micro",
    "val_roc_auc": "val_roc_auc",
    "lr": "lr",
}


def print_epochs(rows: list[dict]) -> None:
    """One line per epoch under a header; a dash where an epoch has no value (ROC AUC undefined, no validation)."""
    if not rows:
        return
    print("  epoch " + " ".join(f"{title:>12}" for title in EPOCH_COLUMNS.values()))
    for row in rows:
        cells = [_cell(row.get(key), key) for key in EPOCH_COLUMNS]
        print(f"  {row.get('epoch', ''):>5} " + " ".join(f"{cell:>12}" for cell in cells))


def _cell(value, key: str) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool) or value != value:
        return "-"
    return f"{value:.4g}" if key in ("lr", "loss", "val_loss") else f"{value:.4f}"


def _list_summary(record) -> dict:
    """A run's summary for `runs list`. Metrics that decode but are not shaped like metrics (a row edited by
    hand) list the run as damaged instead of ending the listing."""
    try:
        return run_summary(record)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        from core.runs.record import DAMAGED

        error = f"damaged row (stored as {record.status}): metrics cannot be read ({type(exc).__name__}: {exc})"
        return run_summary(dataclasses.replace(record, status=DAMAGED, metrics=None, error=error))


def cmd_runs(args: argparse.Namespace) -> dict:
    from core.runs import RunStore

    store = RunStore()
    store.mark_interrupted()
    if args.values and args.action in ("show", "delete"):
        raise TrainboardError(f"runs {args.action} takes one run id; '{args.values[0]}' is one too many")
    if args.action == "list":
        rows = [_list_summary(r) for r in store.list(dataset=args.dataset)]
        if not args.json:
            for r in rows:
                test = r["metrics"].get("test", {}).get("accuracy") if r["metrics"] else None
                shown = f"test acc {test:.4f}" if isinstance(test, int | float) else (r["error"] or "")
                named = f"{r['model']} · {r['name']}" if r["name"] else r["model"]  # the id is on the line already
                print(f"{r['run_id']}  {r['status']:<11} {r['dataset']:<14} {named:<10} {shown}")
        return {"runs": rows}
    if not args.run_id:
        raise TrainboardError(f"runs {args.action} needs a run id")
    if args.action == "show":
        record = store.get(args.run_id)
        summary = run_summary(record)
        if not args.json:
            print_run(summary)
            from core.runs.record import DAMAGED
            from core.training.config import RunConfig

            if record.status != DAMAGED:  # a damaged row's config may be what cannot be read
                print(f"  reproduce  {RunConfig.from_dict(record.config).command_line()}")
            print(f"  artifacts  {store.artifacts_dir(record.id)}")
        return summary
    if args.action == "delete":
        store.delete(args.run_id)
        if not args.json:
            print(f"deleted run {args.run_id}")
        return {"deleted": args.run_id}
    return _edit_run(store, args)


def _edit_run(store, args: argparse.Namespace) -> dict:
    """`runs tag|untag ID TAG ...`, `runs rename ID NAME` and `runs note ID TEXT` ("" clears a name or note)."""
    values = args.values
    if args.action in ("tag", "untag"):
        if not any(v.strip() for v in values):
            raise TrainboardError(f"runs {args.action} {args.run_id} needs at least one tag")
        change = {"add": values} if args.action == "tag" else {"remove": values}
        record = store.retag(args.run_id, **change)
    else:
        if not values:
            what = "NAME" if args.action == "rename" else "TEXT"
            raise TrainboardError(f'runs {args.action} {args.run_id} needs {what} ("" clears it)')
        field = "name" if args.action == "rename" else "note"
        record = store.annotate(args.run_id, **{field: " ".join(values)})
    summary = run_summary(record)
    if not args.json:
        print(f"run {record.id}: {record.label}; tags: {', '.join(record.tags) or 'none'}")
        if record.note:
            print(f"  note       {record.note}")
    return summary


def cmd_score(args: argparse.Namespace) -> dict:
    """Predict the rows of --input with a finished run's model and write them, with the predictions, to --out."""
    from core.cli.common import output_path
    from core.runs import RunStore
    from core.runs.artifacts import write_frame
    from core.scoring import PREDICTED, score_path

    target = output_path(args.out)
    store = RunStore()
    store.get(args.run_id)  # an unknown id is named before the input is read
    scored = score_path(store, args.run_id, args.input)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_frame(target.parent, target.name, scored)
    counts = {str(k): int(v) for k, v in scored[PREDICTED].value_counts().items()}
    if not args.json:
        shown = ", ".join(f"{name} {count:,}" for name, count in counts.items())
        print(f"scored {len(scored):,} rows with run {args.run_id} into {target}: {shown}")
    return {"run_id": args.run_id, "rows": len(scored), "out": str(target), "predicted": counts}
