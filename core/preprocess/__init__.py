"""Preprocessing: a PreprocessSpec (plain, JSON) applied as row steps before the split and as a fitted
imblearn Pipeline after it. spec.py holds the spec, rows.py the row steps, pipeline.py the fitted part.

pipeline.py imports scikit-learn and imbalanced-learn (seconds); its names are loaded on first use, so
pages that only build or validate a spec stay quick to import."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from core.preprocess.rows import apply_row_steps
from core.preprocess.spec import (
    CHOICES,
    ROW_STEPS,
    ClassMerge,
    ColumnKind,
    DerivedTarget,
    PreprocessSpec,
    RangeFilter,
    SpecError,
    move_row_step,
    suggested_drops,
)

if TYPE_CHECKING:
    from core.preprocess.pipeline import PreviewSummary, build_pipeline, preview, transform_split

_LAZY = ("PreviewSummary", "build_pipeline", "preview", "transform_split")

__all__ = [
    "CHOICES",
    "ROW_STEPS",
    "ClassMerge",
    "ColumnKind",
    "DerivedTarget",
    "PreprocessSpec",
    "PreviewSummary",
    "RangeFilter",
    "SpecError",
    "apply_row_steps",
    "build_pipeline",
    "move_row_step",
    "preview",
    "suggested_drops",
    "transform_split",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module("core.preprocess.pipeline"), name)
    raise AttributeError(f"module 'core.preprocess' has no attribute {name!r}")
