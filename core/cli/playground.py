"""`python -m core playground run|gate`: the Playground's engine without the page."""

from __future__ import annotations

import argparse
import sys

from core.errors import TrainboardError


def _numbers(text: str | None, flag: str) -> list[float] | None:
    if text is None:
        return None
    try:
        return [float(item) for item in text.split(",") if item.strip()]
    except ValueError:
        raise TrainboardError(f"{flag}: {text!r} is not a comma-separated list of numbers") from None


def _names(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split(",") if item.strip())


def add_playground_commands(commands) -> None:
    playground = commands.add_parser(
        "playground", help="the Playground's engine, headless: run a network, or a gate exercise"
    )
    sub = playground.add_subparsers(dest="playground_command", required=True, parser_class=type(playground))
    run = sub.add_parser("run", help="train a Playground network; print train and test loss per epoch")
    run.add_argument(
        "--dataset",
        default="circle",
        help="circle, xor, gaussian, spiral, sine, cubic, abs, plane, multi_gaussian, csv",
    )
    run.add_argument("--csv", help="with --dataset csv: a file of two numeric columns and a label")
    run.add_argument("--real", metavar="NAME", help="with --dataset real: a dataset (python -m core datasets)")
    run.add_argument("--classes", help="with --dataset real: two of its classes, comma-separated")
    run.add_argument("--columns", help="with --dataset real: two numeric columns (default: two principal components)")
    run.add_argument("--problem", default="classification", choices=["classification", "regression"])
    run.add_argument("--features", default="x1,x2", help="comma-separated: x1, x2, x1_sq, x2_sq, x1x2, sin_x1, sin_x2")
    run.add_argument(
        "--hidden",
        default="4,4",
        help="neurons per hidden layer, comma-separated (1-8 each, up to 6 layers); none: no hidden layer",
    )
    run.add_argument("--activation", default="tanh", help="tanh, relu, sigmoid or linear; one, or one per layer")
    run.add_argument("--lr", type=float, default=0.03)
    run.add_argument("--batch-size", type=int, default=10)
    run.add_argument("--epochs", type=int, default=100)
    run.add_argument("--noise", type=int, default=0, help="0-50")
    run.add_argument("--train-ratio", type=int, default=50, help="percent of the points that train, 10-90")
    run.add_argument("--regularization", default="none", choices=["none", "l1", "l2"])
    run.add_argument("--regularization-rate", type=float, default=0.0)
    run.add_argument("--dropout", type=float, default=0.0)
    run.add_argument("--residual", action="store_true", help="a skip connection around every hidden layer")
    run.add_argument("--seed", type=int, default=0, help="seeds the points and the starting weights")
    run.add_argument("--challenge", help="also say whether the result meets this challenge (smallest, xor_two, ...)")
    run.add_argument(
        "--seeds", type=int, help="also train from this many starting weights: how often does it converge?"
    )
    run.add_argument("--json", action="store_true")
    run.set_defaults(run=cmd_playground_run)

    gate = sub.add_parser("gate", help="the logbook's exercises: AND perceptron, XOR 2-2-1, 2-bit decoder")
    gate.add_argument("gate", choices=["AND", "XOR", "decoder"])
    gate.add_argument("--epochs", type=int)
    gate.add_argument("--lr", type=float)
    gate.add_argument("--threshold", type=float, help="report the first epoch whose cost is below this")
    gate.add_argument("--activation", help="AND: linear or sigmoid; XOR: sigmoid or tanh hidden units")
    gate.add_argument("--sigmoid-before-softmax", action="store_true", help="decoder: squash the logits first")
    gate.add_argument("--weights", help="starting weights, comma-separated (AND: w1,w2; XOR: 4 hidden then 2 output)")
    gate.add_argument("--bias", help="starting biases, comma-separated (AND: b; XOR: 2 hidden then 1 output)")
    gate.add_argument("--json", action="store_true")
    gate.set_defaults(run=cmd_playground_gate)


def cmd_playground_run(args: argparse.Namespace) -> dict:
    from core.playground.challenges import CHALLENGES, judge
    from core.playground.convergence import ConvergenceStudy
    from core.playground.data import PATTERNS
    from core.playground.session import Playground
    from core.playground.setup import Setup

    hidden = () if args.hidden.strip().lower() in ("", "none") else _names(args.hidden)
    try:
        hidden = tuple(int(size) for size in hidden)
    except ValueError:
        raise TrainboardError(f"--hidden: {args.hidden!r} is not a comma-separated list of whole numbers") from None
    activations = _names(args.activation)
    problem = PATTERNS[args.dataset].problem if args.dataset in PATTERNS else args.problem
    setup = Setup(
        dataset=args.dataset,
        problem=problem,
        noise=args.noise,
        train_ratio=args.train_ratio,
        batch_size=args.batch_size,
        data_seed=args.seed,
        weight_seed=args.seed,
        features=_names(args.features),
        hidden=hidden,
        activations=activations * len(hidden) if len(activations) == 1 else activations,
        lr=args.lr,
        regularization=args.regularization,
        regularization_rate=args.regularization_rate,
        dropout=args.dropout,
        residual=args.residual,
        source=args.csv
        or (f"{args.real}|{args.classes}" + (f"|{args.columns}" if args.columns else "") if args.real else ""),
    ).checked()
    if len(activations) not in (1, len(hidden)) and hidden:
        raise TrainboardError(f"--activation: {len(activations)} names for {len(hidden)} hidden layers")
    if args.challenge is not None and args.challenge not in CHALLENGES:
        raise TrainboardError(f"--challenge: {args.challenge!r} is not one of {', '.join(CHALLENGES)}")
    if not 1 <= args.epochs <= 100_000:
        raise TrainboardError(f"--epochs {args.epochs}: must be 1-100000")
    if setup.dataset == "csv" and not args.csv:
        raise TrainboardError("--dataset csv needs --csv FILE (two numeric columns and a label)")
    points = _user_points(args, setup)
    playground = Playground(setup, points)
    every = max(1, args.epochs // 10)
    for epoch in range(1, args.epochs + 1):
        playground.step()
        if not args.json and (epoch % every == 0 or epoch == args.epochs or playground.diverged):
            _, train_loss, test_loss = playground.history[-1]
            print(f"epoch {epoch:>5}  train loss {train_loss:.4f}  test loss {test_loss:.4f}")
        if playground.diverged:
            break
    _, train_loss, test_loss = playground.history[-1]
    result = {
        "setup": setup.to_query(),
        "epochs": [{"epoch": e, "train_loss": tr, "test_loss": te} for e, tr, te in playground.history[1:]],
        "train_loss": train_loss,
        "test_loss": test_loss,
        "diverged": playground.diverged,
        "accuracy": dict(zip(("train", "test"), accuracy, strict=True))
        if (accuracy := playground.accuracy())
        else None,
    }
    if playground.diverged:
        print(playground.diverged, file=sys.stderr)
    if args.challenge:
        verdict = judge(CHALLENGES[args.challenge], playground)
        result["challenge"] = {"name": args.challenge, "met": verdict.met, "message": verdict.message}
        print(verdict.message, file=sys.stderr)
    if args.seeds:
        study = ConvergenceStudy(setup, args.epochs, args.seeds, points).run()
        goal = CHALLENGES[args.challenge].goal if args.challenge else 0.1
        result["seeds"] = {"test_losses": study.losses().tolist(), "goal": goal, "share": study.share_reaching(goal)}
        print(f"{study.share_reaching(goal):.0%} of {args.seeds} seeds reach test loss <= {goal:g}", file=sys.stderr)
    return result


def _user_points(args: argparse.Namespace, setup):
    """The points of --dataset csv or real (None for a generated set)."""
    from core.playground.real_data import points_from_csv, points_from_dataset

    if setup.dataset == "csv":
        return points_from_csv(args.csv, setup.problem)
    if setup.dataset != "real":
        return None
    if not args.real or not args.classes:
        raise TrainboardError("--dataset real needs --real NAME and --classes A,B (and optionally --columns C,D)")
    from core.datasets import LoadRequest, load_dataset

    classes, columns = _names(args.classes), _names(args.columns) if args.columns else None
    if len(classes) != 2 or (columns is not None and len(columns) != 2):
        raise TrainboardError("--classes and --columns take two names each, comma-separated")
    return points_from_dataset(load_dataset(LoadRequest(args.real)), classes, columns)


def cmd_playground_gate(args: argparse.Namespace) -> dict:
    from core.playground.gates import run_gate

    result = run_gate(
        args.gate,
        epochs=args.epochs,
        lr=args.lr,
        threshold=args.threshold,
        activation=args.activation,
        sigmoid_before_softmax=args.sigmoid_before_softmax,
        weights=_numbers(args.weights, "--weights"),
        bias=_numbers(args.bias, "--bias"),
    )
    if not args.json:
        every = max(1, len(result.costs) // 10)
        for epoch, cost in enumerate(result.costs, 1):
            if epoch % every == 0 or epoch in (1, result.first_below, len(result.costs)):
                print(f"epoch {epoch:>5}  cost {cost:.4f}")
        below = "never" if result.first_below is None else f"first at epoch {result.first_below}"
        print(f"{result.label}: cost below {result.threshold:g} {below}")
    return {"gate": args.gate} | result.to_dict()
