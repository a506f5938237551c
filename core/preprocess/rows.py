"""Row steps: what changes which rows exist, which columns there are, or what the target is. They run
before the split, in the order the spec's `row_order` lists them, and fit nothing, so the same spec on the same
data always gives the same rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from core.datasets.dataset import Dataset, content_sha256, tabular_dataset
from core.preprocess.classes import class_operations
from core.preprocess.spec import PreprocessSpec, SpecError

# `missing_rows` choices: (frame, feature columns) -> (frame, what was done). "keep" does nothing.
MissingRows = Callable[[pd.DataFrame, list[str]], tuple[pd.DataFrame, str]]


def _drop_missing(frame: pd.DataFrame, columns: list[str]) -> tuple[pd.DataFrame, str]:
    kept = frame.loc[frame[columns].notna().all(axis=1)]
    return kept, f"dropped {len(frame) - len(kept):,} rows with a missing value"


def _fill(direction: str) -> MissingRows:
    # A fill copies a value from the neighbouring row in the file's order (the record before or after it) and
    # learns nothing from the data, so it may run before the split: a row's filled value is the same whichever
    # part the row or its neighbour lands in, and no label crosses rows (the target is never filled).
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


@dataclass
class Rows:
    """The table as the row steps pass it on: features and the target column (class codes; NaN: no class)."""

    frame: pd.DataFrame
    target: str
    class_names: tuple[str, ...]
    kinds: dict[str, str]
    notes: list[str]


def _drop_columns(rows: Rows, spec: PreprocessSpec) -> None:
    # The target is not dropped here: a derived target drops (or keeps) the loaded one, wherever it is listed.
    rows.frame = rows.frame.drop(columns=[c for c in spec.drop_columns if c in rows.frame and c != rows.target])
    if spec.drop_columns:
        rows.notes.append(f"dropped columns: {', '.join(spec.drop_columns)}")


def _filters(rows: Rows, spec: PreprocessSpec) -> None:
    for rule in spec.filters:
        values = rows.frame[rule.column]
        keep = values.notna()
        if rule.minimum is not None:
            keep &= values >= rule.minimum
        if rule.maximum is not None:
            keep &= values <= rule.maximum
        before, rows.frame = len(rows.frame), rows.frame.loc[keep.to_numpy(dtype=bool, na_value=False)]
        rows.notes.append(f"filter {rule.describe()} kept {len(rows.frame):,} of {before:,} rows")
    if rows.frame.empty:
        raise SpecError("preprocess spec: 'filters' keep no rows")


def _derived_target(rows: Rows, spec: PreprocessSpec) -> None:
    derived = spec.derived_target
    if derived is None:
        return
    frame, old = rows.frame, rows.target
    source = frame[derived.source].to_numpy(dtype=np.float64, na_value=np.nan)
    codes = pd.cut(source, bins=list(derived.bins), labels=False, include_lowest=True, right=True)
    keep_old = derived.old_target == "feature" and old not in spec.drop_columns
    frame = frame.drop(columns=[derived.source] if keep_old else [old, derived.source])
    if keep_old:  # the loaded target as a category like any other: its class names, missing where it had none
        present = frame[old].notna()
        names = pd.Series(None, index=frame.index, dtype=object)
        names[present] = np.asarray(rows.class_names, dtype=object)[frame.loc[present, old].astype(int).to_numpy()]
        frame[old] = names
        rows.kinds[old] = "categorical"
    rows.target, rows.class_names = derived.name, derived.labels
    frame[rows.target] = codes
    rows.frame = frame
    edges = ", ".join(f"{b:g}" for b in derived.bins)
    kept = f"'{derived.source}' is no longer a feature; '{old}' is one now"
    gone = kept if keep_old else f"'{old}' and '{derived.source}' are no longer features"
    rows.notes.append(
        f"target '{rows.target}' cut from '{derived.source}' at edges {edges} into {', '.join(derived.labels)}; {gone}"
    )


def _classes(rows: Rows, spec: PreprocessSpec) -> None:
    if spec.drop_classes or spec.merge_classes or spec.merge_rare_under:
        rows.frame, rows.class_names = class_operations(rows.frame, rows.target, rows.class_names, spec, rows.notes)


def _drop_duplicates(rows: Rows, spec: PreprocessSpec) -> None:
    if spec.drop_duplicates:
        before, rows.frame = len(rows.frame), rows.frame.drop_duplicates()
        rows.notes.append(f"dropped {before - len(rows.frame):,} duplicate rows")


def _missing_rows(rows: Rows, spec: PreprocessSpec) -> None:
    handle_missing = MISSING_ROWS[spec.missing_rows]
    if handle_missing is not None:
        rows.frame, note = handle_missing(rows.frame, [c for c in rows.frame.columns if c != rows.target])
        rows.notes.append(note)
    if rows.frame.empty:
        raise SpecError(f"preprocess spec: 'missing_rows' {spec.missing_rows!r} leaves no rows")


# The row steps by the names `row_order` lists (core.preprocess.spec.ROW_STEPS); each does nothing when unset.
ROW_STEPS: dict[str, Callable[[Rows, PreprocessSpec], None]] = {
    "drop_columns": _drop_columns,
    "filters": _filters,
    "derived_target": _derived_target,
    "classes": _classes,
    "drop_duplicates": _drop_duplicates,
    "missing_rows": _missing_rows,
}


def apply_row_steps(dataset: Dataset, spec: PreprocessSpec) -> Dataset:
    """The dataset after the row steps: declared column kinds first, then the steps in `spec.row_order` (by
    default: drop columns, range filters, derived target, class changes, drop duplicate rows (features and
    target alike), missing rows (drop / ffill / bfill)), and last date columns expanded to numeric
    '<col> year', '<col> month', '<col> weekday' (Monday = 0).

    A derived target replaces the old target, which becomes a feature or is dropped (its `old_target`), and its
    source column leaves the features. The result is a new tabular Dataset with its content hash recomputed and
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
    features, codes = _with_unlabelled_rows(dataset, spec)
    frame, kinds = _declare_kinds(features, dict(dataset.feature_types), spec, notes)
    # The target travels as class codes, so that re-encoding keeps the class order; names are put back below.
    frame = frame.copy() if frame is dataset.features else frame
    frame[dataset.target_name] = codes
    rows = Rows(frame, dataset.target_name, dataset.classes, kinds, notes)
    for name in spec.row_order:
        ROW_STEPS[name](rows, spec)

    frame, target = rows.frame, rows.target
    dates = [c for c in dates if c in frame.columns]
    if dates:
        frame = _expand_dates(frame, dates)
        notes.append(f"dates expanded to year, month, weekday (and hour where they hold times): {', '.join(dates)}")

    return _rebuild(dataset, frame.reset_index(drop=True), target, rows.class_names, notes, rows.kinds)


def _with_unlabelled_rows(dataset: Dataset, spec: PreprocessSpec) -> tuple[pd.DataFrame, np.ndarray]:
    """The features and target codes the row steps start from. When a derived target keeps the loaded target as
    a feature, the rows the loader dropped for having no target are put back where they were in the file (their
    code NaN), so that every step, a fill or a filter before the derived target included, sees them too."""
    unlabelled = dataset.unlabelled
    derived = spec.derived_target
    if derived is None or derived.old_target != "feature" or unlabelled is None or unlabelled.empty:
        return dataset.features, dataset.target
    total = dataset.rows + len(unlabelled)
    labelled = dataset.features.set_axis(np.setdiff1d(np.arange(total), unlabelled.index.to_numpy()))
    features = pd.concat([labelled, unlabelled]).sort_index(kind="stable")
    codes = pd.Series(dataset.target.astype(np.float64), index=labelled.index).reindex(features.index)
    return features, codes.to_numpy()


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
