"""Before a run trains: does one feature alone predict its target, on the run's own split? Explore's leakage
check (core/eda/alerts/leakage.py) run on the rows the model will learn from and be tested on. What it finds
travels with the run (its metrics' "warnings"), so the run page, the leaderboard, Compare and the report can say
why a test accuracy of 1.000 is not a triumph."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from core.datasets import Dataset, Split

CHECKED_ROWS = 60_000  # a larger split is checked on a seeded sample of its train and test rows: the same verdict
LEAK_CHECKS = ("leak_single_feature",)


def leak_warnings(dataset: Dataset, split: Split, seed: int = 0) -> list[str]:
    """One sentence per leaking feature (empty when none, and for images, which have no single feature)."""
    if dataset.kind != "tabular":
        return []
    from core.eda import dataset_frame, dataset_kinds
    from core.eda.alerts.base import CHECKS, DEFAULT_THRESHOLDS, Context

    train, test = np.asarray(split.train), np.asarray(split.test if len(split.test) else split.val)
    total = len(train) + len(test)
    if total > CHECKED_ROWS:
        rng = np.random.default_rng(seed)
        train = np.sort(rng.choice(train, round(CHECKED_ROWS * len(train) / total), replace=False))
        test = np.sort(rng.choice(test, round(CHECKED_ROWS * len(test) / total), replace=False))
    rows = np.concatenate([train, test])
    frame = dataset_frame(dataset).iloc[rows].reset_index(drop=True)
    positions = SimpleNamespace(train=np.arange(len(train)), val=np.arange(0), test=np.arange(len(train), len(rows)))
    context = Context(frame, dataset.target_name, dataset_kinds(dataset), positions, DEFAULT_THRESHOLDS)
    return [
        f"{alert.message}: a leak, or the target in disguise; its test scores are not what a model would reach "
        "without it"
        for name in LEAK_CHECKS
        for alert in CHECKS[name](context)
    ]
