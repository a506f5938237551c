"""Issue 4: the test accuracy each classical model reaches on Fashion-MNIST with its defaults, through the
real run path (official 10,000-image test set; validation carved from the 60,000 training images).
Published figures for comparison: SVC 0.897, GradientBoosting 0.880, RandomForest 0.873, LogisticRegression 0.842.
svc runs on a 20,000-image sample (its size guard); gboost takes tables only (hgb is the boosted-trees entry).
Run: python bench/bench_baselines_fashion.py   (needs Debian's dataset-fashion-mnist; about 20 minutes)
"""

import os
import sys
import time

from _cli import REPO, machine, scratch_home

sys.path.insert(0, str(REPO))
os.environ["TRAINBOARD_HOME"] = scratch_home()

from core.datasets import LoadRequest  # noqa: E402
from core.runs import RunStore, jobs  # noqa: E402
from core.training.config import RunConfig, create_run  # noqa: E402

PUBLISHED = {"svc": 0.897, "rf": 0.873, "logreg": 0.842, "hgb": 0.880}  # hgb against published GradientBoosting
RUNS = [("rf", None), ("logreg", None), ("hgb", None), ("xgboost", None), ("knn", None), ("svc", 20_000)]
FASHION = LoadRequest("fashion-mnist")
store = RunStore()

print(f"machine: {machine()}")
for model, limit in RUNS:
    config = RunConfig.build(FASHION, model, limit=limit)
    run_id = create_run(store, config)
    started = time.perf_counter()
    record = jobs.run_inline(run_id, store)
    wall = time.perf_counter() - started
    if record.status != "finished":
        print(f"  {model:<8} {record.status}: {record.error}")
        continue
    test = record.metrics["test"]
    published = f"(published {PUBLISHED[model]:.3f})" if model in PUBLISHED else ""
    rows = f"{limit:,}-image sample" if limit else "all images"
    print(
        f"  {model:<8} test acc {test['accuracy']:.4f} {published:<18} macro F1 {test['f1_macro']:.4f}  "
        f"fit {record.timings['fit_seconds']:7.1f} s  wall {wall:7.1f} s  ({rows})",
        flush=True,
    )
