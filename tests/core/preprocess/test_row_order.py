"""The row steps run in the order the spec lists them (`row_order`); a spec without one (every spec written
before it existed) runs them in the old fixed order and gives exactly the rows it gave then."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.datasets.dataset import tabular_dataset
from core.datasets.registry import LoadRequest, load_dataset
from core.preprocess import ROW_STEPS, PreprocessSpec, RangeFilter, SpecError, apply_row_steps, move_row_step

LA_SAMPLE = Path("/work/shared/data/la_collisions_jan2013_real_sample.csv")
AGE = {"source": "Victim_Age", "bins": [0, 25, 60, 120], "labels": ["Youth", "Adults", "Seniors"]}
BFILL_FIRST = ("drop_columns", "missing_rows", "filters", "derived_target", "classes", "drop_duplicates")


def tiny():
    frame = pd.DataFrame({
        "age": [np.nan, 5.0, 50.0, np.nan, 30.0],
        "x": [1, 2, 3, 4, 5],
        "y": ["a", "b", "a", "b", "a"],
    })  # fmt: skip
    return tabular_dataset("tiny", frame, "y", {"source": "generator", "location": "test"})


def rows(dataset) -> list[tuple]:
    names = np.asarray(dataset.classes)[dataset.target]
    return list(zip(dataset.features["age"], dataset.features["x"], names, strict=True))


def test_backfill_then_filter_differs_from_filter_then_backfill():
    keep_20_to_100 = (RangeFilter("age", 20, 100),)
    filter_first = PreprocessSpec(filters=keep_20_to_100, missing_rows="bfill")
    fill_first = PreprocessSpec(filters=keep_20_to_100, missing_rows="bfill", row_order=BFILL_FIRST)
    # The filter drops both missing ages and the 5 first; nothing is left to fill.
    assert rows(apply_row_steps(tiny(), filter_first)) == [(50.0, 3, "a"), (30.0, 5, "a")]
    # Back-filled first, ages read 5, 5, 50, 30, 30: the filter keeps the last three.
    assert rows(apply_row_steps(tiny(), fill_first)) == [(50.0, 3, "a"), (30.0, 4, "b"), (30.0, 5, "a")]


def test_a_spec_without_row_order_runs_the_old_order():
    spec = PreprocessSpec.from_json(json.dumps({"missing_rows": "bfill"}))
    assert (
        spec.row_order
        == ROW_STEPS
        == ("drop_columns", "filters", "derived_target", "classes", "drop_duplicates", "missing_rows")
    )
    again = PreprocessSpec.from_json(spec.to_json())
    assert again == spec and json.loads(spec.to_json())["row_order"] == list(ROW_STEPS)


@pytest.mark.skipif(not LA_SAMPLE.exists(), reason="the real LA sample is not on this machine")
@pytest.mark.parametrize(
    ("old_json", "rows_after", "sha256"),
    [
        (
            {"drop_columns": ["DR Number"], "derived_target": AGE},
            2991,
            "eefde17492f76487833a95bf4668a1e5c8eaa97567e12a383be02522c4070ed3",
        ),
        (
            {
                "drop_columns": ["DR Number"],
                "missing_rows": "bfill",
                "filters": [{"column": "Victim_Age", "minimum": 10}],
                "derived_target": AGE,
                "merge_rare_under": 3,
                "drop_duplicates": True,
            },
            2969,
            "1d4f7d19f6e496bc4204ed4f1ba1b465679419255d3f4e79dd10bcfea961c97c",
        ),
        (
            {"missing_rows": "ffill", "drop_classes": ["X"], "merge_classes": [{"classes": ["H", "M"], "into": "HM"}]},
            3490,
            "f11156d31e55cf4d92b09e96a121838439cfc9cee26bac5665606d8461984986",
        ),
    ],
    ids=["derived-target", "filter-bfill-derived-dedupe-rare", "ffill-classes"],
)
def test_old_spec_json_gives_the_rows_it_gave_before(old_json, rows_after, sha256):
    # The hashes are of the rows these specs gave before row_order existed (commit 63d9933), on the real sample.
    dataset = load_dataset(LoadRequest("csv", path=str(LA_SAMPLE), target="Victim_Sex"))
    out = apply_row_steps(dataset, PreprocessSpec.from_json(json.dumps(old_json)))
    assert (out.rows, out.provenance.sha256) == (rows_after, sha256)


def test_class_changes_listed_before_the_derived_target_act_on_the_loaded_classes():
    frame = pd.DataFrame({"age": [10.0, 20, 30, 40, 50, 60], "x": range(6), "y": ["a", "b", "c"] * 2})
    dataset = tabular_dataset("classes", frame, "y", {"source": "generator", "location": "test"})
    derived = {"source": "age", "bins": [0, 35, 100], "labels": ["young", "old"], "old_target": "feature"}
    spec = PreprocessSpec(
        drop_classes=("c",),
        derived_target=derived,
        row_order=("drop_columns", "filters", "classes", "derived_target", "drop_duplicates", "missing_rows"),
    )
    out = apply_row_steps(dataset, spec)
    assert list(out.features["y"]) == ["a", "b", "a", "b"]  # the rows of loaded class c went
    assert list(np.asarray(out.classes)[out.target]) == ["young", "young", "old", "old"]
    with pytest.raises(SpecError, match=r"'drop_classes' names class 'c', which the target does not have"):
        PreprocessSpec(drop_classes=("c",), derived_target=derived).validate_for(dataset)


def test_a_filter_after_the_derived_target_cannot_name_its_source():
    derived = {"source": "age", "bins": [0, 35, 100], "labels": ["young", "old"]}
    order = ("drop_columns", "derived_target", "filters", "classes", "drop_duplicates", "missing_rows")
    spec = PreprocessSpec(filters=(RangeFilter("age", 0, 40),), derived_target=derived, row_order=order)
    with pytest.raises(SpecError) as caught:
        apply_row_steps(tiny(), spec)
    assert str(caught.value) == "preprocess spec: 'filters' names 'age', which the derived target before it takes away"


@pytest.mark.parametrize(
    ("row_order", "says"),
    [
        ("filters", "'row_order' must be a list of the row steps"),
        (["filters", 3], "'row_order' must be a list of the row steps"),
        ([*ROW_STEPS[:-1], "backfill"], "'row_order' names 'backfill', which is not a row step; the row steps: "),
        ([*ROW_STEPS, "filters"], "'row_order' names 'filters' twice"),
        (list(ROW_STEPS[1:]), "'row_order' lacks 'drop_columns'; it lists every row step once"),
    ],
    ids=["text", "not-text", "unknown", "twice", "missing"],
)
def test_a_bad_row_order_is_one_line_naming_the_field(row_order, says):
    with pytest.raises(SpecError) as caught:
        PreprocessSpec.from_json(json.dumps({"row_order": row_order}))
    message = str(caught.value)
    assert says in message and "\n" not in message, message


def test_move_row_step_moves_one_place_and_stops_at_the_ends():
    assert move_row_step(ROW_STEPS, "missing_rows", -1)[-2:] == ("missing_rows", "drop_duplicates")
    assert move_row_step(ROW_STEPS, "drop_columns", -1) == ROW_STEPS
    assert move_row_step(ROW_STEPS, "missing_rows", 1) == ROW_STEPS
    with pytest.raises(SpecError, match="'row_order' names no step 'backfill'"):
        move_row_step(ROW_STEPS, "backfill", 1)
