"""Target (issue 15): rf, logreg, hgb and xgboost on the 620,000-row LA table (synthetic stand-in, age-group target,
spec bench/la_age_group_spec.json, encoding "auto") train and evaluate in under 60 s together, the way the Baselines
page starts them: create_run (the precheck) for each, then jobs.submit_all to background workers
(TRAINBOARD_MAX_WORKERS, default half the cores but two on two), timed from the first create_run to the last run's
end. The caches start empty: the first load generates the table, the first run of each encoding encodes the split.

Run: python bench/bench_la_speed.py [--workers N] [--passes P] [--json]
  --workers N  TRAINBOARD_MAX_WORKERS for the workers (default: unset, the default rule)
  --passes P   start the four runs P times on the same cache (the later passes find every split encoded)
  --json       print the result of the first pass (the target's: an empty cache) as one JSON line at the end
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

from _cli import REPO, machine, scratch_home
from record import Result, print_json_if_asked
from targets import TARGETS

sys.path.insert(0, str(REPO))
os.environ["TRAINBOARD_HOME"] = scratch_home()  # runs of the bench stay out of data/

from core.datasets import LoadRequest  # noqa: E402
from core.preprocess import PreprocessSpec  # noqa: E402
from core.runs import RunStore, jobs  # noqa: E402
from core.runs.record import seconds_between  # noqa: E402
from core.training.config import RunConfig, create_run  # noqa: E402

TARGET = TARGETS["baselines-620k"]
TARGET_SECONDS = TARGET.limit
MODELS = ("rf", "logreg", "hgb", "xgboost")
LA = LoadRequest("la-collisions", source="synthetic", rows=620_000)
SPEC = PreprocessSpec.from_json((Path(__file__).parent / "la_age_group_spec.json").read_text())


def cpu_seconds() -> float:
    """User + system CPU seconds of this process and its ended workers (which jobs.submit's reapers wait for)."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def one_pass(store: RunStore) -> tuple[float, float, list]:
    """(wall from the first create_run to the last end, seconds of the prechecks, the four records)."""
    started = time.perf_counter()
    run_ids = [create_run(store, RunConfig.build(LA, model, None, SPEC.to_json())) for model in MODELS]
    precheck = time.perf_counter() - started
    jobs.submit_all(run_ids, store)
    while any(store.get(run_id).is_active for run_id in run_ids):
        time.sleep(0.1)
    wall = time.perf_counter() - started
    records = [store.get(run_id) for run_id in run_ids]
    for record in records:
        if record.status != "finished":
            sys.exit(f"bench: {record.model} {record.status}: {record.error}")
    return wall, precheck, records


def line(record) -> str:
    t = record.timings
    run_wall = seconds_between(record.started_at, record.finished_at)
    rest = run_wall - t["fit_seconds"] - t["predict_seconds"]
    return (
        f"  {record.model:<8} run {run_wall:5.1f} s = fit {t['fit_seconds']:5.1f} + predict {t['predict_seconds']:4.2f}"
        f" + the rest (load, split, encode or cache, evaluate, save) {rest:4.1f}  "
        f"test acc {record.metrics['test']['accuracy']:.4f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--passes", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="end with the first pass's result as one JSON line")
    args = parser.parse_args()
    if args.workers is not None:
        os.environ["TRAINBOARD_MAX_WORKERS"] = str(args.workers)
    store = RunStore()
    print(f"machine: {machine()}; workers at once: {jobs.max_workers()}")
    ok = True
    results = []
    for number in range(1, args.passes + 1):
        cpu = cpu_seconds()
        wall, precheck, records = one_pass(store)
        time.sleep(0.5)  # the reapers collect the last worker's exit (and its CPU time)
        cpu = cpu_seconds() - cpu
        load = "/".join(f"{x:.1f}" for x in os.getloadavg())  # a shared machine: how busy it was (1/5/15 min)
        cache = "empty cache" if number == 1 else "splits cached"
        print(f"pass {number} ({cache}): precheck {precheck:.1f} s; load average {load}")
        for record in records:
            print(line(record), flush=True)
        met = wall < TARGET_SECONDS
        ok = ok and met
        verdict = "met" if met else "MISSED"
        print(f"  together {wall:.1f} s ({cpu:.0f} CPU s); target < {TARGET_SECONDS:.0f} s: {verdict}", flush=True)
        fits = " / ".join(f"{r.model} {r.timings['fit_seconds']:.1f}" for r in records)
        results.append(Result(TARGET, wall, f"{cpu:.0f} CPU s; fits {fits} s; load average {load}"))
    print_json_if_asked("la_speed", results[:1])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
