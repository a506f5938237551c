"""The preprocessing spec: a plain, frozen, JSON-serialisable description of what to do to a dataset.
It imports neither scikit-learn nor streamlit, so pages can build and validate one cheaply."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, fields
from typing import Any

import pandas as pd

from core.errors import SpecError

# The allowed values of each choice field. core/preprocess/pipeline.py keys its registries by these names.
CHOICES: dict[str, tuple[str, ...]] = {
    "missing_rows": ("keep", "drop", "ffill", "bfill"),
    "numeric_impute": ("median", "mean", "constant", "none"),
    "categorical_impute": ("mode", "constant", "none"),
    "encoding": ("onehot", "ordinal", "label"),
    "scaling": ("standard", "minmax", "none"),
    "balancing": ("none", "smote", "oversample", "undersample"),
}
# Kinds a column may be declared as, over what the loader inferred (an integer code is a category, a text
# column holds dates).
COLUMN_KINDS = ("numeric", "categorical", "datetime")
# Fields that change rows, columns or the target; none of them apply to image datasets.
ROW_FIELDS = (
    "column_kinds",
    "drop_columns",
    "drop_duplicates",
    "missing_rows",
    "filters",
    "derived_target",
    "drop_classes",
    "merge_classes",
    "merge_rare_under",
)


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
    (or missing) have no class and their rows are dropped. The source column leaves the features and the
    old target is dropped (not kept as a feature)."""

    source: str
    bins: tuple[float, ...]
    labels: tuple[str, ...]
    name: str = ""

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


@dataclass(frozen=True)
class PreprocessSpec:
    """What to do to a dataset before a model sees it. Row steps (drop_columns .. derived_target) run before
    the split and fit nothing; imputation, encoding and scaling are fitted on the train rows only; balancing
    resamples the train rows only. Invalid values raise SpecError when the spec is made."""

    column_kinds: tuple[ColumnKind, ...] = ()
    drop_columns: tuple[str, ...] = ()
    drop_duplicates: bool = False
    missing_rows: str = "keep"  # row-level: keep | drop (rows with any missing feature) | ffill | bfill
    numeric_impute: str = "median"  # fitted on train: median | mean | constant (fill_value) | none (NaN stays)
    categorical_impute: str = "mode"  # fitted on train: mode | constant ("missing") | none (NaN stays)
    fill_value: float = 0.0
    filters: tuple[RangeFilter, ...] = ()
    derived_target: DerivedTarget | None = None
    drop_classes: tuple[str, ...] = ()  # rows of these target classes go
    merge_classes: tuple[ClassMerge, ...] = ()
    merge_rare_under: int = 0  # classes with fewer rows than this become one class, rare_label (0: off)
    rare_label: str = "other"
    encoding: str = "onehot"  # onehot | ordinal (sorted as text) | label (frequency rank, most common = 0)
    max_categories: int = 20  # one-hot only: the rest share one "infrequent" column
    scaling: str = "standard"  # numeric columns (images: all pixels): standard | minmax | none
    balancing: str = "none"  # train rows only: none | smote | oversample | undersample
    seed: int = 0

    def __post_init__(self) -> None:
        for name, allowed in CHOICES.items():
            value = getattr(self, name)
            if value not in allowed:
                raise _fail(name, f"must be one of {', '.join(allowed)}; got {value!r}")
        _set(self, "drop_columns", _texts(self.drop_columns, "drop_columns"))
        if not isinstance(self.drop_duplicates, bool):
            raise _fail("drop_duplicates", f"must be true or false, got {self.drop_duplicates!r}")
        _set(self, "fill_value", _number(self.fill_value, "fill_value"))
        if not isinstance(self.filters, list | tuple):
            raise _fail("filters", f"must be a list of range filters, got {self.filters!r}")
        _set(self, "filters", tuple(_from_mapping(RangeFilter, f, f"filters[{i}]") for i, f in enumerate(self.filters)))
        if self.derived_target is not None:
            _set(self, "derived_target", _from_mapping(DerivedTarget, self.derived_target, "derived_target"))
        for name, cls in (("column_kinds", ColumnKind), ("merge_classes", ClassMerge)):
            value = getattr(self, name)
            if not isinstance(value, list | tuple):
                raise _fail(name, f"must be a list of objects, got {value!r}")
            _set(self, name, tuple(_from_mapping(cls, v, f"{name}[{i}]") for i, v in enumerate(value)))
        columns = [kind.column for kind in self.column_kinds]
        if len(set(columns)) != len(columns):
            raise _fail("column_kinds", f"names a column twice: {columns}")
        _set(self, "drop_classes", _texts(self.drop_classes, "drop_classes"))
        _integer(self.merge_rare_under, "merge_rare_under", 0)
        if not isinstance(self.rare_label, str) or not self.rare_label:
            raise _fail("rare_label", f"must be the merged class's name, got {self.rare_label!r}")
        _integer(self.max_categories, "max_categories", 2)
        _integer(self.seed, "seed", 0)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> PreprocessSpec:
        """The spec `to_json` wrote. Unknown keys and bad values raise SpecError naming the field."""
        try:
            data = json.loads(text)
        except (TypeError, ValueError) as exc:
            raise SpecError(f"preprocess spec: not valid JSON ({exc})") from None
        if not isinstance(data, dict):
            raise SpecError(f"preprocess spec: expected a JSON object, got {type(data).__name__}")
        known = [f.name for f in fields(cls)]
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise _fail(unknown[0], f"is not a known field; known: {', '.join(known)}")
        return cls(**data)

    @property
    def has_row_steps(self) -> bool:
        """Whether any step that changes rows, columns or the target is set."""
        return any(getattr(self, name) != _FIELDS[name].default for name in ROW_FIELDS)

    def validate_for(self, dataset: Any) -> None:
        """Raise SpecError if this spec cannot apply to `dataset` (a core.datasets.dataset.Dataset):
        a named column that does not exist or is not numeric, a row step on an image dataset, no columns left."""
        if dataset.kind == "image":
            if self.has_row_steps:
                name = next(n for n in ROW_FIELDS if getattr(self, n) != _FIELDS[n].default)
                raise _fail(name, "does not apply to image datasets; only scaling and balancing do")
            return
        frame: pd.DataFrame = dataset.features
        if frame.shape[1] == 0:
            raise SpecError(f"{dataset.name} has no feature columns besides the target '{dataset.target_name}'")
        dropping = set(self.drop_columns)

        def check_column(column: str, field: str, numeric: bool) -> None:
            if column == dataset.target_name:
                raise _fail(field, f"names '{column}', the target of {dataset.name}; pick a feature column")
            if column not in frame.columns:
                raise _fail(field, f"names '{column}', which is not a column of {dataset.name}")
            if column in dropping:
                raise _fail(field, f"names '{column}', which drop_columns removes")
            if numeric and not pd.api.types.is_numeric_dtype(frame[column]):
                raise _fail(field, f"needs a numeric column; '{column}' holds {frame[column].dtype}")

        for column in self.drop_columns:
            if column == dataset.target_name and self.derived_target is not None:
                continue  # the old target goes anyway when a derived target replaces it
            if column == dataset.target_name:
                raise _fail("drop_columns", f"names '{column}', the target; choose a derived target to replace it")
            if column not in frame.columns:
                raise _fail("drop_columns", f"names '{column}', which is not a column of {dataset.name}")
        for declared in self.column_kinds:
            check_column(declared.column, "column_kinds", numeric=False)
        numeric_now = {c.column for c in self.column_kinds if c.kind == "numeric"}
        for rule in self.filters:
            check_column(rule.column, "filters", numeric=rule.column not in numeric_now)
        left = set(frame.columns) - dropping
        if self.derived_target is not None:
            source = self.derived_target.source
            check_column(source, "derived_target.source", numeric=source not in numeric_now)
            left.discard(self.derived_target.source)
            if self.derived_target.name in left:
                raise _fail("derived_target.name", f"'{self.derived_target.name}' is already a feature column")
        if not left:
            raise _fail("drop_columns", "leaves no feature columns")
        classes = self.derived_target.labels if self.derived_target is not None else tuple(dataset.classes)
        named = [*self.drop_classes, *(c for merge in self.merge_classes for c in merge.classes)]
        for name in named:
            if name not in classes:
                field = "drop_classes" if name in self.drop_classes else "merge_classes"
                shown = ", ".join(classes[:12]) + (" ..." if len(classes) > 12 else "")
                raise _fail(field, f"names class '{name}', which the target does not have ({shown})")
        if set(self.drop_classes) >= set(classes):
            raise _fail("drop_classes", "drops every class")


_FIELDS = {f.name: f for f in fields(PreprocessSpec)}


def suggested_drops(alerts: Any) -> tuple[str, ...]:
    """Columns worth dropping by default: those of alerts with severity "leakage" or kind "identifier"
    (alerts as core/eda makes them: objects with .kind, .columns, .severity). In first-seen order."""
    found: dict[str, None] = {}
    for alert in alerts:
        if getattr(alert, "severity", None) == "leakage" or getattr(alert, "kind", None) == "identifier":
            found.update(dict.fromkeys(alert.columns))
    return tuple(found)
