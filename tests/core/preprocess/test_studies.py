"""The reference studies' preprocessing specs load and apply to their datasets."""

import pytest

from core.datasets.registry import LoadRequest, load_dataset
from core.preprocess import SpecError, apply_row_steps
from core.preprocess.studies import list_study_specs, study_spec


def test_the_la_study_back_fills_before_it_filters_and_cuts_the_age_group():
    spec = study_spec("la_collisions")
    order = spec.row_order
    assert order.index("missing_rows") < order.index("filters") < order.index("derived_target")
    assert spec.missing_rows == "bfill" and spec.derived_target.old_target == "feature"
    dataset = load_dataset(LoadRequest("la-collisions", source="synthetic", rows=3000, seed=0))
    out = apply_row_steps(dataset, spec)
    assert out.target_name == "Victim Age group" and out.classes == ("Youth", "Adults", "Seniors")
    assert "Victim Sex" in out.features.columns and out.feature_types["Victim Sex"] == "categorical"
    assert not {"Victim Age", "DR Number", "Date Reported"} & set(out.features.columns)
    # Back-filled ages give nearly every row a group (only trailing unknown ages stay without one).
    assert out.rows >= dataset.rows - 10


def test_an_unknown_study_names_the_ones_there_are():
    assert "la_collisions" in list_study_specs()
    with pytest.raises(SpecError, match="no preprocessing spec for study 'nope'; studies: .*la_collisions"):
        study_spec("nope")
