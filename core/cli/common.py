"""What every command shares: one-line errors, progress on stderr, and the dataset flags."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from core.errors import TrainboardError

EXIT_BAD_INPUT = 2


class OneLineParser(argparse.ArgumentParser):
    """argparse prints the usage block on error; the contract is one line, so print only the message."""

    def error(self, message: str) -> None:
        self.exit(EXIT_BAD_INPUT, f"error: {message} (see: python -m core --help)\n")


def output_path(path: str) -> Path:
    """The file a command will write, checked before any work starts: not a folder, under a folder (not a file),
    and writable; its missing folders are created on writing. TrainboardError naming the path otherwise."""
    target = Path(path)
    if target.is_dir():
        raise TrainboardError(f"{path} is a folder; give a file name")
    parent = target.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise TrainboardError(f"{path}: {parent} is a file, not a folder")
    writable = os.access(target, os.W_OK) if target.exists() else os.access(parent, os.W_OK | os.X_OK)
    if not writable:
        raise TrainboardError(f"{path}: cannot be written here (permission denied)")
    return target


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


def add_dataset_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name")
    parser.add_argument("--source", default="auto", help="auto (default), file, download or synthetic")
    parser.add_argument("--path", help="a file, or a folder holding the four IDX files")
    parser.add_argument("--target", help="target column (tables)")
    parser.add_argument("--rows", type=int, help="rows to generate or to read")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generator and of the split")
    parser.add_argument("--option", action="append", default=[], metavar="KEY=VALUE", help="loader option, repeatable")
    parser.add_argument("--label", help="the dataset's name in runs and reports (a file: csv:<file name>)")
    parser.add_argument("--json", action="store_true", help="print one JSON object last")


def add_training_arguments(parser: argparse.ArgumentParser) -> None:
    """One flag per training option (--epochs, --lr, --batch-size, ...), drawn from TRAINING_PARAMS so the
    page and the command line offer the same options. Networks only; None means not given."""
    from core.training.options import TRAINING_PARAMS, cli_flag

    group = parser.add_argument_group("training options (networks: torch and the NumPy engine)")
    for param in TRAINING_PARAMS:
        choices = f" ({'|'.join(map(str, param.choices))})" if param.choices else ""
        group.add_argument(cli_flag(param.name), dest=param.name, default=None, metavar="V", help=param.help + choices)


def spec_from_args(args: argparse.Namespace) -> str:
    """The --spec file's JSON ("{}" without one), checked now so a bad spec is refused before any run exists."""
    if not args.spec:
        return "{}"
    from core.preprocess import PreprocessSpec

    text = read_text(args.spec)
    PreprocessSpec.from_json(text)
    return text


def note_ignored_training(models: list, training: dict) -> None:
    """Say on stderr which of the training options given each model ignores: classical models all of them, the
    NumPy engine those it does not have (augmentation, mixed precision, a GPU)."""
    from core.training.options import cli_flag, ignored_options

    notes = {  # (one model, several)
        "classical": ("{models} is not a network and ignores {flags}", "{models} are not networks and ignore {flags}"),
        "numpy": ("the NumPy engine (CPU only, no augmentation or mixed precision) ignores {flags} for {models}",) * 2,
    }
    by_family: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for spec in models:
        ignored = tuple(ignored_options(spec.family, training))
        if ignored:
            by_family.setdefault((spec.family, ignored), []).append(spec.name)
    for (family, ignored), names in by_family.items():
        flags = ", ".join(cli_flag(key) for key in ignored)
        note = notes[family][len(names) > 1].format(models=", ".join(names), flags=flags)
        print(f"note: {note}", file=sys.stderr)


def training_from_args(args: argparse.Namespace) -> dict:
    """The training options given on the command line, parsed and checked."""
    from core.training.options import TRAINING_PARAMS, parse_training_pairs

    return parse_training_pairs({param.name: getattr(args, param.name, None) for param in TRAINING_PARAMS})


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
        label=args.label,
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


def read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as file:
            return file.read()
    except OSError as exc:
        raise TrainboardError(f"{path}: cannot read the spec ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise TrainboardError(f"{path}: the spec is not UTF-8 text (byte {exc.start}); save it as UTF-8 JSON") from None
