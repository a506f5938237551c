"""AppTest of the Compare page with real runs in the store: a classical pair and a network on one split, and a
run on other rows that must be kept apart; the figures, the pairwise test and the downloads."""

from streamlit.testing.v1 import AppTest

from core.datasets import LoadRequest
from core.runs import jobs
from core.training.config import RunConfig, create_run
from tests.conftest import REPO
from ui.run_store import run_store

TIMEOUT = 60


def train(store, model, limit=None, training=None):
    config = RunConfig.build(LoadRequest("digits"), model, limit=limit, training=training)
    return jobs.run_inline(create_run(store, config), store)


def test_compare_runs_within_a_split_and_export():
    store = run_store()  # the page's own store (TRAINBOARD_HOME is a temporary folder in tests)
    runs = [train(store, "logreg"), train(store, "rf"), train(store, "mlp", training={"epochs": 2})]
    other = train(store, "knn", limit=900)  # a sample: other rows, another split hash
    assert all(r.status == "finished" for r in [*runs, other])
    at = AppTest.from_file(str(REPO / "app_pages" / "compare.py"), default_timeout=TIMEOUT).run()
    assert not at.exception and not at.error
    assert at.selectbox(key="cmp_dataset").value == "digits"
    assert any("different" in w.value for w in at.warning), "runs on other rows are named, not mixed in"
    board = at.dataframe[0].value
    assert set(board["model"]) == {"logreg", "rf", "mlp"}, "the largest split group is compared first"
    assert len(at.get("plotly_chart")) >= 3
    assert any("points" in m.value for m in at.markdown), "the A vs B sentence is in plain words"
    at.toggle(key="cmp_params_diff").set_value(False).run()
    at.toggle(key="cmp_cm_norm").set_value(False).run()
    at.selectbox(key="cmp_roc_class").set_value("3").run()
    at.radio(key="cmp_group").set_value(1).run()
    assert set(at.dataframe[0].value["model"]) == {"knn"}
    at.radio(key="cmp_group").set_value(0).run()
    at.button(key="cmp_prepare").click().run()
    assert not at.exception and not at.error
    labels = {b.proto.label for b in at.get("download_button")}
    assert {"Leaderboard CSV", "Leaderboard JSON", "HTML report", "Repro pack (zip)"} <= labels


def test_empty_store_explains_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINBOARD_HOME", str(tmp_path))
    run_store.clear()
    try:
        at = AppTest.from_file(str(REPO / "app_pages" / "compare.py"), default_timeout=TIMEOUT).run()
        assert not at.exception
        assert any("No runs yet" in i.value for i in at.info)
    finally:
        run_store.clear()
