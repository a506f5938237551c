"""AppTest of the Explore page: a table (LA synthetic) and an image set (digits), driving the
tabs' controls and the preprocessing builder."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from core.datasets import LoadRequest
from core.preprocess import PreprocessSpec
from tests.conftest import FASHION_DIR, REAL_SAMPLE, REPO

TIMEOUT = 90


def explore_page(request: LoadRequest) -> AppTest:
    at = AppTest.from_file(str(REPO / "app_pages" / "explore.py"), default_timeout=TIMEOUT)
    at.session_state["data_request"] = request
    return at.run()


LA = LoadRequest("la-collisions", source="synthetic", rows=4000, seed=1)
LEAK_ICON = ":material/water_drop:"


def page_errors(at: AppTest) -> list[str]:
    """Errors the page reports about itself; leakage alerts are drawn as errors too, with their own icon."""
    return [e.value for e in at.error if e.icon != LEAK_ICON]


def test_tabular_page_shows_alerts_profile_and_figures():
    at = explore_page(LA)
    assert not at.exception and not page_errors(at)
    assert "la-collisions" in at.markdown[0].value and "Synthetic" in at.markdown[0].value
    leaks = [e.value for e in at.error if e.icon == LEAK_ICON]
    assert len(leaks) == 1 and "Date Reported" in leaks[0] and "after Date Occurred" in leaks[0]
    warnings = " ".join(w.value for w in at.warning)
    assert "DR Number looks like an identifier" in warnings
    assert len(at.dataframe) >= 1  # the profile
    assert len(at.get("plotly_chart")) >= 5
    # the drop list is pre-filled from the alerts
    assert set(at.multiselect(key="pp_la-collisions_Victim Sex_drop").value) >= {"DR Number", "Date Reported"}


def test_relations_and_distribution_controls():
    at = explore_page(LA)
    at.radio(key="explore_corr").set_value("cramer").run()
    assert not at.exception
    at.selectbox(key="explore_column").set_value("Area Name").run()
    at.selectbox(key="explore_group_col").set_value("Victim Descent").run()
    assert not at.exception and not page_errors(at)


def test_builder_derived_target_smote_preview_and_keep():
    at = explore_page(LA)
    key = "pp_la-collisions_Victim Sex"
    at.toggle(key=f"{key}_derive").set_value(True).run()
    at.radio(key=f"{key}_balancing").set_value("oversample").run()
    at.radio(key=f"{key}_scaling").set_value("minmax").run()
    at.button(key="pp_preview").click().run()
    assert not at.exception and not page_errors(at), page_errors(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Classes"] == "3"  # Youth, Adults, Seniors
    preview_table = at.dataframe[-1].value
    balanced = preview_table["train after balancing"]
    assert balanced.nunique() == 1 and balanced.iloc[0] > 0  # oversampling equalises the training classes
    at.button(key="pp_keep").click().run()
    kept = PreprocessSpec.from_json(at.session_state["preprocess_specs"]["la-collisions"])
    assert kept.derived_target.source == "Victim Age" and kept.balancing == "oversample"
    assert json.loads(kept.to_json())["scaling"] == "minmax"


def test_bad_bins_show_one_line_error():
    at = explore_page(LA)
    key = "pp_la-collisions_Victim Sex"
    at.toggle(key=f"{key}_derive").set_value(True).run()
    at.text_input(key=f"{key}_derive_bins").set_value("0, young, 120").run()
    assert not at.exception
    errors = page_errors(at)
    assert len(errors) == 1 and "Bin edges" in errors[0] and "\n" not in errors[0]


def test_image_page_and_projection():
    at = explore_page(LoadRequest("digits"))
    assert not at.exception and not page_errors(at)
    assert len(at.get("plotly_chart")) == 4  # samples, mean images, pixels, PCA
    at.radio(key="pp_digits_label_scaling").set_value("none").run()
    at.button(key="pp_preview").click().run()
    assert not at.exception and not page_errors(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Feature columns"] == "64"


@pytest.mark.skipif(not REAL_SAMPLE.is_file(), reason="../shared/data real sample not present")
def test_real_sample_csv_shows_its_missing_ages_and_identifier():
    at = explore_page(LoadRequest("csv", source="file", path=str(REAL_SAMPLE), target="Area_Name"))
    assert not at.exception and not page_errors(at)
    profile = at.dataframe[0].value
    assert int(profile.loc[profile["column"] == "Victim_Age", "missing"].iloc[0]) == 581
    assert any("DR Number looks like an identifier" in w.value for w in at.warning)


@pytest.mark.skipif(not FASHION_DIR.is_dir(), reason="Debian package dataset-fashion-mnist is not installed")
def test_fashion_mnist_page():
    at = explore_page(LoadRequest("fashion-mnist"))
    assert not at.exception and not page_errors(at)
    assert len(at.get("plotly_chart")) == 4


def test_range_filter_keeps_the_rows_pandas_would():
    at = explore_page(LA)
    key = "pp_la-collisions_Victim Sex"
    assert "Crime Code" not in at.multiselect(key=f"{key}_filter_columns").options  # constant: no range to pick
    at.multiselect(key=f"{key}_filter_columns").set_value(["Victim Age"]).run()
    at.slider(key=f"{key}_range_Victim Age").set_value((15.0, 90.0)).run()
    at.button(key="pp_preview").click().run()
    assert not at.exception and not page_errors(at)
    from core.datasets import load_dataset

    ages = load_dataset(LA).features["Victim Age"]
    expected = int(ages.between(15, 90).sum())
    assert {m.label: m.value for m in at.metric}["Rows"] == f"{expected:,}"


@pytest.mark.skipif(not REAL_SAMPLE.is_file(), reason="../shared/data real sample not present")
@pytest.mark.parametrize("target", ["Victim_Sex", "longitud"])  # a class of 2 rows; a quantity
def test_a_target_training_could_not_split_explores_without_error(target):
    at = explore_page(LoadRequest("csv", source="file", path=str(REAL_SAMPLE), target=target))
    assert not at.exception and not page_errors(at), page_errors(at)
    assert len(at.dataframe) >= 1 and len(at.get("plotly_chart")) >= 4
    shown = " ".join(w.value for w in at.warning) + " ".join(i.value for i in at.info)
    expected = "'H' (2 rows)" if target == "Victim_Sex" else "longitud is a quantity"
    assert expected in shown
