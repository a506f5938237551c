"""Real tables without dead ends on the pages: a target with classes too small to split (the Data page still
shows the table; it and the training pages name the classes and offer the fix, which makes the next Train
work), and a table with nothing besides its target (Explore says so instead of failing)."""

from streamlit.testing.v1 import AppTest

from core.datasets import LoadRequest
from core.preprocess import PreprocessSpec
from tests.conftest import REAL_SAMPLE, REPO

TIMEOUT = 60


def page(name: str, request: LoadRequest) -> AppTest:
    at = AppTest.from_file(str(REPO / "app_pages" / f"{name}.py"), default_timeout=TIMEOUT)
    at.session_state["data_request"] = request
    return at.run()


def rare_table(tmp_path) -> LoadRequest:
    path = tmp_path / "kinds.csv"
    rows = [f"{i},{i % 4},{label}" for i, label in enumerate(["a"] * 40 + ["b"] * 40 + ["c"] * 2 + ["d"])]
    path.write_text("x,z,kind\n" + "\n".join(rows))
    return LoadRequest("csv", source="file", path=str(path), target="kind")


def test_the_data_page_shows_a_table_with_rare_classes_and_offers_the_fix(tmp_path):
    at = page("data", rare_table(tmp_path))
    assert not at.exception
    assert any("'c' (2 rows), 'd' (1 row)" in e.value for e in at.error)
    assert at.dataframe[-1].value.shape[0] == 20, "the table is still shown"
    at.button(key="data_merge_rare").click().run()
    spec = PreprocessSpec.from_json(at.session_state["preprocess_specs"]["csv:kinds"])
    assert spec.merge_rare_under == 3
    assert not at.error and "merges the classes under 3 rows ('c', 'd') into 'other'" in at.info[0].value, (
        "once pressed, the fix is said to hold instead of the error staying"
    )


def test_baselines_refuse_before_any_run_then_train_after_the_fix(tmp_path):
    at = page("baselines", rare_table(tmp_path))
    at.multiselect(key="bl_models").set_value(["logreg"]).run()
    at.button(key="bl_train").click().run()
    assert any("2 classes too small" in e.value for e in at.error) and not at.exception
    at.button(key="bl_merge_rare").click().run()
    at.button(key="bl_train").click().run()
    assert not at.error and not at.exception


def test_the_real_la_sample_with_its_rare_descent_classes(tmp_path):
    if not REAL_SAMPLE.exists():
        import pytest

        pytest.skip(f"the real LA sample is not at {REAL_SAMPLE}")
    at = page("data", LoadRequest("csv", source="file", path=str(REAL_SAMPLE), target="Victim_Descent"))
    message = next(e.value for e in at.error)
    assert "'I'" in message and "'J'" in message and "'Z'" in message, message


def test_a_table_with_nothing_besides_its_target_explores_and_says_why_it_cannot_train(tmp_path):
    for name, text in (("one.csv", "only\n1\n2\n3\n1\n2\n"), ("blank.csv", "a,b,y\n" + ",,p\n,,q\n" * 4)):
        path = tmp_path / name
        path.write_text(text)
        request = LoadRequest("csv", source="file", path=str(path), target=text.split("\n")[0].split(",")[-1])
        explore = page("explore", request)
        assert not explore.exception
        assert any("No columns besides the target" in i.value for i in explore.info)
        assert [e.value for e in explore.error] == [
            f"csv:{path.stem} has no feature columns besides the target '{request.target}'"
        ]


def test_the_fix_from_the_error_is_where_the_builder_starts(tmp_path):
    request = rare_table(tmp_path)
    data = page("data", request)
    data.button(key="data_merge_rare").click().run()
    explore = AppTest.from_file(str(REPO / "app_pages" / "explore.py"), default_timeout=TIMEOUT)
    explore.session_state["data_request"] = request
    explore.session_state["preprocess_specs"] = data.session_state["preprocess_specs"]
    explore.run()
    assert explore.number_input(key="pp_csv:kinds_kind_merge_rare").value == 3
