"""The parts a preprocessing spec is made of (a range filter, a derived target, a declared column kind, a class
merge) and the checks every field goes through: each error is one line naming the field."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any

from core.errors import SpecError

# Kinds a column may be declared as, over what the loader inferred (an integer code is a category, a text
# column holds dates).
COLUMN_KINDS = ("numeric", "categorical", "datetime")
# What a derived target does with the target the dataset was loaded with (see DerivedTarget.old_target).
OLD_TARGET = ("feature", "drop")


def _fail(field: str, problem: str) -> SpecError:
    return SpecError(f"preprocess spec: '{field}' {problem}")


def _number(value: Any, field: str, optional: bool = False) -> float | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise _fail(field, f"must be a number{' or null' if optional else ''}, got {value!r}")
    return float(value)


def _integer(value: Any, field: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise _fail(field, f"must be a whole number >= {minimum}, got {value!r}")
    return value


def _texts(value: Any, field: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise _fail(field, f"must be a list of column names, got {value!r}")
    return tuple(value)


def _from_mapping(cls: type, value: Any, field: str) -> Any:
    """A nested dataclass from a JSON object (or the instance itself), with unknown keys reported by name."""
    if isinstance(value, cls):
        return value
    if not isinstance(value, dict):
        raise _fail(field, f"must be an object with keys {', '.join(f.name for f in fields(cls))}, got {value!r}")
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(value) - known)
    if unknown:
        raise _fail(f"{field}.{unknown[0]}", f"is not a known key; known: {', '.join(sorted(known))}")
    try:
        return cls(**value)
    except TypeError as exc:  # a required key is missing
        raise _fail(field, f"is incomplete ({exc})") from None


def _set(obj: Any, name: str, value: Any) -> None:
    object.__setattr__(obj, name, value)  # normalising a frozen dataclass's own field in __post_init__


@dataclass(frozen=True)
class RangeFilter:
    """Keep the rows with minimum <= value <= maximum (either bound may be None: open on that side).
    Rows where the column is missing are dropped by a filter."""

    column: str
    minimum: float | None = None
    maximum: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.column, str) or not self.column:
            raise _fail("filters.column", f"must be a column name, got {self.column!r}")
        _set(self, "minimum", _number(self.minimum, "filters.minimum", optional=True))
        _set(self, "maximum", _number(self.maximum, "filters.maximum", optional=True))
        if self.minimum is None and self.maximum is None:
            raise _fail("filters", f"on '{self.column}' needs a minimum, a maximum or both")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise _fail("filters", f"on '{self.column}': minimum {self.minimum:g} is above maximum {self.maximum:g}")

    def describe(self) -> str:
        low = "" if self.minimum is None else f"{self.minimum:g} <= "
        high = "" if self.maximum is None else f" <= {self.maximum:g}"
        return f"{low}{self.column}{high}"


@dataclass(frozen=True)
class DerivedTarget:
    """A new class target cut from a numeric column. `bins` are the edges; the intervals are right-closed,
    (a, b], with the lowest edge included, exactly as pd.cut(include_lowest=True). Values outside the edges
    (or missing) have no class and their rows are dropped. The source column leaves the features (a target
    made from it would leak it).

    `old_target` says what becomes of the target the dataset was loaded with: "feature" keeps it as a
    categorical feature column, rows where it is missing included (imputed like any feature); "drop" drops it,
    and the rows it was missing in stay dropped. "drop" is the default because it is what a spec written before
    this field existed meant (the builder writes "feature")."""

    source: str
    bins: tuple[float, ...]
    labels: tuple[str, ...]
    name: str = ""
    old_target: str = "drop"

    def __post_init__(self) -> None:
        if not isinstance(self.source, str) or not self.source:
            raise _fail("derived_target.source", f"must be a column name, got {self.source!r}")
        if not isinstance(self.bins, list | tuple):
            raise _fail("derived_target.bins", f"must be a list of edges, got {self.bins!r}")
        bins = tuple(_number(b, "derived_target.bins") for b in self.bins)
        if len(bins) < 3 or any(a >= b for a, b in zip(bins, bins[1:], strict=False)):
            raise _fail("derived_target.bins", f"must be at least 3 increasing edges (2 classes), got {list(bins)}")
        labels = _texts(self.labels, "derived_target.labels")
        if len(labels) != len(bins) - 1:
            raise _fail("derived_target.labels", f"needs len(bins) - 1 = {len(bins) - 1} labels, got {len(labels)}")
        if len(set(labels)) != len(labels) or not all(labels):
            raise _fail("derived_target.labels", f"must be distinct and non-empty, got {list(labels)}")
        if not isinstance(self.name, str):
            raise _fail("derived_target.name", f"must be text, got {self.name!r}")
        _set(self, "bins", bins)
        _set(self, "labels", labels)
        _set(self, "name", self.name or f"{self.source} group")
        if self.old_target not in OLD_TARGET:
            raise _fail("derived_target.old_target", f"must be one of {', '.join(OLD_TARGET)}; got {self.old_target!r}")


@dataclass(frozen=True)
class ColumnKind:
    """Treat `column` as `kind`: "categorical" (its values as labels, e.g. a 1-5 rating or an occupation code),
    "numeric" (text parsed as numbers; what does not parse is missing) or "datetime" (text parsed as dates, with
    a strptime `format` such as "%d/%m/%Y", or inferred when empty; what does not parse is missing)."""

    column: str
    kind: str
    format: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.column, str) or not self.column:
            raise _fail("column_kinds.column", f"must be a column name, got {self.column!r}")
        if self.kind not in COLUMN_KINDS:
            raise _fail("column_kinds.kind", f"must be one of {', '.join(COLUMN_KINDS)}; got {self.kind!r}")
        if not isinstance(self.format, str) or (self.format and self.kind != "datetime"):
            raise _fail("column_kinds.format", f"is a date format, for kind datetime only; got {self.format!r}")


@dataclass(frozen=True)
class ClassMerge:
    """The target classes `classes` become one class named `into` (which may be one of them, or a new name)."""

    classes: tuple[str, ...]
    into: str

    def __post_init__(self) -> None:
        classes = _texts(self.classes, "merge_classes.classes")
        if len(classes) < 2:
            raise _fail("merge_classes.classes", f"needs at least two classes to merge, got {list(classes)}")
        if not isinstance(self.into, str) or not self.into:
            raise _fail("merge_classes.into", f"must be the merged class's name, got {self.into!r}")
        _set(self, "classes", classes)
