"""Row steps: what changes which rows exist, which columns there are, or what the target is. They run
before the split and fit nothing, so the same spec on the same data always gives the same rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd

from core.datasets.dataset import Dataset, content_sha256, tabular_dataset
from core.preprocess.spec import PreprocessSpec, SpecError

# `missing_rows` choices: (frame, feature columns) -> (frame, what was done). "keep" does nothing.
MissingRows = Callable[[pd.DataFrame, list[str]], tuple[pd.DataFrame, str]]


def _drop_missing(frame: pd.DataFrame, columns: list[str]) -> tuple[pd.DataFrame, str]:
    kept = frame.loc[frame[columns].notna().all(axis=1)]
    return kept, f"dropped {len(frame) - len(kept):,} rows with a missing value"


def _fill(direction: str) -> MissingRows:
    def fill(frame: pd.DataFrame, columns: list[str]) -> tuple[pd.DataFrame, str]:
        filled = frame.copy()
        # Only the features: filling a missing label would invent a class for that row.
        filled[columns] = getattr(frame[columns], direction)()
        before, after = int(frame[columns].isna().sum().sum()), int(filled[columns].isna().sum().sum())
        left = f"; {after:,} left at the {'start' if direction == 'ffill' else 'end'}" if after else ""
        return filled, f"filled {before - after:,} missing values ({direction}){left}"

    return fill


MISSING_ROWS: dict[str, MissingRows | None] = {
    "keep": None,
    "drop": _drop_missing,
    "ffill": _fill("ffill"),
    "bfill": _fill("bfill"),
}


def apply_row_steps(dataset: Dataset, spec: PreprocessSpec) -> Dataset:
    """The dataset after the row steps, in this order: drop columns, range filters, derived target,
    drop duplicate rows (features and target alike), missing rows (drop / ffill / bfill), and date
    columns expanded to numeric '<col> year', '<col> month', '<col> weekday' (Monday = 0).

    A derived target replaces the old target, which is dropped (not kept as a feature), and its source
    column leaves the features. The result is a new tabular Dataset with its content hash recomputed and
    a provenance note "preprocessed: ..."; class order is kept (derived classes in bin order). Image
    datasets, and tabular ones with nothing to do, come back unchanged."""
    return row_steps(dataset, spec)[0]


def row_steps(dataset: Dataset, spec: PreprocessSpec) -> tuple[Dataset, tuple[str, ...]]:
    """`apply_row_steps`, plus one line per step saying what it did (for previews)."""
    spec.validate_for(dataset)
    if dataset.kind == "image":
        return dataset, ()
    dates = [c for c in dataset.features.columns if pd.api.types.is_datetime64_any_dtype(dataset.features[c])]
    if not spec.has_row_steps and not dates:
        return dataset, ()

    notes: list[str] = []
    frame = dataset.features.drop(columns=[c for c in spec.drop_columns if c in dataset.features.columns])
    if spec.drop_columns:
        notes.append(f"dropped columns: {', '.join(spec.drop_columns)}")
    # The target travels as class codes, so that re-encoding keeps the class order; names are put back below.
    target, class_names = dataset.target_name, dataset.classes
    frame[target] = dataset.target

    for rule in spec.filters:
        values = frame[rule.column]
        keep = values.notna()
        if rule.minimum is not None:
            keep &= values >= rule.minimum
        if rule.maximum is not None:
            keep &= values <= rule.maximum
        before, frame = len(frame), frame.loc[keep.to_numpy(dtype=bool, na_value=False)]
        notes.append(f"filter {rule.describe()} kept {len(frame):,} of {before:,} rows")
    if frame.empty:
        raise SpecError("preprocess spec: 'filters' keep no rows")

    derived = spec.derived_target
    if derived is not None:
        source = frame[derived.source].to_numpy(dtype=np.float64, na_value=np.nan)
        codes = pd.cut(source, bins=list(derived.bins), labels=False, include_lowest=True, right=True)
        frame = frame.drop(columns=[target, derived.source])
        target, class_names = derived.name, derived.labels
        frame[target] = codes
        edges = ", ".join(f"{b:g}" for b in derived.bins)
        notes.append(
            f"target '{target}' cut from '{derived.source}' at edges {edges} into {', '.join(derived.labels)}; "
            f"'{dataset.target_name}' and '{derived.source}' are no longer features"
        )

    if spec.drop_duplicates:
        before, frame = len(frame), frame.drop_duplicates()
        notes.append(f"dropped {before - len(frame):,} duplicate rows")

    handle_missing = MISSING_ROWS[spec.missing_rows]
    if handle_missing is not None:
        frame, note = handle_missing(frame, [c for c in frame.columns if c != target])
        notes.append(note)
    if frame.empty:
        raise SpecError(f"preprocess spec: 'missing_rows' {spec.missing_rows!r} leaves no rows")

    dates = [c for c in dates if c in frame.columns]
    if dates:
        frame = _expand_dates(frame, dates)
        notes.append(f"dates expanded to year, month, weekday: {', '.join(dates)}")

    return _rebuild(dataset, frame.reset_index(drop=True), target, class_names, notes)


def _expand_dates(frame: pd.DataFrame, dates: list[str]) -> pd.DataFrame:
    """Each date column replaced, in place, by its year, month and weekday as nullable integers."""
    parts: dict[str, pd.Series] = {}
    for column in frame.columns:
        if column in dates:
            when = frame[column].dt
            parts[f"{column} year"] = when.year.astype("Int64")
            parts[f"{column} month"] = when.month.astype("Int64")
            parts[f"{column} weekday"] = when.day_of_week.astype("Int64")
        else:
            parts[column] = frame[column]
    return pd.DataFrame(parts, index=frame.index)


def _rebuild(
    original: Dataset, frame: pd.DataFrame, target: str, class_names: tuple[str, ...], notes: list[str]
) -> tuple[Dataset, tuple[str, ...]]:
    source = original.provenance
    provenance = {"source": source.source, "location": source.location, "synthetic": source.synthetic}
    kinds = {k: v for k, v in original.feature_types.items() if v != "datetime"}
    note = "preprocessed: " + "; ".join(notes)
    coded = tabular_dataset(original.name, frame, target, provenance, (*source.notes, note), kinds)
    # tabular_dataset named the classes by their codes ("0", "2", ...); give them their names back.
    classes = tuple(class_names[int(code)] for code in coded.classes)
    sha256 = content_sha256(coded.features, coded.target, classes)
    dataset = replace(coded, classes=classes, provenance=replace(coded.provenance, sha256=sha256))
    added = dataset.provenance.notes[len(source.notes) + 1 :]  # e.g. rows dropped for having no target
    return dataset, (*notes, *added)
