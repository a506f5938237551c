"""The preprocessing builder on Explore keeps what it shows: after a visit to another page it shows the spec it
showed (or the kept spec, when that changed meanwhile), a new session starts it from the kept spec, a spec file
loads back into it, and the preview stays until the spec it was made for changes."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from core.datasets import LoadRequest
from core.preprocess import ClassMerge, ColumnKind, DerivedTarget, PreprocessSpec, RangeFilter
from tests.conftest import REPO

TIMEOUT = 90
LA = LoadRequest("la-collisions", source="synthetic", rows=4000, seed=1)
KEY = "pp_la-collisions_Victim Sex"
UPLOAD = "pp_upload_la-collisions_Victim Sex"
LEAK_ICON = ":material/water_drop:"
KEPT_CAPTION = "This is the preprocessing kept for training"

# What drive_every_widget makes the builder show, as a spec.
EVERYTHING = PreprocessSpec(
    drop_columns=("DR Number", "Date Reported", "Address"),
    column_kinds=(ColumnKind("Area ID", "categorical"),),
    drop_duplicates=True,
    missing_rows="drop",
    numeric_impute="mean",
    categorical_impute="constant",
    filters=(RangeFilter("Victim Age", 15.0, 90.0),),
    derived_target=DerivedTarget("Victim Age", (0.0, 30.0, 120.0), ("Young", "Old"), old_target="feature"),
    merge_rare_under=5,
    encoding="ordinal",
    scaling="minmax",
    balancing="undersample",
)
CLASSES = PreprocessSpec(
    drop_columns=("DR Number",),
    drop_classes=("X",),
    filters=(RangeFilter("Victim Age", None, 60.0),),  # open below: stays open
    max_categories=50,  # no widget: carried through as the spec says
    seed=7,
)
MERGED = PreprocessSpec(
    merge_classes=(ClassMerge(("M", "X"), "M or X"),),
    merge_rare_under=3,
    column_kinds=(ColumnKind("Premise Code", "categorical"), ColumnKind("Area ID", "categorical")),
    fill_value=-1.0,
    numeric_impute="constant",
    balancing="oversample",
)


def explore(specs: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO / "app_pages" / "explore.py"), default_timeout=TIMEOUT)
    at.session_state["data_request"] = LA
    if specs is not None:
        at.session_state["preprocess_specs"] = specs
    return at.run()


def whole_app() -> AppTest:
    """The app with its router, on the Explore page: switching pages drops the builder's widget state."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    at.session_state["data_request"] = LA
    at.run()
    return at.switch_page("app_pages/explore.py").run()


def page_errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error if e.icon != LEAK_ICON]


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def kept(at: AppTest) -> PreprocessSpec | None:
    text = at.session_state["preprocess_specs"].get("la-collisions") if "preprocess_specs" in at.session_state else None
    return PreprocessSpec.from_json(text) if text else None


def drive_every_widget(at: AppTest) -> None:
    at.multiselect(key=f"{KEY}_drop").set_value(["DR Number", "Date Reported", "Address"]).run()
    at.multiselect(key=f"{KEY}_as_cat").set_value(["Area ID"]).run()
    at.checkbox(key=f"{KEY}_dedupe").check().run()
    at.selectbox(key=f"{KEY}_missing_rows").set_value("drop").run()
    at.selectbox(key=f"{KEY}_num_impute").set_value("mean").run()
    at.selectbox(key=f"{KEY}_cat_impute").set_value("constant").run()
    at.multiselect(key=f"{KEY}_filter_columns").set_value(["Victim Age"]).run()
    at.slider(key=f"{KEY}_range_Victim Age").set_value((15.0, 90.0)).run()
    at.toggle(key=f"{KEY}_derive").set_value(True).run()
    at.text_input(key=f"{KEY}_derive_bins").set_value("0, 30, 120").run()
    at.text_input(key=f"{KEY}_derive_labels").set_value("Young, Old").run()
    at.number_input(key=f"{KEY}_merge_rare").set_value(5).run()
    at.radio(key=f"{KEY}_encoding").set_value("ordinal").run()
    at.radio(key=f"{KEY}_scaling").set_value("minmax").run()
    at.radio(key=f"{KEY}_balancing").set_value("undersample").run()
    assert not at.exception and not page_errors(at), page_errors(at)


def assert_shows_everything(at: AppTest) -> None:
    assert at.multiselect(key=f"{KEY}_drop").value == ["DR Number", "Date Reported", "Address"]
    assert at.multiselect(key=f"{KEY}_as_cat").value == ["Area ID"]
    assert at.checkbox(key=f"{KEY}_dedupe").value is True
    assert at.selectbox(key=f"{KEY}_missing_rows").value == "drop"
    assert at.selectbox(key=f"{KEY}_num_impute").value == "mean"
    assert at.selectbox(key=f"{KEY}_cat_impute").value == "constant"
    assert at.multiselect(key=f"{KEY}_filter_columns").value == ["Victim Age"]
    assert at.slider(key=f"{KEY}_range_Victim Age").value == (15.0, 90.0)
    assert at.toggle(key=f"{KEY}_derive").value is True
    assert at.selectbox(key=f"{KEY}_derive_src").value == "Victim Age"
    assert at.text_input(key=f"{KEY}_derive_bins").value == "0, 30, 120"
    assert at.text_input(key=f"{KEY}_derive_labels").value == "Young, Old"
    assert at.number_input(key=f"{KEY}_merge_rare").value == 5
    assert at.radio(key=f"{KEY}_encoding").value == "ordinal"
    assert at.radio(key=f"{KEY}_scaling").value == "minmax"
    assert at.radio(key=f"{KEY}_balancing").value == "undersample"


def test_a_visit_to_another_page_leaves_the_builder_as_it_was():
    at = whole_app()
    drive_every_widget(at)
    at.switch_page("app_pages/data.py").run()
    assert f"{KEY}_scaling" not in at.session_state  # Streamlit dropped the builder's widgets
    at.switch_page("app_pages/explore.py").run()
    assert not at.exception and not page_errors(at), page_errors(at)
    assert_shows_everything(at)
    at.button(key="pp_keep").click().run()
    assert kept(at) == EVERYTHING
    at.switch_page("app_pages/data.py").run()
    at.switch_page("app_pages/explore.py").run()
    assert_shows_everything(at)
    assert KEPT_CAPTION in captions(at)


def test_a_new_session_starts_the_builder_from_the_kept_spec():
    at = explore({"la-collisions": EVERYTHING.to_json()})
    assert not at.exception and not page_errors(at), page_errors(at)
    assert_shows_everything(at)
    assert KEPT_CAPTION in captions(at)


@pytest.mark.parametrize("spec", [CLASSES, MERGED], ids=["drop-classes-open-filter", "merge-kinds-fill"])
def test_the_builder_rebuilds_exactly_the_kept_spec(spec):
    at = explore({"la-collisions": spec.to_json()})
    assert not at.exception and not page_errors(at), page_errors(at)
    assert KEPT_CAPTION in captions(at), captions(at)
    at.button(key="pp_keep").click().run()
    assert kept(at) == spec
    if spec is CLASSES:
        assert at.multiselect(key=f"{KEY}_drop_classes").value == ["X"]
        assert at.slider(key=f"{KEY}_range_Victim Age").value[1] == 60.0
    else:
        assert at.multiselect(key=f"{KEY}_merge").value == ["M", "X"]
        assert at.text_input(key=f"{KEY}_merge_into").value == "M or X"
        assert at.multiselect(key=f"{KEY}_as_cat").value == ["Premise Code", "Area ID"]


def test_a_kept_spec_changed_elsewhere_wins_over_the_builders_draft():
    at = whole_app()
    at.radio(key=f"{KEY}_scaling").set_value("minmax").run()
    at.switch_page("app_pages/data.py").run()
    # meanwhile a training page's rare-classes fix keeps a spec (ui/class_fix.py)
    at.session_state["preprocess_specs"] = {"la-collisions": PreprocessSpec(merge_rare_under=3).to_json()}
    at.switch_page("app_pages/explore.py").run()
    assert at.number_input(key=f"{KEY}_merge_rare").value == 3
    assert at.radio(key=f"{KEY}_scaling").value == "standard"
    assert KEPT_CAPTION in captions(at)


def test_a_changed_builder_says_so_and_goes_back_to_the_kept_spec():
    at = explore({"la-collisions": EVERYTHING.to_json()})
    at.radio(key=f"{KEY}_scaling").set_value("none").run()
    assert "differs from the kept preprocessing in scaling" in captions(at)
    at.button(key="pp_revert").click().run()
    assert at.radio(key=f"{KEY}_scaling").value == "minmax"
    assert KEPT_CAPTION in captions(at)


def test_an_uploaded_spec_becomes_the_builder_and_the_kept_spec():
    at = explore()
    at.file_uploader(key=UPLOAD).set_value(("la.json", MERGED.to_json().encode(), "application/json")).run()
    assert not at.exception and not page_errors(at), page_errors(at)
    assert kept(at) == MERGED
    assert at.multiselect(key=f"{KEY}_merge").value == ["M", "X"]
    assert at.radio(key=f"{KEY}_balancing").value == "oversample"
    assert at.multiselect(key=f"{KEY}_drop").value == []  # the file's, not the alerts' suggestion
    assert KEPT_CAPTION in captions(at)


def test_uploading_over_a_changed_builder_replaces_its_state():
    at = explore({"la-collisions": EVERYTHING.to_json()})
    at.radio(key=f"{KEY}_scaling").set_value("none").run()
    at.file_uploader(key=UPLOAD).set_value(("everything.json", EVERYTHING.to_json().encode(), "application/json"))
    at.run()
    assert_shows_everything(at)
    assert KEPT_CAPTION in captions(at)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "expected a JSON object"),
        (json.dumps({"scaling": "zscore"}).encode(), "'scaling' must be one of standard, minmax, none"),
        (json.dumps({"colour": "red"}).encode(), "'colour' is not a known field"),
        (json.dumps({"drop_columns": ["Nope"]}).encode(), "names 'Nope', which is not a column of la-collisions"),
        (json.dumps({"derived_target": {"source": "Victim Age", "bins": [0, 1], "labels": ["a"]}}).encode(), "bins"),
        (json.dumps({"row_order": ["filters", "backfill"]}).encode(), "'row_order' names 'backfill', which is not a"),
    ],
    ids=["not-json", "not-object", "bad-choice", "unknown-field", "unknown-column", "bad-bins", "bad-row-order"],
)
def test_a_bad_spec_file_is_one_line_and_changes_nothing(content, says):
    at = explore({"la-collisions": EVERYTHING.to_json()})
    at.file_uploader(key=UPLOAD).set_value(("bad.json", content, "application/json")).run()
    assert not at.exception
    errors = page_errors(at)
    assert len(errors) == 1 and says in errors[0] and "\n" not in errors[0], errors
    assert errors[0].startswith("bad.json: ")
    assert kept(at) == EVERYTHING
    assert_shows_everything(at)


def test_the_preview_stays_until_the_spec_changes():
    at = explore()
    at.button(key="pp_preview").click().run()
    rows = {m.label: m.value for m in at.metric}["Rows"]
    at.radio(key="explore_corr").set_value("spearman").run()  # unrelated
    at.selectbox(key="explore_column").set_value("Area Name").run()
    assert {m.label: m.value for m in at.metric}["Rows"] == rows
    at.checkbox(key=f"{KEY}_dedupe").check().run()  # the spec changed: that preview no longer applies
    assert not at.metric and "The spec changed since the last preview" in captions(at)
    at.checkbox(key=f"{KEY}_dedupe").uncheck().run()  # back to the spec it was made for
    assert {m.label: m.value for m in at.metric}["Rows"] == rows


def test_an_uploaded_derived_target_is_named_above_the_figures():
    at = explore()
    at.file_uploader(key=UPLOAD).set_value(("age.json", EVERYTHING.to_json().encode(), "application/json")).run()
    assert not at.exception and not page_errors(at), page_errors(at)
    assert "target **Victim Age group** (cut from Victim Age" in at.markdown[0].value
    assert_shows_everything(at)


def step_titles(at: AppTest) -> list[str]:
    """The row steps' box titles, in the order the builder draws them ('2. Keep rows in a range' -> that)."""
    return [m.value.strip("*").split(". ", 1)[1] for m in at.markdown if m.value.startswith("**") and ". " in m.value]


def test_the_builder_moves_a_row_step_and_keeps_the_order():
    at = whole_app()
    assert step_titles(at)[-2:] == ["Drop duplicate rows", "Rows with missing values"]
    at.selectbox(key=f"{KEY}_missing_rows").set_value("bfill").run()
    at.button(key=f"{KEY}_move_missing_rows_-1").click().run()
    for _ in range(3):  # up to just after 'Drop columns': back-fill before the filters
        at.button(key=f"{KEY}_move_missing_rows_-1").click().run()
    assert not at.exception and not page_errors(at), page_errors(at)
    assert step_titles(at)[:2] == ["Drop columns", "Rows with missing values"]
    assert at.selectbox(key=f"{KEY}_missing_rows").value == "bfill"  # a move leaves the widgets as they were
    assert at.button(key=f"{KEY}_move_drop_columns_-1").disabled
    at.button(key="pp_keep").click().run()
    assert kept(at).row_order == (
        "drop_columns",
        "missing_rows",
        "filters",
        "derived_target",
        "classes",
        "drop_duplicates",
    )
    at.switch_page("app_pages/data.py").run()
    at.switch_page("app_pages/explore.py").run()
    assert step_titles(at)[:2] == ["Drop columns", "Rows with missing values"]
    assert KEPT_CAPTION in captions(at)


def test_an_uploaded_spec_brings_its_order():
    spec = PreprocessSpec(
        missing_rows="bfill", row_order=("missing_rows", *[s for s in EVERYTHING.row_order if s != "missing_rows"])
    )
    at = explore()
    at.file_uploader(key=UPLOAD).set_value(("order.json", spec.to_json().encode(), "application/json")).run()
    assert not at.exception and not page_errors(at), page_errors(at)
    assert step_titles(at)[0] == "Rows with missing values" and kept(at) == spec


def test_the_builder_starts_on_auto_encoding_and_says_what_each_model_gets():
    at = explore()
    radio = at.radio(key=f"{KEY}_encoding")
    assert radio.options == ["auto", "onehot", "ordinal", "label"] and radio.value == "auto"
    assert "tree models" in radio.help and "one-hot columns" in radio.help
    at.button(key="pp_keep").click().run()
    assert kept(at).encoding == "auto"
