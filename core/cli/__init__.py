"""`python -m core ...`: the command line over the same core the pages use.

Bad input exits with status 2 and one line on stderr; with --json the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback

from core.cli.common import EXIT_BAD_INPUT, OneLineParser, add_dataset_arguments, add_training_arguments
from core.cli.compare import add_export_arguments, cmd_compare, cmd_report
from core.cli.data import cmd_data_info, cmd_datasets, cmd_eda
from core.cli.playground import add_playground_commands
from core.cli.reproduce import add_reproduce_command
from core.cli.runs import RUN_ACTIONS, cmd_models, cmd_presets, cmd_runs, cmd_score, cmd_train
from core.cli.sweep import add_sweep_commands
from core.errors import TrainboardError


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

    train = commands.add_parser("train", help="train one model on NAME; the run is kept in the run store")
    add_dataset_arguments(train)
    train.add_argument("--model", help="a registered model (python -m core models); or give --preset")
    train.add_argument("--param", action="append", default=[], metavar="KEY=VALUE", help="model parameter, repeatable")
    train.add_argument("--limit", type=int, help="sample this many rows (stratified) before splitting")
    train.add_argument("--spec", help="a preprocessing spec (JSON from the Explore page)")
    train.add_argument("--preset", help="a Neural Nets preset (python -m core presets); flags given override it")
    add_training_arguments(train)
    train.set_defaults(run=cmd_train)

    compare = commands.add_parser("compare", help="train several models on NAME's one split, then write a report")
    add_dataset_arguments(compare)
    compare.add_argument("--models", required=True, help="comma-separated registered models, e.g. logreg,rf,mlp")
    compare.add_argument("--limit", type=int, help="sample this many rows (stratified) before splitting")
    compare.add_argument("--spec", help="a preprocessing spec (JSON from the Explore page) for every run")
    compare.add_argument("--report", required=True, help="the HTML report to write")
    add_export_arguments(compare)
    add_training_arguments(compare)
    compare.set_defaults(run=cmd_compare)

    report = commands.add_parser("report", help="the comparison report (and CSV, pack) of runs in the store")
    report.add_argument("run_ids", nargs="+", metavar="ID", help="run ids (python -m core runs)")
    report.add_argument("--out", required=True, help="the HTML report to write")
    add_export_arguments(report)
    report.add_argument("--json", action="store_true")
    report.set_defaults(run=cmd_report)

    runs = commands.add_parser("runs", help="list, show, delete, name, tag or annotate runs")
    runs.add_argument("action", nargs="?", default="list", choices=RUN_ACTIONS)
    runs.add_argument("run_id", nargs="?")
    runs.add_argument("values", nargs="*", metavar="VALUE", help="tag/untag: TAG ...; rename: NAME; note: TEXT")
    runs.add_argument("--dataset", help="only runs on this dataset (list)")
    runs.add_argument("--json", action="store_true")
    runs.set_defaults(run=cmd_runs)

    score = commands.add_parser("score", help="predict new rows (or images) with a finished run's model")
    score.add_argument("run_id", metavar="ID", help="a finished run (python -m core runs)")
    inputs = "a CSV or parquet file with the run's columns; for an image run, a picture or a folder of pictures"
    score.add_argument("--input", required=True, help=inputs)
    score.add_argument("--out", required=True, help="the CSV to write: the rows, the predicted class, p(class)")
    score.add_argument("--json", action="store_true")
    score.set_defaults(run=cmd_score)

    presets = commands.add_parser("presets", help="list the Neural Nets presets (reference configurations)")
    presets.add_argument("--json", action="store_true")
    presets.set_defaults(run=cmd_presets)

    add_playground_commands(commands)
    add_reproduce_command(commands)
    add_sweep_commands(commands)

    models = commands.add_parser("models", help="list the registered models and their parameters")
    models.add_argument("--json", action="store_true")
    models.set_defaults(run=cmd_models)
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
    except BrokenPipeError:  # the reader went away (e.g. `| head`): nothing left to say
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (keeps the interpreter's exit flush quiet)
        return 0
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
