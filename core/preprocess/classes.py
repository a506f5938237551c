"""The "classes" row step: drop classes, merge named classes, merge the rare ones. It works on the target as
class codes, so that it can run before or after a derived target (on whichever target is current then)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.datasets.dataset import looks_continuous
from core.errors import DataError
from core.preprocess.spec import PreprocessSpec


def class_operations(
    frame: pd.DataFrame, target: str, class_names: tuple[str, ...], spec: PreprocessSpec, notes: list[str]
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Drop classes, merge named classes, then merge every class under `merge_rare_under` rows into
    `rare_label` (whose rows are dropped too when even together they stay under it). The target comes back as
    codes of the new class list, in the old order with merged classes where their first member was."""
    codes = frame[target]
    names = pd.Series(None, index=frame.index, dtype=object)  # rows without a class (outside a derived bin) stay so
    names[codes.notna()] = np.asarray(class_names, dtype=object)[codes[codes.notna()].astype(int).to_numpy()]
    if spec.drop_classes:
        keep = ~names.isin(spec.drop_classes)
        notes.append(f"dropped classes {', '.join(spec.drop_classes)}: {int((~keep).sum()):,} rows")
        frame, names = frame.loc[keep], names.loc[keep]
    for merge in spec.merge_classes:
        names = names.where(~names.isin(merge.classes), merge.into)
        notes.append(f"classes {', '.join(merge.classes)} merged into '{merge.into}'")
    if spec.merge_rare_under:
        counts = names.value_counts()
        rare_count = int((counts < spec.merge_rare_under).sum())
        if looks_continuous(tuple(map(str, counts.index)), rare_count):
            raise DataError(
                f"target '{target}' looks continuous ({len(counts):,} distinct numbers): merging its rare values "
                "would merge nearly all of it; bin it into classes with a derived target ('derived_target')"
            )
        rare = [name for name in counts.index if counts[name] < spec.merge_rare_under and name != spec.rare_label]
        if rare:
            names = names.where(~names.isin(rare), spec.rare_label)
            together = int((names == spec.rare_label).sum())
            note = f"{len(rare)} classes under {spec.merge_rare_under} rows merged into '{spec.rare_label}'"
            if together < spec.merge_rare_under:
                keep = names != spec.rare_label
                frame, names = frame.loc[keep], names.loc[keep]
                note += f"; together still {together} rows, so they were dropped"
            notes.append(f"{note} ({', '.join(map(str, rare[:8]))}{' ...' if len(rare) > 8 else ''})")
    order = list(dict.fromkeys(_replace_in_order(class_names, spec) + [spec.rare_label]))
    present = [name for name in order if (names == name).any()]
    frame = frame.copy()
    frame[target] = names.map({name: code for code, name in enumerate(present)}).astype("float64")
    return frame, tuple(present)


def _replace_in_order(class_names: tuple[str, ...], spec: PreprocessSpec) -> list[str]:
    """The class list with each merged class's members replaced by the merged name at the first member."""
    out = list(class_names)
    for merge in spec.merge_classes:
        out = [merge.into if name in merge.classes else name for name in out]
    return list(dict.fromkeys(out))
