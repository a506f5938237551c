"""AppTest of a run's own controls (ui/run_manage.py) on the Baselines and Compare pages: rename, tag, annotate
and delete a run, see its label wherever it is named, its model to download, and the tag filter that lists its
tags. Scoring an uploaded file goes through core.scoring (tests/core/test_scoring.py): AppTest cannot upload."""

import pytest
from streamlit.testing.v1 import AppTest

from core.datasets import LoadRequest
from core.runs import RunNotFoundError, jobs
from core.training.config import RunConfig, create_run
from tests.conftest import REPO
from ui.run_store import run_store

TIMEOUT = 60


@pytest.fixture
def finished_run():
    """Makes finished runs in the pages' own store (TRAINBOARD_HOME is a temporary folder in tests) and deletes
    what is left of them afterwards: other page tests expect the store without them (Compare's first dataset,
    a Baselines page with no runs)."""
    made = []

    def make(request: LoadRequest, model: str = "logreg", training=None):
        store = run_store()
        config = RunConfig.build(request, model, training=training, seed=5)
        record = jobs.run_inline(create_run(store, config), store)
        assert record.status == "finished", record.error
        made.append(record.id)
        return store, record

    yield make
    for run_id in made:
        try:
            run_store().delete(run_id)
        except RunNotFoundError:
            pass


def page(name: str, request: LoadRequest | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO / "app_pages" / f"{name}.py"), default_timeout=TIMEOUT)
    if request is not None:
        at.session_state["data_request"] = request
    return at.run()


def test_rename_tag_note_and_delete_a_run_on_the_baselines_page(finished_run):
    request = LoadRequest("breast-cancer")
    store, record = finished_run(request)
    at = page("baselines", request)
    at.selectbox(key="bl_detail_run").set_value(record.id).run()
    assert not at.exception and not at.error
    at.text_input(key=f"bl_name_{record.id}").input("moons, first try")
    at.multiselect(key=f"bl_tags_{record.id}").set_value(["baseline", "moons"])
    at.text_area(key=f"bl_note_{record.id}").input("C=1; try rf next")
    at.button(key=f"bl_save_{record.id}").click().run()
    assert not at.exception and not at.error
    saved = store.get(record.id)
    assert (saved.name, saved.tags, saved.note) == ("moons, first try", ["baseline", "moons"], "C=1; try rf next")
    assert "logreg · moons, first try" in at.selectbox(key="bl_detail_run").options
    assert "logreg · moons, first try" in set(at.dataframe[0].value["label"])  # the leaderboard
    downloads = {b.proto.label for b in at.get("download_button")}
    assert {"Download model.joblib", "Download preprocess.joblib"} <= downloads

    assert at.button(key=f"bl_delete_{record.id}").disabled  # not without the "yes" first
    at.checkbox(key=f"bl_sure_{record.id}").check().run()
    at.button(key=f"bl_delete_{record.id}").click().run()
    assert not at.exception and not at.error
    with pytest.raises(RunNotFoundError):
        store.get(record.id)
    assert not store.artifacts_dir(record.id).exists()
    details = at.selectbox(key="bl_detail_run") if any(b.key == "bl_detail_run" for b in at.selectbox) else None
    assert details is None or "logreg · moons, first try" not in details.options


def test_a_bad_tag_is_refused_on_the_page_and_nothing_is_saved(finished_run):
    request = LoadRequest("breast-cancer")
    store, record = finished_run(request)
    at = page("baselines", request)
    at.selectbox(key="bl_detail_run").set_value(record.id).run()
    at.text_input(key=f"bl_name_{record.id}").input("kept?")
    at.multiselect(key=f"bl_tags_{record.id}").set_value(["a,b"])
    at.button(key=f"bl_save_{record.id}").click().run()
    assert any("has a comma" in e.value for e in at.error) and not at.exception
    assert store.get(record.id).name == ""


def test_compare_lists_the_tags_and_manages_any_run(finished_run):
    request = LoadRequest("breast-cancer")
    store, record = finished_run(request)
    store.annotate(record.id, name="xor run", tags=["compare-me"])
    at = page("compare")
    at.selectbox(key="cmp_dataset").set_value("breast-cancer").run()
    assert "compare-me" in at.multiselect(key="cmp_tags").options
    at.multiselect(key="cmp_tags").set_value(["compare-me"]).run()
    assert at.multiselect(key="cmp_runs").value == [record.id]
    assert "logreg · xor run" in at.multiselect(key="cmp_runs").options
    at.selectbox(key="cmp_manage_run").set_value(record.id).run()
    at.text_input(key=f"cmp_name_{record.id}").input("xor, renamed")
    at.button(key=f"cmp_save_{record.id}").click().run()
    assert not at.exception and not at.error
    assert store.get(record.id).name == "xor, renamed"
    assert "logreg · xor, renamed" in at.multiselect(key="cmp_runs").options


def test_a_network_run_is_named_and_its_weights_offered_on_the_neural_nets_page(finished_run):
    store, record = finished_run(LoadRequest("iris"), "mlp", training={"epochs": 2})
    at = page("neural_nets", LoadRequest("iris"))
    at.selectbox(key="nn_run_select").set_value(record.id).run()
    at.text_input(key=f"nn_name_{record.id}").input("two epochs")
    at.button(key=f"nn_save_{record.id}").click().run()
    assert not at.exception and not at.error
    assert store.get(record.id).label == "mlp · two epochs"
    assert "mlp · two epochs" in at.selectbox(key="nn_run_select").options
    downloads = {b.proto.label for b in at.get("download_button")}
    assert {"Download model.safetensors", "Download preprocess.joblib"} <= downloads
    assert any("sepal length (cm)" in c.value for c in at.caption), "the columns new rows need are named"
