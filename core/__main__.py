"""`python -m core ...`: the command line over the same core the pages use.

Bad input exits with status 2 and one line on stderr; with --json the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback

from core.errors import TrainboardError

EXIT_BAD_INPUT = 2


class OneLineParser(argparse.ArgumentParser):
    """argparse prints the usage block on error; the contract is one line, so print only the message."""

    def error(self, message: str) -> None:
        self.exit(EXIT_BAD_INPUT, f"error: {message} (see: python -m core --help)\n")


class StderrProgress:
    """Progress on stderr: a rewritten line on a terminal, a line per 10% otherwise (logs, CI)."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.last_step = -1

    def __call__(self, fraction: float | None, message: str) -> None:
        if self.tty:
            percent = "" if fraction is None else f"{fraction:4.0%} "
            sys.stderr.write(f"\r{percent}{message[:70]:<70}")
            sys.stderr.flush()
            return
        step = -1 if fraction is None else int(fraction * 10)
        if step != self.last_step:
            self.last_step = step
            sys.stderr.write(f"{'' if fraction is None else f'{fraction:.0%} '}{message}\n")

    def close(self) -> None:
        if self.tty:
            sys.stderr.write("\r" + " " * 76 + "\r")


def parse_options(pairs: list[str]) -> tuple[tuple[str, str], ...]:
    options = []
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise TrainboardError(f"--option expects key=value, got '{pair}'")
        options.append((key, value))
    return tuple(options)


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


def request_from_args(args: argparse.Namespace):
    from core.datasets import LoadRequest

    return LoadRequest(
        name=args.name,
        source=args.source,
        path=args.path,
        target=args.target,
        rows=args.rows,
        seed=args.seed,
        options=parse_options(args.option),
    )


def load_from_args(args: argparse.Namespace):
    """Load the dataset the flags describe, with progress on stderr; returns (dataset, seconds)."""
    from core.datasets import get_loader, load_dataset

    request = request_from_args(args)
    get_loader(request.name)  # imports the loaders now, so the time measures loading alone
    progress = StderrProgress()
    started = time.perf_counter()
    try:
        dataset = load_dataset(request, progress)
    finally:
        progress.close()
    return dataset, time.perf_counter() - started


def cmd_data_info(args: argparse.Namespace) -> dict:
    from core.datasets import make_split
    from core.datasets.summary import dataset_summary

    dataset, load_seconds = load_from_args(args)
    split = make_split(dataset, seed=args.seed)
    summary = dataset_summary(dataset, split, load_seconds)
    if not args.json:
        print_summary(summary)
    return summary


def cmd_eda(args: argparse.Namespace) -> dict:
    from core.datasets import make_split
    from core.report.eda import eda_report
    from core.report.html import write_page

    dataset, load_seconds = load_from_args(args)
    if args.spec:
        from core.preprocess import PreprocessSpec, apply_row_steps

        spec = PreprocessSpec.from_json(_read_text(args.spec))
        spec.validate_for(dataset)
        dataset = apply_row_steps(dataset, spec)
    split = make_split(dataset, seed=args.seed)
    started = time.perf_counter()
    path = write_page(args.out, eda_report(dataset, split))
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


def _read_text(path: str) -> str:
    try:
        return open(path, encoding="utf-8").read()
    except OSError as exc:
        raise TrainboardError(f"{path}: cannot read the spec ({exc.strerror})") from None


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


def add_dataset_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name")
    parser.add_argument("--source", default="auto", help="auto (default), file, download or synthetic")
    parser.add_argument("--path", help="a file, or a folder holding the four IDX files")
    parser.add_argument("--target", help="target column (tables)")
    parser.add_argument("--rows", type=int, help="rows to generate or to read")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generator and of the split")
    parser.add_argument("--option", action="append", default=[], metavar="KEY=VALUE", help="loader option, repeatable")
    parser.add_argument("--json", action="store_true", help="print one JSON object last")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="python -m core", description="Trainboard's command line.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)

    listing = commands.add_parser("datasets", help="list datasets and whether each is available offline")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=cmd_datasets)

    data = commands.add_parser("data", help="load a dataset and describe it")
    data_commands = data.add_subparsers(dest="data_command", required=True, parser_class=OneLineParser)
    info = data_commands.add_parser("info", help="load NAME, split it, print provenance, sizes and classes")
    add_dataset_arguments(info)
    info.set_defaults(run=cmd_data_info)

    eda = commands.add_parser("eda", help="profile, alerts and figures of NAME as one offline HTML file")
    add_dataset_arguments(eda)
    eda.add_argument("--spec", help="a preprocessing spec (JSON from the Explore page) to apply first")
    eda.add_argument("--out", required=True, help="the HTML file to write")
    eda.set_defaults(run=cmd_eda)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result = args.run(args)
    except TrainboardError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not bad input: say so in one line unless asked for the detail
        if os.environ.get("TRAINBOARD_DEBUG"):
            traceback.print_exc()
        else:
            print(
                f"internal error: {type(exc).__name__}: {exc} (TRAINBOARD_DEBUG=1 shows the traceback)", file=sys.stderr
            )
        return 1
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
