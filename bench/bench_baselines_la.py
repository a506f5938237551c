"""Targets (issue 4), on the 620,000-row LA table (synthetic stand-in) with the reference study's age-group target:
  A. rf, logreg, hgb and xgboost together train and evaluate in under 120 s (each through the real run path:
     load, preprocess, split, fit, evaluate on validation and test, store);
  B. on a 100,000-row sample, the ratio of the reference study's plain defaults (unscaled LogisticRegression(),
     GradientBoostingClassifier()) to ours (scaled logreg, hgb): fit time and test accuracy.
Run: python bench/bench_baselines_la.py
"""

import os
import sys
import time
from pathlib import Path

from _cli import REPO, machine, scratch_home

sys.path.insert(0, str(REPO))
os.environ["TRAINBOARD_HOME"] = scratch_home()  # runs of the bench stay out of data/

from core.datasets import LoadRequest  # noqa: E402
from core.preprocess import PreprocessSpec  # noqa: E402
from core.runs import RunStore, jobs  # noqa: E402
from core.training.config import RunConfig, create_run  # noqa: E402

TARGET_SECONDS = 120.0
LA = LoadRequest("la-collisions", source="synthetic", rows=620_000)
SPEC = PreprocessSpec.from_json((Path(__file__).parent / "la_age_group_spec.json").read_text())
store = RunStore()


def run(model: str, params: dict | None = None, spec: PreprocessSpec = SPEC, limit: int | None = None):
    config = RunConfig.build(LA, model, params, spec.to_json(), limit=limit)
    run_id = create_run(store, config)
    started = time.perf_counter()
    record = jobs.run_inline(run_id, store)
    wall = time.perf_counter() - started
    if record.status != "finished":
        sys.exit(f"bench: {model} {record.status}: {record.error}")
    return record, wall


def line(label: str, record, wall: float) -> str:
    t = record.timings
    return (
        f"  {label:<34} wall {wall:6.1f} s  fit {t['fit_seconds']:6.1f} s  predict {t['predict_seconds']:5.2f} s  "
        f"test acc {record.metrics['test']['accuracy']:.4f}  bal acc {record.metrics['test']['balanced_accuracy']:.4f}"
    )


print(f"machine: {machine()}")
print("A. 620,000 rows, target Victim Age group (Youth/Adults/Seniors), each model through the full run path:")
total = 0.0
for model in ("rf", "logreg", "hgb", "xgboost"):
    record, wall = run(model)
    total += wall
    print(line(model, record, wall), flush=True)
ok = total < TARGET_SECONDS
print(f"  together {total:.1f} s; target < {TARGET_SECONDS:.0f} s: {'met' if ok else 'MISSED'}")

print("B. 100,000-row sample: the reference study's plain defaults against ours:")
plain = PreprocessSpec.from_json(SPEC.to_json().replace('"scaling": "standard"', '"scaling": "none"'))
pairs = [
    (
        "LogisticRegression() unscaled",
        ("logreg", {"max_iter": 100}, plain),
        "our logreg (scaled)",
        ("logreg", None, SPEC),
    ),
    ("GradientBoostingClassifier()", ("gboost", None, plain), "our hgb", ("hgb", None, SPEC)),
]
for ref_label, (ref_model, ref_params, ref_spec), our_label, (our_model, our_params, our_spec) in pairs:
    ref, ref_wall = run(ref_model, ref_params, ref_spec, limit=100_000)
    ours, our_wall = run(our_model, our_params, our_spec, limit=100_000)
    print(line(ref_label, ref, ref_wall))
    print(line(our_label, ours, our_wall))
    speedup = ref.timings["fit_seconds"] / ours.timings["fit_seconds"]
    gain = ours.metrics["test"]["accuracy"] - ref.metrics["test"]["accuracy"]
    print(f"  -> fit time ratio (reference / ours) {speedup:.1f}x; test accuracy difference {gain:+.4f}", flush=True)
sys.exit(0 if ok else 1)
