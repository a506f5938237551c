"""The preprocessing spec: a plain, frozen, JSON-serialisable description of what to do to a dataset.
It imports neither scikit-learn nor streamlit, so pages can build and validate one cheaply."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

import pandas as pd

from core.errors import SpecError
from core.preprocess.fields import (
    COLUMN_KINDS,
    OLD_TARGET,
    ClassMerge,
    ColumnKind,
    DerivedTarget,
    RangeFilter,
    _fail,
    _from_mapping,
    _integer,
    _number,
    _set,
    _texts,
)

__all__ = [
    "CHOICES",
    "COLUMN_KINDS",
    "OLD_TARGET",
    "ROW_FIELDS",
    "ROW_STEPS",
    "ClassMerge",
    "ColumnKind",
    "DerivedTarget",
    "PreprocessSpec",
    "RangeFilter",
    "SpecError",
    "move_row_step",
    "suggested_drops",
]

# The allowed values of each choice field. core/preprocess/pipeline.py keys its registries by these names.
CHOICES: dict[str, tuple[str, ...]] = {
    "missing_rows": ("keep", "drop", "ffill", "bfill"),
    "numeric_impute": ("median", "mean", "constant", "none"),
    "categorical_impute": ("mode", "constant", "none"),
    "encoding": ("auto", "onehot", "ordinal", "label"),
    "scaling": ("standard", "minmax", "none"),
    "balancing": ("none", "smote", "oversample", "undersample"),
}
# The row steps `row_order` arranges, in the order they ran before it existed (and run in when a spec does not
# say): core/preprocess/rows.py keys its registry by these names. "classes" is drop_classes, merge_classes and
# merge_rare_under together. Declared column kinds are read first and dates expanded last, whatever the order:
# they are how a column is read and how it reaches the encoder, not steps on the rows.
ROW_STEPS = ("drop_columns", "filters", "derived_target", "classes", "drop_duplicates", "missing_rows")
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


def _row_order(value: Any) -> tuple[str, ...]:
    """`row_order` checked: every row step named once, in any order."""
    listed = ", ".join(ROW_STEPS)
    if isinstance(value, str) or not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise _fail("row_order", f"must be a list of the row steps ({listed}), got {value!r}")
    for name in value:
        if name not in ROW_STEPS:
            raise _fail("row_order", f"names '{name}', which is not a row step; the row steps: {listed}")
        if value.count(name) > 1:
            raise _fail("row_order", f"names '{name}' twice; each row step runs once")
    missing = [name for name in ROW_STEPS if name not in value]
    if missing:
        raise _fail("row_order", f"lacks '{missing[0]}'; it lists every row step once: {listed}")
    return tuple(value)


@dataclass(frozen=True)
class PreprocessSpec:
    """What to do to a dataset before a model sees it. Row steps (ROW_STEPS) run before the split, in the order
    `row_order` lists them, and fit nothing; imputation, encoding and scaling are fitted on the train rows only;
    balancing resamples the train rows only. Invalid values raise SpecError when the spec is made."""

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
    # auto (each model its own, ModelSpec.auto_encoding: ordinal codes for the tree models, one-hot for the rest) |
    # onehot | ordinal (codes sorted as text) | label (frequency rank, most common = 0)
    encoding: str = "auto"
    max_categories: int = 20  # one-hot and ordinal: the rarer categories share one "infrequent" column or code
    scaling: str = "standard"  # numeric columns (images: all pixels): standard | minmax | none
    balancing: str = "none"  # train rows only: none | smote | oversample | undersample
    seed: int = 0
    row_order: tuple[str, ...] = ROW_STEPS  # the order the row steps run in; absent from old specs: ROW_STEPS

    def __post_init__(self) -> None:
        _set(self, "row_order", _row_order(self.row_order))
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

    def for_model(self, auto_encoding: str) -> PreprocessSpec:
        """This spec as one model trains on it: encoding "auto" becomes `auto_encoding`, the model's own choice
        (core.models' ModelSpec.auto_encoding); any other encoding stays as the user chose it."""
        if self.encoding != "auto":
            return self
        if auto_encoding not in CHOICES["encoding"] or auto_encoding == "auto":
            raise _fail("encoding", f"auto cannot become {auto_encoding!r}")
        return replace(self, encoding=auto_encoding)

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
                continue  # a derived target replaces it: dropped rather than kept as a feature
            if column == dataset.target_name:
                raise _fail("drop_columns", f"names '{column}', the target; choose a derived target to replace it")
            if column not in frame.columns:
                raise _fail("drop_columns", f"names '{column}', which is not a column of {dataset.name}")
        for declared in self.column_kinds:
            check_column(declared.column, "column_kinds", numeric=False)
        numeric_now = {c.column for c in self.column_kinds if c.kind == "numeric"}
        derived = self.derived_target
        before_derived = self.row_order[: self.row_order.index("derived_target")]
        for rule in self.filters:
            check_column(rule.column, "filters", numeric=rule.column not in numeric_now)
            if derived is not None and rule.column == derived.source and "filters" not in before_derived:
                raise _fail("filters", f"names '{rule.column}', which the derived target before it takes away")
        left = set(frame.columns) - dropping
        if derived is not None:
            check_column(derived.source, "derived_target.source", numeric=derived.source not in numeric_now)
            left.discard(derived.source)
            if derived.old_target == "feature" and dataset.target_name not in dropping:
                left.add(dataset.target_name)
            if derived.name in left:
                raise _fail("derived_target.name", f"'{derived.name}' is already a feature column")
        if not left:
            raise _fail("drop_columns", "leaves no feature columns")
        # Class changes listed before the derived target act on the loaded target's classes.
        after_derived = derived is not None and "classes" not in before_derived
        classes = derived.labels if after_derived else tuple(dataset.classes)
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


def move_row_step(order: tuple[str, ...], name: str, offset: int) -> tuple[str, ...]:
    """`order` with row step `name` moved `offset` places (-1: one earlier), stopping at either end."""
    steps = list(_row_order(order))
    if name not in steps:
        raise _fail("row_order", f"names no step '{name}'")
    at = steps.index(name)
    steps.insert(min(max(at + offset, 0), len(steps) - 1), steps.pop(at))
    return tuple(steps)
