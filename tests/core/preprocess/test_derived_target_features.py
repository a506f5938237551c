"""A derived target keeps the other columns as features: the target the dataset was loaded with becomes a
categorical feature, rows where it is missing included ("old_target": "feature"), while the column the new
target is cut from leaves the features (it would leak the target). "drop" is what specs meant before."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.datasets.dataset import make_split, tabular_dataset
from core.datasets.registry import LoadRequest, load_dataset
from core.preprocess import DerivedTarget, PreprocessSpec, SpecError, apply_row_steps, transform_split

LA_SAMPLE = Path("/work/shared/data/la_collisions_jan2013_real_sample.csv")
BINS, LABELS = (0, 25, 60, 120), ("Youth", "Adults", "Seniors")
BFILL_FIRST = ("drop_columns", "missing_rows", "filters", "derived_target", "classes", "drop_duplicates")


def victims():
    """Six victims loaded with target sex: row 2 has no sex (the loader drops it), row 4 no age."""
    frame = pd.DataFrame({
        "age": [20.0, 30.0, 40.0, 70.0, np.nan, 50.0],
        "area": ["n", "s", "n", "s", "n", "s"],
        "sex": ["F", "M", None, "M", "F", "F"],
    })  # fmt: skip
    return tabular_dataset("victims", frame, "sex", {"source": "generator", "location": "test"})


def test_the_loader_keeps_the_rows_without_a_target_aside():
    dataset = victims()
    assert dataset.rows == 5
    assert list(dataset.unlabelled.index) == [2] and dataset.unlabelled.loc[2, "age"] == 40.0


def test_the_loaded_target_becomes_a_feature_with_its_missing_rows():
    spec = PreprocessSpec(derived_target=DerivedTarget("age", BINS, LABELS, old_target="feature"))
    out = apply_row_steps(victims(), spec)
    assert list(out.features.columns) == ["area", "sex"]  # age is the target's source: gone
    assert out.feature_types["sex"] == "categorical"
    # Every row with an age is kept, in the file's order, the one without a sex included.
    assert list(out.features["sex"].fillna("?")) == ["F", "M", "?", "M", "F"]
    assert list(np.asarray(out.classes)[out.target]) == ["Youth", "Adults", "Adults", "Seniors", "Adults"]


def test_old_target_drop_is_what_a_derived_target_did_before():
    spec = PreprocessSpec.from_json('{"derived_target": {"source": "age", "bins": [0, 25, 60, 120], '
                                    '"labels": ["Youth", "Adults", "Seniors"]}}')  # fmt: skip
    assert spec.derived_target.old_target == "drop"
    out = apply_row_steps(victims(), spec)
    assert list(out.features.columns) == ["area"]
    assert list(np.asarray(out.classes)[out.target]) == ["Youth", "Adults", "Seniors", "Adults"]


def test_dropping_the_loaded_target_by_name_drops_it_but_keeps_its_rows():
    spec = PreprocessSpec(
        drop_columns=("sex",), derived_target=DerivedTarget("age", BINS, LABELS, old_target="feature")
    )
    out = apply_row_steps(victims(), spec)
    assert list(out.features.columns) == ["area"] and out.rows == 5


def test_a_fill_before_the_derived_target_sees_the_rows_without_a_target_in_place():
    spec = PreprocessSpec(
        missing_rows="bfill",
        derived_target=DerivedTarget("age", BINS, LABELS, old_target="feature"),
        row_order=BFILL_FIRST,
    )
    out = apply_row_steps(victims(), spec)
    # Row 4's age is back-filled from row 5 (50: Adults); the sex is not filled: it was the target then.
    assert out.rows == 6
    assert list(out.features["sex"].fillna("?")) == ["F", "M", "?", "M", "F", "F"]
    assert list(np.asarray(out.classes)[out.target]) == ["Youth", "Adults", "Adults", "Seniors", "Adults", "Adults"]


def test_the_old_target_feature_is_imputed_like_any_feature():
    frame = pd.DataFrame({
        "age": np.tile([20.0, 40.0, 80.0], 20),
        "sex": (["F", "M", None] * 20),
        "x": np.arange(60.0),
    })  # fmt: skip
    dataset = tabular_dataset("many", frame, "sex", {"source": "generator", "location": "test"})
    spec = PreprocessSpec(derived_target=DerivedTarget("age", BINS, LABELS, old_target="feature"))
    out = apply_row_steps(dataset, spec)
    assert out.rows == 60 and out.features["sex"].isna().sum() == 20
    parts = transform_split(out, spec, make_split(out, seed=0))
    assert not np.isnan(parts["train"][0]).any() and not np.isnan(parts["test"][0]).any()


def test_a_bad_old_target_is_one_line_naming_the_field():
    with pytest.raises(SpecError) as caught:
        PreprocessSpec(derived_target={"source": "age", "bins": list(BINS), "labels": list(LABELS), "old_target": "x"})
    assert str(caught.value) == "preprocess spec: 'derived_target.old_target' must be one of feature, drop; got 'x'"


def test_the_derived_name_may_not_take_the_loaded_targets_place():
    spec = PreprocessSpec(derived_target=DerivedTarget("age", BINS, LABELS, name="sex", old_target="feature"))
    with pytest.raises(SpecError, match=r"'derived_target.name' 'sex' is already a feature column"):
        spec.validate_for(victims())


@pytest.mark.skipif(not LA_SAMPLE.exists(), reason="the real LA sample is not on this machine")
def test_la_sample_keeps_victim_sex_as_a_feature():
    dataset = load_dataset(LoadRequest("csv", path=str(LA_SAMPLE), target="Victim_Sex"))
    assert (dataset.rows, len(dataset.unlabelled)) == (3546, 26)  # 3,572 rows, 26 without a sex
    before = list(dataset.features.columns)
    assert "Victim_Sex" not in before
    kept, dropped = (
        apply_row_steps(
            dataset, PreprocessSpec(derived_target=DerivedTarget("Victim_Age", BINS, LABELS, old_target=mode))
        )
        for mode in ("feature", "drop")
    )
    age_free = [c for c in before if c != "Victim_Age"]
    assert list(dropped.features.columns) == age_free
    assert list(kept.features.columns) == [*age_free, "Victim_Sex"]
    # The 26 rows without a sex have no age either, so both keep the 2,991 rows with an age.
    assert kept.rows == dropped.rows == 2991
