"""Target: `python -m core data info la-collisions --source synthetic --rows 620000` in under 15 s.

Run: python bench/bench_la_synthetic.py [--json]
"""

import sys

from _cli import machine, run_cli_timed
from record import Result, print_json_if_asked
from targets import TARGETS

TARGET = TARGETS["la-synthetic-info"]
TARGET_SECONDS = TARGET.limit

info, wall = run_cli_timed("data", "info", "la-collisions", "--source", "synthetic", "--rows", "620000")
print(f"machine: {machine()}")
print(
    f"rows {info['rows']:,} (train {info['rows_train']:,} / val {info['rows_val']:,} / test {info['rows_test']:,}), "
    f"synthetic={info['synthetic']}, target {info['target']}"
)
print(f"load_seconds (generate + hash) {info['load_seconds']:.2f}; whole command wall {wall:.2f} s")
result = Result(TARGET, wall, f"{info['rows']:,} rows; generate + hash {info['load_seconds']:.2f} s")
ok = result.met
print(f"target whole command < {TARGET_SECONDS:.0f} s: {'met' if ok else 'MISSED'}")
print_json_if_asked("la_synthetic", [result])
sys.exit(0 if ok else 1)
