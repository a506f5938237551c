"""AppTest of the Sweeps page on digits: a tiny space, a 3-trial study started from the page (its background
workers), the trials table and the plots with their empty states, the best configuration trained as a normal run,
the carry-over to a small MNIST in IDX files, and an empty range said in one line."""

import time

import optuna
import pytest
from streamlit.testing.v1 import AppTest

from core.datasets import LoadRequest
from core.plots.sweeps import sweep_figure
from core.sweeps.status import sweep_status
from tests.conftest import REPO, write_idx_set
from ui.run_store import run_store

PAGE = str(REPO / "app_pages" / "sweeps.py")
STUDY = "page-test"


def page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["data_request"] = LoadRequest(name="digits")
    return at.run()


def tiny_space(at: AppTest) -> AppTest:
    """mlp over lr and dropout (two ranges: every trial differs in both), 3 trials of 1 epoch on 200 rows."""
    at.selectbox(key="sw_model").set_value("mlp").run()
    at.multiselect(key="sw_names_mlp").set_value(["lr", "dropout"]).run()
    at.number_input(key="sw_dim_dropout_high").set_value(0.5)
    at.text_input(key="sw_name_mlp").set_value(STUDY)
    at.number_input(key="sw_trials").set_value(3)
    at.number_input(key="sw_limit").set_value(200)
    at.number_input(key="sw_epochs").set_value(1)
    return at.run()


def wait_until(done, seconds: float = 240.0) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(1.0)


def test_an_empty_range_is_said_in_one_line_and_start_waits_for_a_valid_space():
    at = page()
    assert not at.exception and not at.error
    at.selectbox(key="sw_model").set_value("mlp").run()
    at.multiselect(key="sw_names_mlp").set_value(["lr"]).run()
    at.number_input(key="sw_dim_lr_low").set_value(0.05)
    at.number_input(key="sw_dim_lr_high").set_value(0.001).run()
    assert not at.exception
    assert len(at.error) == 1 and "'lr'" in at.error[0].value and "empty" in at.error[0].value
    assert at.button(key="sw_start").disabled
    at.number_input(key="sw_dim_lr_high").set_value(0.1).run()
    assert not at.error and not at.button(key="sw_start").disabled
    at.multiselect(key="sw_names_mlp").set_value([]).run()
    assert len(at.error) == 1 and "no parameter" in at.error[0].value and at.button(key="sw_start").disabled
    assert at.selectbox(key="sw_sampler")  # the rest of the page is still there


def test_a_short_study_runs_from_the_page_then_its_best_run_and_carry_over(tmp_path):
    at = tiny_space(page())
    assert not at.exception and not at.error
    at.button(key="sw_start").click().run()
    assert not at.exception and not at.error
    assert at.selectbox(key="sw_study").value == STUDY
    wait_until(lambda: sweep_status(STUDY).done)
    status = sweep_status(STUDY)
    assert status.complete + status.failed == 3 and status.complete >= 2
    at.run()
    assert not at.exception and not at.error
    (table,) = [frame.value for frame in at.dataframe if "state" in frame.value.columns]
    assert len(table) == 3 and {"lr", "dropout", "accuracy", "run_id"} <= set(table.columns)
    assert "sw_trials_csv_page-test" in {b.key for b in at.get("download_button")}
    assert len(at.get("plotly_chart")) == 1  # the optimisation history
    for plot in ("parallel", "slice", "contour", "timeline"):
        at.button_group(key="sw_plot").set_value(plot).run()
        assert not at.exception and len(at.get("plotly_chart")) == 1, plot
    at.button_group(key="sw_plot").set_value("pareto").run()
    assert not at.get("plotly_chart") and any("second objective" in i.value for i in at.info)

    at.button(key=f"sw_best_{STUDY}").click().run()
    assert not at.exception and not at.error
    best_id = at.session_state["sw_best_runs"][STUDY]
    wait_until(lambda: not run_store().get(best_id).is_active)
    assert run_store().get(best_id).status == "finished"

    folder = tmp_path / "mnist"
    write_idx_set(folder, n_train=300, n_test=100)
    at.selectbox(key="sw_carry_dataset").set_value("mnist").run()
    at.selectbox(key="sw_carry_source_mnist").set_value("file").run()
    at.text_input(key="sw_carry_path").set_value(str(folder)).run()
    at.number_input(key="sw_carry_k").set_value(2).run()
    at.button(key=f"sw_carry_{STUDY}").click().run()
    assert not at.exception and not at.error
    carried = at.session_state["sw_carry_runs"][STUDY]
    wait_until(lambda: not any(run_store().get(i).is_active for i in carried))
    at.run()
    (both,) = [frame.value for frame in at.dataframe if "rank" in frame.value.columns]
    (carried_val,) = [c for c in both.columns if c.startswith("mnist") and c.endswith("val accuracy")]
    assert len(both) == 2 and both["digits val accuracy"].notna().all() and both[carried_val].notna().all()


@pytest.mark.parametrize("trials", [0, 1, 2])
def test_each_plot_says_why_it_is_not_there_yet(trials):
    study = optuna.create_study(direction="maximize")
    study.optimize(lambda t: t.suggest_float("x", 0, 1) + t.suggest_int("y", 1, 9), n_trials=trials)
    importances = sweep_figure("importances", study, ["validation accuracy"])
    assert isinstance(importances, str) and f"has {trials} so far" in importances
    if trials == 0:
        assert "no trial has started" in sweep_figure("timeline", study, ["validation accuracy"])
    single = optuna.create_study()
    single.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=4)
    assert "only x did" in sweep_figure("contour", single, ["log loss"])
