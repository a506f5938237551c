"""Target: `python -m core data info fashion-mnist` converts once, then a second load takes < 0.5 s.

Run: python bench/bench_fashion_mnist_load.py   (needs Debian's dataset-fashion-mnist)
"""

import sys
import tempfile

from _cli import machine, run_cli_timed

TARGET_SECONDS = 0.5

with tempfile.TemporaryDirectory() as home:  # an empty cache, as on a fresh clone
    env = {"TRAINBOARD_HOME": home}
    first, first_wall = run_cli_timed("data", "info", "fashion-mnist", env_extra=env)
    second, second_wall = run_cli_timed("data", "info", "fashion-mnist", env_extra=env)

print(f"machine: {machine()}")
print(f"images: {first['official_train']:,} train / {first['official_test']:,} test, {len(first['classes'])} classes")
print(f"first load (read IDX + convert): load_seconds {first['load_seconds']:.3f}, command wall {first_wall:.2f} s")
print(f"second load (cache):             load_seconds {second['load_seconds']:.3f}, command wall {second_wall:.2f} s")
ok = second["load_seconds"] < TARGET_SECONDS
print(f"target second load < {TARGET_SECONDS} s: {'met' if ok else 'MISSED'}")
sys.exit(0 if ok else 1)
