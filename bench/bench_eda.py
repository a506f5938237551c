"""Target: `profile` + `find_alerts` (with the split) on the 620,000-row LA synthetic table in under 5 s,
every figure exact on all rows.

Run: python bench/bench_eda.py [--json]
"""

import sys
import time

from _cli import REPO, machine
from record import Result, print_json_if_asked
from targets import TARGETS

sys.path.insert(0, str(REPO))

from core.datasets.dataset import make_split  # noqa: E402
from core.datasets.registry import LoadRequest, load_dataset  # noqa: E402
from core.eda import dataset_frame, find_alerts, profile  # noqa: E402

TARGET = TARGETS["eda-620k"]
TARGET_SECONDS = TARGET.limit
ROWS = 620_000

dataset = load_dataset(LoadRequest("la-collisions", source="synthetic", rows=ROWS))
split = make_split(dataset)
frame = dataset_frame(dataset)
kinds = {**dataset.feature_types, dataset.target_name: "categorical"}  # as the Explore page and the report pass them

started = time.perf_counter()
profiles = profile(frame, kinds)
profiled = time.perf_counter()
alerts = find_alerts(frame, target=dataset.target_name, kinds=kinds, split=split)
finished = time.perf_counter()
profile_seconds, alerts_seconds, total = profiled - started, finished - profiled, finished - started

print(f"machine: {machine()}")
print(
    f"rows {len(frame):,} x {frame.shape[1]} columns (train {len(split.train):,} / test {len(split.test):,}), "
    f"target {dataset.target_name}, synthetic={dataset.provenance.synthetic}"
)
print(f"profile {profile_seconds:.2f} s ({len(profiles)} columns)")
print(f"alerts {alerts_seconds:.2f} s ({len(alerts)} alerts):")
for alert in alerts:
    print(f"  {alert.severity:8} {alert.kind:27} {alert.message}")
detail = f"profile {profile_seconds:.2f} s, alerts {alerts_seconds:.2f} s ({len(alerts)} alerts), {len(frame):,} rows"
result = Result(TARGET, total, detail)
ok = result.met
print(f"total {total:.2f} s; target profile + alerts < {TARGET_SECONDS:.0f} s: {'met' if ok else 'MISSED'}")
print_json_if_asked("eda", [result])
sys.exit(0 if ok else 1)
