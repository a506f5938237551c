"""Target: `python -m core data info fashion-mnist` converts once, then a second load takes < 0.5 s.

Run: python bench/bench_fashion_mnist_load.py [--json]   (needs Debian's dataset-fashion-mnist)
"""

import sys
import tempfile

from _cli import machine, run_cli_timed
from record import Result, print_json_if_asked
from targets import TARGETS

TARGET = TARGETS["fashion-second-load"]
TARGET_SECONDS = TARGET.limit

with tempfile.TemporaryDirectory() as home:  # an empty cache, as on a fresh clone
    env = {"TRAINBOARD_HOME": home}
    first, first_wall = run_cli_timed("data", "info", "fashion-mnist", env_extra=env)
    second, second_wall = run_cli_timed("data", "info", "fashion-mnist", env_extra=env)

print(f"machine: {machine()}")
print(f"images: {first['official_train']:,} train / {first['official_test']:,} test, {len(first['classes'])} classes")
print(f"first load (read IDX + convert): load_seconds {first['load_seconds']:.3f}, command wall {first_wall:.2f} s")
print(f"second load (cache):             load_seconds {second['load_seconds']:.3f}, command wall {second_wall:.2f} s")
result = Result(
    TARGET,
    second["load_seconds"],
    f"first load {first['load_seconds']:.2f} s; whole second command {second_wall:.1f} s (interpreter start-up)",
)
ok = result.met
print(f"target second load < {TARGET_SECONDS} s: {'met' if ok else 'MISSED'}")
print_json_if_asked("fashion_load", [result])
sys.exit(0 if ok else 1)
