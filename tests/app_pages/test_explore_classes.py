"""The preprocessing builder on Explore: class operations and column kinds, kept for training as spec JSON."""

from streamlit.testing.v1 import AppTest

from core.datasets import LoadRequest
from core.preprocess import ClassMerge, ColumnKind, PreprocessSpec
from tests.conftest import REPO


def test_classes_and_kinds_from_the_builder_become_the_kept_spec(tmp_path):
    path = tmp_path / "survey.csv"
    rows = [
        f"{i % 5 + 1},2013-01-{i % 28 + 1:02d},{label}"
        for i, label in enumerate(["a"] * 30 + ["b"] * 30 + ["c"] * 5 + ["d"])
    ]
    path.write_text("rating,day,answer\n" + "\n".join(rows))
    at = AppTest.from_file(str(REPO / "app_pages" / "explore.py"), default_timeout=60)
    at.session_state["data_request"] = LoadRequest("csv", source="file", path=str(path), target="answer")
    at.run()
    assert not at.exception
    key = "pp_csv:survey_answer"
    at.multiselect(key=f"{key}_as_cat").set_value(["rating"]).run()
    at.multiselect(key=f"{key}_merge").set_value(["c", "d"]).run()
    at.text_input(key=f"{key}_merge_into").set_value("rare").run()
    at.button(key="pp_keep").click().run()
    assert not at.exception and not at.error
    spec = PreprocessSpec.from_json(at.session_state["preprocess_specs"]["csv:survey"])
    assert spec.column_kinds[0] == ColumnKind("rating", "categorical")
    assert spec.merge_classes == (ClassMerge(("c", "d"), "rare"),)
