"""Issue 17: trials of a study in parallel. A 20-trial `mlp` study on a 10,000-image Fashion-MNIST subset, 2 epochs
a trial, run by one worker and then by two; target: two workers finish at least 1.6x faster on a 2-core machine.

Both studies draw the very same 20 configurations (a random sampler seeded per budget slot), so they do the same
work. One worker runs as the machine's default does (TRAINBOARD_MAX_WORKERS unset: half the cores' runs at once,
here 1, with all the cores' threads); two workers run with TRAINBOARD_MAX_WORKERS=2, each on 1 thread (the thread
budget of core/runs/threads.py), the `python -m core sweep ... --workers 2` process being one of them. Each is timed
from outside, interpreter start-up included; a 1-trial study first fills the dataset and split caches both use.
Run: python bench/bench_sweep_parallel.py [--trials N] [--limit N] [--epochs E] [--json]  (needs dataset-fashion-mnist)
"""

import argparse
import json
import os
import sys
from pathlib import Path

from _cli import REPO, machine, run_cli_timed, scratch_home
from record import Result, print_json_if_asked
from targets import TARGETS

sys.path.insert(0, str(REPO))
from core.sweeps.space import SearchSpace  # noqa: E402

# The space `python -m core sweep` searches for mlp when given none (SearchSpace.for_model): dropout, batch norm,
# learning rate, batch size (32-256) and optimizer, over the default 64-128-256 network.
SPACE = SearchSpace.for_model("mlp").to_dict()


def sweep(study: str, storage: str, space: Path, args, workers: int, trials: int, env: dict) -> tuple[dict, float]:
    return run_cli_timed(
        "sweep", "fashion-mnist", "--model", "mlp", "--space", str(space), "--sampler", "random",
        "--trials", str(trials), "--epochs", str(args.epochs), "--limit", str(args.limit), "--storage", storage,
        "--study", study, "--workers", str(workers), env_extra=env,
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--limit", type=int, default=10_000)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="end with the result as one JSON line")
    args = parser.parse_args()
    home = Path(scratch_home())
    space = home / "space.json"
    space.write_text(json.dumps(SPACE))
    storage = f"sqlite:///{home / 'sweeps.db'}"
    base = {"TRAINBOARD_HOME": str(home)}
    one = {**base, "TRAINBOARD_MAX_WORKERS": os.environ.get("TRAINBOARD_MAX_WORKERS_ONE", "1")}
    two = {**base, "TRAINBOARD_MAX_WORKERS": "2"}
    sweep("warm-up", storage, space, args, 1, 1, one)
    results = {}
    for label, workers, env in (("1 worker", 1, one), ("2 workers", 2, two)):
        summary, seconds = sweep(label.replace(" ", "-"), storage, space, args, workers, args.trials, env)
        if summary["complete"] != args.trials:
            sys.exit(f"bench: {label}: {summary['complete']} of {args.trials} trials complete")
        results[label] = (seconds, summary["best_value"])
        rate = args.trials / seconds * 60
        print(f"{label:<10} {seconds:7.1f} s  ({rate:.1f} trials/min), best {summary['best_value']:.4f}")
    speedup = results["1 worker"][0] / results["2 workers"][0]
    result = Result(
        TARGETS["sweep-two-workers"],
        speedup,
        f"1 worker {results['1 worker'][0]:.1f} s, 2 workers {results['2 workers'][0]:.1f} s; {args.trials} trials, "
        f"{args.limit:,} images, {args.epochs} epochs; load average {os.getloadavg()[0]:.1f} after",
    )
    limit = result.target.limit
    print(f"speed-up of 2 workers: {speedup:.2f}x (target {limit:g}x) - {'met' if result.met else 'MISSED'}")
    print(f"machine: {machine()}; {args.trials} trials, {args.limit:,} images, {args.epochs} epochs")
    print_json_if_asked("sweep_parallel", [result])


if __name__ == "__main__":
    main()
