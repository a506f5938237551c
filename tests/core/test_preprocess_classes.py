"""Class operations and declared column kinds in the preprocessing spec: what they do to rows, classes and
columns, their JSON form, the errors that name the field, and the split's message that offers them."""

import numpy as np
import pandas as pd
import pytest

from core.datasets.dataset import RareClassesError, make_split, tabular_dataset
from core.errors import DataError
from core.preprocess import ClassMerge, ColumnKind, PreprocessSpec, SpecError, apply_row_steps, build_pipeline


def table(labels, **columns) -> "tabular_dataset":
    frame = pd.DataFrame({"x": np.arange(len(labels), dtype=float), **columns, "y": labels})
    return tabular_dataset("t", frame, "y", {"source": "file", "location": "t.csv"})


LABELS = ["a"] * 10 + ["b"] * 8 + ["c"] * 2 + ["d"] * 1 + ["e"] * 1


def test_the_split_names_every_class_too_small_at_once_and_says_how_to_fix_it():
    with pytest.raises(RareClassesError) as error:
        make_split(table(LABELS))
    message = str(error.value)
    assert "3 classes too small for a stratified split, which needs at least 3 rows per class" in message
    assert "'c' (2 rows), 'd' (1 row), 'e' (1 row)" in message and "'merge_rare_under': 3" in message
    assert error.value.rare == {"c": 2, "d": 1, "e": 1} and error.value.minimum == 3


def test_a_continuous_target_is_called_so_and_pointed_to_binning():
    values = np.random.default_rng(0).normal(0, 100, 200).round(3)
    with pytest.raises(DataError, match=r"looks continuous \(200 distinct numbers.*derived_target"):
        make_split(table(list(values)))


def test_merging_rare_classes_makes_the_table_splittable():
    merged = apply_row_steps(table(LABELS), PreprocessSpec(merge_rare_under=3))
    assert merged.classes == ("a", "b", "other")
    assert merged.class_counts() == {"a": 10, "b": 8, "other": 4}
    make_split(merged)
    assert any("3 classes under 3 rows merged into 'other'" in n for n in merged.provenance.notes)


def test_a_lone_rare_class_still_too_small_together_is_dropped():
    merged = apply_row_steps(table(["a"] * 10 + ["b"] * 9 + ["z"]), PreprocessSpec(merge_rare_under=3))
    assert merged.classes == ("a", "b") and len(merged.target) == 19
    assert any("together still 1 rows, so they were dropped" in n for n in merged.provenance.notes)


def test_drop_and_merge_named_classes_keep_the_class_order():
    spec = PreprocessSpec(drop_classes=("e",), merge_classes=(ClassMerge(("b", "d"), "b or d"),))
    done = apply_row_steps(table(LABELS), spec)
    assert done.classes == ("a", "b or d", "c")
    assert done.class_counts() == {"a": 10, "b or d": 9, "c": 2}
    names = np.asarray(done.classes)[done.target]
    original = np.asarray(LABELS)
    kept = original != "e"
    assert list(names) == [{"b": "b or d", "d": "b or d"}.get(v, v) for v in original[kept]]


def test_class_operations_after_a_derived_target_use_its_labels():
    ages = [5.0, 30, 40, 50, 70, 80, 20, 35, 45, 90, 33, 44]
    spec = PreprocessSpec(
        derived_target={"source": "age", "bins": [0, 25, 60, 120], "labels": ["Youth", "Adults", "Seniors"]},
        merge_classes=[{"classes": ["Youth", "Seniors"], "into": "Not adults"}],
    )
    done = apply_row_steps(table(["k"] * 12, age=ages), spec)
    assert done.classes == ("Not adults", "Adults")
    assert done.class_counts() == {"Not adults": 5, "Adults": 7}


def test_the_spec_round_trips_and_names_bad_values():
    spec = PreprocessSpec(
        column_kinds=[
            {"column": "rating", "kind": "categorical"},
            {"column": "when", "kind": "datetime", "format": "%d/%m/%Y"},
        ],
        drop_classes=["e"],
        merge_classes=[{"classes": ["c", "d"], "into": "c+d"}],
        merge_rare_under=3,
        rare_label="rest",
    )
    again = PreprocessSpec.from_json(spec.to_json())
    assert again == spec and again.column_kinds[1] == ColumnKind("when", "datetime", "%d/%m/%Y")
    for bad, message in [
        ({"column_kinds": [{"column": "x", "kind": "colour"}]}, "'column_kinds.kind' must be one of"),
        ({"column_kinds": [{"column": "x", "kind": "numeric", "format": "%Y"}]}, "for kind datetime only"),
        ({"merge_classes": [{"classes": ["a"], "into": "z"}]}, "needs at least two classes"),
        ({"merge_rare_under": -1}, "'merge_rare_under' must be a whole number >= 0"),
    ]:
        with pytest.raises(SpecError, match=message):
            PreprocessSpec(**bad)
    with pytest.raises(SpecError, match="'drop_classes' names class 'q', which the target does not have"):
        PreprocessSpec(drop_classes=("q",)).validate_for(table(LABELS))
    with pytest.raises(SpecError, match="drops every class"):
        PreprocessSpec(drop_classes=("a", "b", "c", "d", "e")).validate_for(table(LABELS))


def test_an_integer_code_declared_categorical_is_one_hot_encoded():
    codes = [1, 2, 3, 4, 5] * 4
    data = table(["a", "b"] * 10, rating=codes)
    assert data.feature_types["rating"] == "numeric"
    spec = PreprocessSpec(column_kinds=[{"column": "rating", "kind": "categorical"}], scaling="none")
    done = apply_row_steps(data, spec)
    assert done.feature_types["rating"] == "categorical"
    pipeline = build_pipeline(spec, done)
    names = list(pipeline.fit(done.features, done.target).get_feature_names_out())
    assert sum("rating" in n for n in names) == 5, names


def test_a_text_date_declared_datetime_gives_date_features_with_the_hour():
    when = [f"{day:02d}/01/2013 {hour:02d}:30" for day, hour in zip(range(1, 13), range(0, 24, 2), strict=True)]
    data = table(["a", "b"] * 6, when=when)
    spec = PreprocessSpec(column_kinds=[{"column": "when", "kind": "datetime", "format": "%d/%m/%Y %H:%M"}])
    done = apply_row_steps(data, spec)
    assert [c for c in done.features.columns if c.startswith("when")] == [
        "when year",
        "when month",
        "when weekday",
        "when hour",
    ]
    assert list(done.features["when hour"]) == list(range(0, 24, 2))
    assert done.features["when weekday"].iloc[0] == 1  # 1 January 2013 was a Tuesday


def test_numbers_with_decimal_commas_declared_numeric():
    data = table(["a", "b"] * 3, price=["1,5", "2,25", "x", "4", "5,5", "6"])
    done = apply_row_steps(data, PreprocessSpec(column_kinds=[{"column": "price", "kind": "numeric"}]))
    assert list(done.features["price"].fillna(-1)) == [1.5, 2.25, -1, 4, 5.5, 6]
    assert any("1 values did not read as numeric" in n for n in done.provenance.notes)
