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


def test_a_change_of_dataset_shows_its_runs_and_a_run_left_out_is_named(tmp_path, monkeypatch):
    """Seen: 'No run matches these filters' after a dataset change while four runs matched, and a stopped run
    chosen on the page silently missing from the comparison."""
    monkeypatch.setenv("TRAINBOARD_HOME", str(tmp_path))
    run_store.clear()
    try:
        store = run_store()
        train(store, "logreg")  # digits
        iris = [
            jobs.run_inline(create_run(store, RunConfig.build(LoadRequest("iris"), m)), store) for m in ("logreg", "rf")
        ]
        stopped = create_run(store, RunConfig.build(LoadRequest("iris"), "knn"))
        store.request_stop(stopped)  # stopped while queued: no results
        at = AppTest.from_file(str(REPO / "app_pages" / "compare.py"), default_timeout=TIMEOUT).run()
        assert at.selectbox(key="cmp_dataset").value == "digits"
        at.selectbox(key="cmp_dataset").set_value("iris").run()
        assert not at.exception and not [i for i in at.info if "No run matches" in i.value]
        assert set(at.multiselect(key="cmp_runs").value) == {r.id for r in iris}
        assert set(at.dataframe[0].value["model"]) == {"logreg", "rf"}
        at.multiselect(key="cmp_status").set_value(["finished", "stopped"]).run()
        assert stopped in at.multiselect(key="cmp_runs").value  # a run that has just come to match is chosen
        assert any("Not in the comparison" in c.value and "knn" in c.value and "stopped" in c.value for c in at.caption)
        at.multiselect(key="cmp_runs").set_value([]).run()
        assert any("choose the ones to compare" in i.value for i in at.info)  # not "No run matches"
    finally:
        run_store.clear()
