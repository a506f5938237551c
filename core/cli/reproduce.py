"""`python -m core reproduce list | NAME`: the reference studies' configurations, run by name through the run
store, each figure printed beside the study's."""

from __future__ import annotations

import argparse
import sys


def add_reproduce_command(commands) -> None:
    reproduce = commands.add_parser(
        "reproduce", help="run a reference study's configuration by name and set its figures beside ours"
    )
    reproduce.add_argument("name", metavar="NAME|list", help="a reproduction (python -m core reproduce list)")
    reproduce.add_argument("--study", help="list: only this study's reproductions")
    reproduce.add_argument("--limit", type=int, help="sample this many rows (stratified) for a quicker look")
    reproduce.add_argument("--epochs", type=int, help="train this many epochs instead of the study's")
    reproduce.add_argument("--json", action="store_true")
    reproduce.set_defaults(run=cmd_reproduce)


def cmd_reproduce(args: argparse.Namespace) -> dict:
    if args.name == "list":
        return _list(args)
    return _run(args)


def _list(args: argparse.Namespace) -> dict:
    from core.errors import TrainboardError
    from core.reproduce import STUDIES, list_reproductions

    if args.study is not None and args.study not in STUDIES:
        raise TrainboardError(f"--study {args.study!r} is not one of {', '.join(STUDIES)}")
    rows = []
    for reproduction in list_reproductions(args.study):
        what = _what(reproduction)
        rows.append(
            {
                "name": reproduction.name,
                "study": reproduction.study,
                "title": reproduction.title,
                "kind": reproduction.kind,
                "trains": what,
                "published": [{"figure": f.label, "value": f.value, "unlike": f.unlike} for f in reproduction.figures],
                "differs": reproduction.differs,
            }
        )
        if not args.json:
            quoted = "; ".join(f"{f.label} {f.value:g}" for f in reproduction.figures) or "no figure quoted"
            print(f"{reproduction.name:<28} {reproduction.study:<16} {what:<34} {quoted}")
    return {"reproductions": rows}


def _what(reproduction) -> str:
    if reproduction.kind == "exercise":
        return "exercise: " + ("playground" if "playground" in reproduction.exercise else reproduction.exercise["gate"])
    model, _, _ = reproduction.resolved()
    return f"{model} on {reproduction.dataset['name']}"


def _run(args: argparse.Namespace) -> dict:
    from core.errors import TrainboardError
    from core.reproduce import get_reproduction, side_by_side, view_of
    from core.reproduce.exercises import run_exercise

    reproduction = get_reproduction(args.name)
    run_id = None
    if reproduction.kind == "exercise":
        if args.limit is not None:
            raise TrainboardError(f"--limit: {reproduction.name} is an exercise on its own few points; leave it out")
        view = run_exercise(reproduction.exercise, args.epochs)
    else:
        from core.reproduce.runner import start
        from core.runs import RunStore, jobs

        store = RunStore()
        store.mark_interrupted()
        run_id = start(reproduction, store, args.limit, args.epochs)  # checks the input before anything is said
        print(f"run {run_id}: {reproduction.title}", file=sys.stderr)
        if reproduction.differs:
            print(f"note: {reproduction.differs}", file=sys.stderr)
        jobs.run_inline(run_id, store)
        record = store.get(run_id)
        if record.status != "finished":
            raise TrainboardError(f"run {run_id} {record.status}: {record.error}")
        view = view_of(record, store)
    rows = side_by_side(reproduction, view)
    if not args.json:
        _print_table(reproduction, rows)
    return {"name": reproduction.name, "run_id": run_id, "figures": rows}


def _print_table(reproduction, rows: list[dict]) -> None:
    print(f"{reproduction.title} ({reproduction.study})")
    print(f"  {'figure':<34} {'published':>12} {'ours':>12} {'versus':>10}  conditions")
    for row in rows:
        published = "—" if row["published"] is None else f"{row['published']:.6g}"
        ours = "—" if row["ours"] is None else f"{row['ours']:.6g}"
        print(f"  {row['figure']:<34} {published:>12} {ours:>12} {row['versus'] or '—':>10}  {row['conditions']}")
