"""The current dataset changes only when a load succeeds, and every page's caption names the dataset, its file
and the target the runs will train."""

from streamlit.testing.v1 import AppTest

from core.datasets import LoadRequest
from core.preprocess import DerivedTarget, PreprocessSpec
from tests.conftest import REPO

TIMEOUT = 60


def page(name: str, request: LoadRequest, specs: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO / "app_pages" / f"{name}.py"), default_timeout=TIMEOUT)
    at.session_state["data_request"] = request
    if specs:
        at.session_state["preprocess_specs"] = specs
    return at.run()


def write(tmp_path, name, text) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_retargeting_from_the_results_switches_when_it_loads(tmp_path):
    rows = "\n".join(f"{i},{i % 3},{'a' if i % 2 else 'b'}" for i in range(40))
    request = LoadRequest("csv", source="file", path=write(tmp_path, "t.csv", "x,z,y\n" + rows), target="y")
    at = page("data", request)
    at.selectbox(key="data_retarget").set_value("z").run()
    assert at.session_state["data_request"].target == "z" and at.selectbox(key="data_retarget").value == "z"
    assert not at.exception


def test_a_load_that_fails_keeps_the_previous_dataset(tmp_path):
    at = page("data", LoadRequest("iris"))
    broken = write(tmp_path, "no-target.csv", "a,b\n1,\n2,\n3,\n")  # the last column, the target, is empty
    at.selectbox(key="data_name").set_value("csv").run()
    at.text_input(key="data_path_csv").set_value(broken).run()
    assert at.selectbox(key="data_target_csv").value == "b"
    at.button(key="data_load").click().run()
    assert at.session_state["data_request"].name == "iris"
    assert any("still using iris" in e.value for e in at.error), [e.value for e in at.error]
    assert at.text_input(key="data_path_csv").value == broken, "the form keeps what the user typed"
    assert any(h.value == "iris" for h in at.subheader), "the dataset in use is still shown"
    assert not at.exception


def test_the_caption_names_the_file_and_the_derived_target(tmp_path):
    rows = "\n".join(f"{i % 90},{i % 7},{'a' if i % 2 else 'b'}" for i in range(120))
    request = LoadRequest("csv", source="file", path=write(tmp_path, "ages.csv", "age,z,y\n" + rows), target="y")
    spec = PreprocessSpec(derived_target=DerivedTarget("age", (0, 25, 60, 120), ("Youth", "Adults", "Seniors")))
    at = page("baselines", request, {"csv:ages": spec.to_json()})
    caption = next(m.value for m in at.markdown if m.value.startswith("**csv:ages**"))
    assert "from `ages.csv`" in caption and "target **age group** (cut from age" in caption


def test_an_uploaded_file_that_fails_is_named_as_the_user_named_it():
    """Seen in Chromium: the error named '/tmp/.../uploads/df0185054159251/junk.csv' for an upload of junk.csv."""
    from core.uploads import save_uploads

    saved = save_uploads([("junk.csv", b"hello world\nthis is not a table\x00\x01\n")])
    at = page("data", LoadRequest("iris"))
    at.selectbox(key="data_name").set_value("csv").run()
    at.text_input(key="data_path_csv").set_value(str(saved)).run()  # the form reads it for its target box
    (error,) = [e.value for e in at.error]
    assert error.startswith("junk.csv: ") and "uploads" not in error
    assert at.session_state["data_request"].name == "iris"


def test_a_file_that_loads_but_cannot_split_keeps_the_previous_dataset(tmp_path):
    """Seen in Chromium: a one-class CSV became the current dataset, failed to split, and the page then dropped
    it for the default dataset without a word; a one-row CSV was offered a merge that cannot help."""
    at = page("data", LoadRequest("iris"))
    at.selectbox(key="data_name").set_value("csv").run()
    for name, text, said in [
        ("one-class.csv", "a,y\n" + "".join(f"{i},x\n" for i in range(40)), "has a single class"),
        ("one-row.csv", "a,y\n1,x\n", "too few rows to classify (1 row)"),
    ]:
        at.text_input(key="data_path_csv").set_value(write(tmp_path, name, text)).run()
        at.button(key="data_load").click().run()
        assert at.session_state["data_request"].name == "iris"
        (error,) = [e.value for e in at.error]
        assert error.startswith(f"csv:{name[:-4]}: target 'y'") and said in error, error
        assert error.endswith("(still using iris)"), error
        assert any(h.value == "iris" for h in at.subheader), "the dataset in use is still shown"
    assert not at.exception


def test_each_file_gets_its_own_name_in_runs(tmp_path):
    """Seen in Chromium: after one upload, the next file's 'Name in runs and reports' kept the first file's name."""
    at = page("data", LoadRequest("iris"))
    at.selectbox(key="data_name").set_value("csv").run()
    rows = "a,y\n" + "".join(f"{i},{'ab'[i % 2]}\n" for i in range(40))
    at.text_input(key="data_path_csv").set_value(write(tmp_path, "first.csv", rows)).run()
    assert at.text_input(key="data_label_csv").value == "csv:first"
    at.text_input(key="data_label_csv").set_value("my table").run()
    at.run()
    assert at.text_input(key="data_label_csv").value == "my table", "a rerun keeps what the user typed"
    at.text_input(key="data_path_csv").set_value(write(tmp_path, "second.csv", rows)).run()
    assert at.text_input(key="data_label_csv").value == "csv:second"
    assert not at.exception
