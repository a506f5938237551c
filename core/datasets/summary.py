"""One plain dict describing a loaded dataset and its split: the CLI prints it, the page shows it."""

from __future__ import annotations

import numpy as np

from core.datasets.dataset import Dataset, Split


def dataset_summary(dataset: Dataset, split: Split, load_seconds: float) -> dict:
    summary = {
        "name": dataset.name,
        "kind": dataset.kind,
        "source": dataset.provenance.source,
        "location": dataset.provenance.location,
        "synthetic": dataset.provenance.synthetic,
        "rows": dataset.rows,
        "rows_train": len(split.train),
        "rows_val": len(split.val),
        "rows_test": len(split.test),
        "target": dataset.target_name,
        "classes": list(dataset.classes),
        "class_counts": dataset.class_counts(),
        "sha256": dataset.provenance.sha256,
        "split_hash": split.hash,
        "split_seed": split.seed,
        "load_seconds": round(load_seconds, 4),
        "notes": list(dataset.provenance.notes),
    }
    if dataset.kind == "image":
        summary["image_shape"] = list(dataset.image_shape)
        summary["n_features"] = dataset.n_features
    else:
        summary["n_features"] = dataset.n_features
        summary["feature_types"] = dataset.feature_types
    if dataset.test_rows is not None:
        # The published split (e.g. Fashion-MNIST's 60,000 / 10,000); validation is carved from its train part.
        summary["official_train"] = dataset.rows - len(dataset.test_rows)
        summary["official_test"] = len(dataset.test_rows)
    return summary


def samples_per_class(dataset: Dataset, per_class: int = 8, seed: int = 0) -> dict[str, np.ndarray]:
    """Up to `per_class` row indices for each class, drawn with a fixed seed (same picture each time)."""
    rng = np.random.default_rng(seed)
    picks = {}
    for code, name in enumerate(dataset.classes):
        rows = np.flatnonzero(dataset.target == code)
        picks[name] = np.sort(rng.choice(rows, size=min(per_class, len(rows)), replace=False))
    return picks


def split_class_counts(dataset: Dataset, split: Split) -> dict[str, dict[str, int]]:
    """Class counts per split part: {"train": {class: n}, "val": ..., "test": ...}."""
    return {
        part: dataset.class_counts(rows)
        for part, rows in (("train", split.train), ("val", split.val), ("test", split.test))
    }
