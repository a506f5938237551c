"""Target: `python -m core data info la-collisions --source synthetic --rows 620000` in under 15 s.

Run: python bench/bench_la_synthetic.py
"""

import sys

from _cli import machine, run_cli_timed

TARGET_SECONDS = 15.0

info, wall = run_cli_timed("data", "info", "la-collisions", "--source", "synthetic", "--rows", "620000")
print(f"machine: {machine()}")
print(
    f"rows {info['rows']:,} (train {info['rows_train']:,} / val {info['rows_val']:,} / test {info['rows_test']:,}), "
    f"synthetic={info['synthetic']}, target {info['target']}"
)
print(f"load_seconds (generate + hash) {info['load_seconds']:.2f}; whole command wall {wall:.2f} s")
ok = wall < TARGET_SECONDS
print(f"target whole command < {TARGET_SECONDS:.0f} s: {'met' if ok else 'MISSED'}")
sys.exit(0 if ok else 1)
