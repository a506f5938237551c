"""AppTest of the Baselines page: train on small data in a real background worker, watch it finish,
then read the leaderboard and the run's figures."""

import time

from streamlit.testing.v1 import AppTest

from core.datasets import LoadRequest
from tests.conftest import REPO

TIMEOUT = 60


def baselines_page(request: LoadRequest) -> AppTest:
    at = AppTest.from_file(str(REPO / "app_pages" / "baselines.py"), default_timeout=TIMEOUT)
    at.session_state["data_request"] = request
    return at.run()


def wait_for_runs(at: AppTest, models: set[str], seconds: float = 90) -> None:
    """Rerun the page (as its polling fragment would) until every model has a finished row."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        at.run()
        if at.dataframe:
            board = at.dataframe[0].value
            done = set(board.loc[board["status"].isin(["finished", "failed"]), "model"])
            if models <= done:
                return
        time.sleep(0.5)
    raise AssertionError(f"runs of {models} did not finish in {seconds} s")


def test_train_two_models_in_the_background_and_compare():
    at = baselines_page(LoadRequest("wine"))
    assert not at.exception and not at.error
    at.multiselect(key="bl_models").set_value(["logreg", "knn"]).run()
    at.number_input(key="bl_param_knn_n_neighbors").set_value(7).run()
    at.button(key="bl_train").click().run()
    assert not at.exception and not at.error
    wait_for_runs(at, {"logreg", "knn"})
    board = at.dataframe[0].value
    rows = board[board["model"].isin(["logreg", "knn"])]
    assert set(rows["status"]) == {"finished"}
    assert rows["test accuracy"].between(0.5, 1.0).all() and rows["split"].nunique() == 1
    assert len(at.get("plotly_chart")) >= 3  # confusion matrix, ROC, precision-recall of the chosen run
    at.toggle(key="bl_cm_norm").set_value(True).run()
    assert not at.exception
    # logreg and knn take one-hot columns under the default encoding auto; the Configuration tab says so
    assert "Categories encoded as: **onehot**" in [c.value for c in at.caption]


def test_stop_a_queued_or_running_run():
    at = baselines_page(LoadRequest("la-collisions", source="synthetic", rows=30_000))
    at.multiselect(key="bl_models").set_value(["rf"]).run()
    at.number_input(key="bl_param_rf_n_estimators").set_value(400).run()
    at.button(key="bl_train").click().run()
    stop_buttons = [b for b in at.button if b.key and b.key.startswith("bl_stop_")]
    assert stop_buttons, "an active run shows a Stop button"
    stop_buttons[0].click().run()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        at.run()
        board = at.dataframe[0].value if at.dataframe else None
        if board is not None and "stopped" in set(board["status"]):
            break
        time.sleep(0.5)
    else:
        raise AssertionError("the run did not end as stopped")
    assert not at.exception


def test_page_without_runs_explains_what_to_do():
    at = baselines_page(LoadRequest("toy2d", rows=120, options=(("pattern", "spiral"),)))
    assert not at.exception and not at.error
    assert any("No runs on this dataset yet" in i.value for i in at.info)


def test_the_caption_says_which_encoding_each_model_gets():
    from core.preprocess import PreprocessSpec

    at = baselines_page(LoadRequest("wine"))
    shown = " ".join(c.value for c in at.caption)
    assert "category codes for the tree models, one-hot columns for the others" in shown and "defaults" in shown
    at.session_state["preprocess_specs"] = {"wine": PreprocessSpec(encoding="onehot").to_json()}
    at.run()
    shown = " ".join(c.value for c in at.caption)
    assert "the spec kept on the Explore page (encoding onehot for every model)" in shown
