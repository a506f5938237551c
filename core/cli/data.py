"""Commands over datasets: `datasets`, `data info`, `eda`."""

from __future__ import annotations

import argparse
import time

from core.cli.common import load_from_args, read_text


def cmd_datasets(args: argparse.Namespace) -> dict:
    from core.datasets import list_datasets

    rows = []
    for loader in list_datasets():
        available = loader.availability()
        rows.append(
            {
                "name": loader.name,
                "kind": loader.kind,
                "title": loader.title,
                "sources": list(loader.sources),
                "offline": available.offline,
                "detail": available.detail,
            }
        )
        if not args.json:
            mark = "yes" if available.offline else "no "
            print(f"{loader.name:<14} {loader.kind:<8} offline: {mark}  {available.detail}")
    return {"datasets": rows}


def cmd_data_info(args: argparse.Namespace) -> dict:
    from core.datasets import make_split
    from core.datasets.summary import dataset_summary

    dataset, load_seconds = load_from_args(args)
    split = make_split(dataset, seed=args.seed)
    summary = dataset_summary(dataset, split, load_seconds)
    if not args.json:
        print_summary(summary)
    return summary


def print_summary(summary: dict) -> None:
    badge = "  [SYNTHETIC: generated stand-in, not real data]" if summary["synthetic"] else ""
    print(f"{summary['name']} ({summary['kind']}){badge}")
    print(f"  source     {summary['source']}: {summary['location']}")
    print(f"  sha256     {summary['sha256']}")
    shape = (
        f"images {'x'.join(map(str, summary['image_shape']))}"
        if "image_shape" in summary
        else f"{summary['n_features']} features"
    )
    print(f"  rows       {summary['rows']:,} ({shape})")
    if "official_train" in summary:
        print(f"  official   {summary['official_train']:,} train / {summary['official_test']:,} test")
    print(
        f"  split      train {summary['rows_train']:,} / val {summary['rows_val']:,} / test {summary['rows_test']:,}"
        f"  (seed {summary['split_seed']}, hash {summary['split_hash'][:12]})"
    )
    counts = ", ".join(f"{name}: {count:,}" for name, count in summary["class_counts"].items())
    print(f"  target     {summary['target']}: {len(summary['classes'])} classes ({counts})")
    for note in summary["notes"]:
        print(f"  note       {note}")
    print(f"  loaded in  {summary['load_seconds']:.3f} s")


def cmd_eda(args: argparse.Namespace) -> dict:
    from core.report.eda import eda_report
    from core.report.html import write_page

    dataset, load_seconds = load_from_args(args)
    if args.spec:
        from core.preprocess import PreprocessSpec, apply_row_steps

        spec = PreprocessSpec.from_json(read_text(args.spec))
        spec.validate_for(dataset)
        dataset = apply_row_steps(dataset, spec)
    started = time.perf_counter()  # no split: exploring takes any target, even one training could not split
    path = write_page(args.out, eda_report(dataset, seed=args.seed))
    result = {
        "name": dataset.name,
        "out": str(path),
        "rows": dataset.rows,
        "synthetic": dataset.provenance.synthetic,
        "load_seconds": round(load_seconds, 4),
        "report_seconds": round(time.perf_counter() - started, 4),
    }
    if not args.json:
        print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB) for {dataset.name}, {dataset.rows:,} rows")
    return result
