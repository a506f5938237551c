"""Row steps: what changes which rows exist, which columns there are, or what the target is. They run
before the split and fit nothing, so the same spec on the same data always gives the same rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd

from core.datasets.dataset import Dataset, content_sha256, looks_continuous, tabular_dataset
from core.errors import DataError
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
    dates += [c.column for c in spec.column_kinds if c.kind == "datetime" and c.column not in dates]
    if not spec.has_row_steps and not dates:
        return dataset, ()

    notes: list[str] = []
    frame, kinds = _declare_kinds(dataset.features, dict(dataset.feature_types), spec, notes)
    frame = frame.drop(columns=[c for c in spec.drop_columns if c in frame.columns])
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

    if spec.drop_classes or spec.merge_classes or spec.merge_rare_under:
        frame, class_names = _class_operations(frame, target, class_names, spec, notes)

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
        notes.append(f"dates expanded to year, month, weekday (and hour where they hold times): {', '.join(dates)}")

    return _rebuild(dataset, frame.reset_index(drop=True), target, class_names, notes, kinds)


# How a declared kind turns a column's values into that kind (what does not convert becomes missing).
def _as_categorical(values: pd.Series, _: str) -> pd.Series:
    return values.astype("string").astype(object).where(values.notna(), None)


def _as_numeric(values: pd.Series, _: str) -> pd.Series:
    if values.dtype == object or pd.api.types.is_string_dtype(values):
        values = values.astype("string").str.replace(",", ".", regex=False).str.strip()
    return pd.to_numeric(values, errors="coerce")


def _as_datetime(values: pd.Series, date_format: str) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    return pd.to_datetime(values.astype("string"), format=date_format or None, errors="coerce")


CONVERTERS: dict[str, Callable[[pd.Series, str], pd.Series]] = {
    "categorical": _as_categorical,
    "numeric": _as_numeric,
    "datetime": _as_datetime,
}


def _declare_kinds(
    frame: pd.DataFrame, kinds: dict[str, str], spec: PreprocessSpec, notes: list[str]
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Columns converted to the kinds the spec declares; a note per column on values that did not convert."""
    if not spec.column_kinds:
        return frame, kinds
    frame = frame.copy()
    for declared in spec.column_kinds:
        before = frame[declared.column]
        after = CONVERTERS[declared.kind](before, declared.format)
        lost = int((before.notna() & after.isna()).sum())
        frame[declared.column] = after
        kinds[declared.column] = declared.kind
        fmt = f" ({declared.format})" if declared.format else ""
        lost_note = f"; {lost:,} values did not read as {declared.kind} and are missing" if lost else ""
        notes.append(f"'{declared.column}' treated as {declared.kind}{fmt}{lost_note}")
    return frame, kinds


def _class_operations(
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


def _expand_dates(frame: pd.DataFrame, dates: list[str]) -> pd.DataFrame:
    """Each date column replaced, in place, by its year, month and weekday as nullable integers."""
    parts: dict[str, pd.Series] = {}
    for column in frame.columns:
        if column in dates:
            when = frame[column].dt
            parts[f"{column} year"] = when.year.astype("Int64")
            parts[f"{column} month"] = when.month.astype("Int64")
            parts[f"{column} weekday"] = when.day_of_week.astype("Int64")
            if (when.hour.fillna(0) != 0).any():  # a date with times: its hour of the day too
                parts[f"{column} hour"] = when.hour.astype("Int64")
        else:
            parts[column] = frame[column]
    return pd.DataFrame(parts, index=frame.index)


def _rebuild(
    original: Dataset,
    frame: pd.DataFrame,
    target: str,
    class_names: tuple[str, ...],
    notes: list[str],
    kinds: dict[str, str],
) -> tuple[Dataset, tuple[str, ...]]:
    source = original.provenance
    provenance = {"source": source.source, "location": source.location, "synthetic": source.synthetic}
    kinds = {k: v for k, v in kinds.items() if v != "datetime"}
    note = "preprocessed: " + "; ".join(notes)
    coded = tabular_dataset(original.name, frame, target, provenance, (*source.notes, note), kinds)
    # tabular_dataset named the classes by their codes ("0", "2", ...); give them their names back.
    classes = tuple(class_names[int(code)] for code in coded.classes)
    sha256 = content_sha256(coded.features, coded.target, classes)
    dataset = replace(coded, classes=classes, provenance=replace(coded.provenance, sha256=sha256))
    added = dataset.provenance.notes[len(source.notes) + 1 :]  # e.g. rows dropped for having no target
    return dataset, (*notes, *added)
