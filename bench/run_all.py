"""Runs the benchmarks one after another (never in parallel: they are timings), each in its own process with
--json, and rewrites the generated top of bench/RESULTS.md and bench/results.json with what they measured.

Run: python bench/run_all.py                    every benchmark (about 40 minutes, 14 of them the 94% attempt;
                                                a quiet machine, please)
     python bench/run_all.py --only eda la_speed  some of them; the other targets keep their last rows
     python bench/run_all.py --list             the benchmarks, their targets and the scripts left out
     python bench/run_all.py --render           RESULTS.md again from bench/results.json, running nothing
"""

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import machine_info
import results_md
import results_store
from catalog import BENCHES, BY_NAME, Bench
from record import Result, failed, parse_json_line
from results_store import Row
from targets import TARGETS

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
RESULTS_MD = BENCH_DIR / "RESULTS.md"
RESULTS_JSON = BENCH_DIR / "results.json"


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def results_of(bench: Bench, returncode: int, stdout: str, stderr: str) -> list[Result]:
    """One result per target of `bench`, from its JSON line; a script that printed none (it failed) gives a
    failed row per target with its last stderr line, and a target it left out a failed row saying so."""
    parsed = parse_json_line(stdout)
    if parsed is None:
        why = last_line(stderr) or f"exit status {returncode}, no results printed"
        return [failed(TARGETS[target_id], why) for target_id in bench.targets]
    by_id = {result.target.id: result for result in parsed}
    return [
        by_id.get(target_id) or failed(TARGETS[target_id], f"{bench.script} printed no result for this target")
        for target_id in bench.targets
    ]


def run_bench(bench: Bench, python: str = sys.executable) -> list[Result]:
    """Run one benchmark in a fresh process, echoing what it prints, and return its results."""
    command = [python, str(BENCH_DIR / bench.script), *bench.args, "--json"]
    with tempfile.TemporaryFile("w+") as stderr:  # a file, so a chatty stderr can never block the pipe we read
        process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=stderr, text=True)
        timed_out = threading.Event()

        def stop() -> None:
            timed_out.set()
            process.kill()

        timer = threading.Timer(bench.timeout_s, stop)
        timer.start()
        stdout = []
        for line in process.stdout:
            print(f"  {line}", end="", flush=True)
            stdout.append(line)
        process.wait()
        timer.cancel()
        stderr.seek(0)
        errors = stderr.read()
    if timed_out.is_set():
        return [failed(TARGETS[t], f"timed out after {bench.timeout_s} s") for t in bench.targets]
    return results_of(bench, process.returncode, "".join(stdout), errors)


def selected(only: list[str] | None) -> list[Bench]:
    if not only:
        return [bench for bench in BENCHES if not bench.skip]
    unknown = [name for name in only if name not in BY_NAME]
    if unknown:
        sys.exit(f"run_all: unknown benchmark(s) {', '.join(unknown)}; --list names them")
    return [BY_NAME[name] for name in only]


def list_benches() -> None:
    for bench in BENCHES:
        if bench.skip:
            print(f"{bench.name:<18} bench/{bench.script}: not run ({bench.skip})")
            continue
        print(f"{bench.name:<18} bench/{bench.script} {' '.join(bench.args)}")
        for target_id in bench.targets:
            target = TARGETS[target_id]
            print(f"{'':<20}{target_id} (issue {target.issue}): {target.what}, {target.limit_text}")


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run these benchmarks only (see --list)")
    parser.add_argument("--list", action="store_true", help="name the benchmarks and their targets, run nothing")
    parser.add_argument("--render", action="store_true", help="rewrite RESULTS.md from results.json, run nothing")
    args = parser.parse_args(argv)
    if args.list:
        list_benches()
        return 0
    if args.render:  # after a change to how the table reads; the figures stay those measured
        RESULTS_MD.write_text(results_md.rewrite(RESULTS_MD.read_text(), results_store.load(RESULTS_JSON)))
        return 0
    benches = selected(args.only)
    skipped = [bench.name for bench in benches if bench.skip]
    if skipped:
        sys.exit(f"run_all: {', '.join(skipped)} are not run by the runner (--list says why)")
    record = results_store.load(RESULTS_JSON)
    machine, versions, started = machine_info.describe_machine(), machine_info.library_versions(), now()
    commit = machine_info.commit(REPO)
    rows = []
    for bench in benches:
        print(f"{bench.name}: python bench/{bench.script} {' '.join(bench.args)} --json", flush=True)
        begun = time.perf_counter()
        results = run_bench(bench)
        rows += [Row(result, now(), commit, bench.name) for result in results]
        for result in results:
            print(f"  -> {result.target.id}: {results_md.verdict(result)} ({time.perf_counter() - begun:.0f} s)")
        # Written after every benchmark, so an interrupted run keeps what it measured.
        record.update(rows, machine, versions, started)
        results_store.save(record, RESULTS_JSON)
        RESULTS_MD.write_text(results_md.rewrite(RESULTS_MD.read_text(), record))
    return 0


if __name__ == "__main__":
    sys.exit(main())
