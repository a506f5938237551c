"""AppTest of the Neural Nets page: the form and its cost preview, a preset, a short run in a real background
worker watched to the end, and the run's results (curves, per-class accuracy, misclassified images)."""

import time

from streamlit.testing.v1 import AppTest

from core.datasets import LoadRequest
from tests.conftest import REPO

TIMEOUT = 60


def neural_nets_page(request: LoadRequest) -> AppTest:
    at = AppTest.from_file(str(REPO / "app_pages" / "neural_nets.py"), default_timeout=TIMEOUT)
    at.session_state["data_request"] = request
    return at.run()


def wait_until_ended(at: AppTest, seconds: float = 120) -> str:
    """Rerun the page (as its polling fragment would) until the shown run has ended; returns its status."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        at.run()
        status = next(c.value for c in at.caption if c.value.startswith("Status: ")).removeprefix("Status: ").strip("*")
        if status not in ("queued", "running"):
            return status
        time.sleep(0.5)
    raise AssertionError(f"the run did not end in {seconds} s")


def test_train_a_small_network_and_read_its_results():
    at = neural_nets_page(LoadRequest("digits"))
    assert not at.exception and not at.error
    assert any("parameters" in m.value for m in at.markdown), "the cost preview shows the parameter count"
    at.selectbox(key="nn_model").set_value("lenet").run()
    assert any("too small" in e.value for e in at.error), "8x8 digits are too small for LeNet's pools"
    assert at.button(key="nn_train").disabled, "a network that cannot be built cannot be trained"
    at.selectbox(key="nn_model").set_value("mlp").run()
    at.number_input(key="nn_train_epochs").set_value(3).run()
    at.number_input(key="nn_train_batch_size").set_value(64).run()
    assert not at.error
    at.button(key="nn_train").click().run()
    assert wait_until_ended(at) == "finished"
    assert not at.exception and not at.error
    titles = " ".join(str(chart.proto.spec) for chart in at.get("plotly_chart"))
    assert "Learning curves" in titles and "Planned learning rate" in titles
    assert "Validation F1 (micro) and ROC AUC per epoch" in titles
    board = at.dataframe[-1].value  # the leaderboard comes last, every family of this dataset in it
    networks = board[(board["family"] == "torch") & (board["status"] == "finished")]
    assert not networks.empty and networks["test accuracy"].max() > 0.8
    at.slider(key="nn_smoothing").set_value(0.5).run()
    at.selectbox(key="nn_wrong_true").set_value("3").run()
    assert not at.exception


def test_a_preset_fills_the_form():
    at = neural_nets_page(LoadRequest("digits"))
    at.selectbox(key="nn_preset").set_value("mlp-relu-sgdm-uniform").run()
    assert not at.exception
    assert at.selectbox(key="nn_model").value == "mlp"
    assert at.selectbox(key="nn_train_optimizer").value == "momentum"
    assert at.selectbox(key="nn_train_init").value == "uniform01"
    assert at.number_input(key="nn_train_lr").value == 0.1
    assert at.selectbox(key="nn_train_schedule").value == "reference"
    assert at.number_input(key="nn_train_loss_cap").value == 0.0, "its exploding loss stays on the curve"
    assert any("1.37e5" in c.value for c in at.caption)


def test_a_diverged_run_explains_the_likely_causes():
    at = neural_nets_page(LoadRequest("digits"))
    at.selectbox(key="nn_preset").set_value("mlp-relu-sgdm-uniform").run()
    at.number_input(key="nn_train_epochs").set_value(1).run()
    at.number_input(key="nn_train_loss_cap").set_value(1e4).run()  # the default cap (the preset turns it off)
    at.button(key="nn_train").click().run()
    assert wait_until_ended(at) == "diverged"
    assert any("diverged" in e.value for e in at.error)
    assert any("he_uniform" in m.value for m in at.markdown), "the likely cause and its fix are named"


def test_the_numpy_engine_beside_the_torch_zoo():
    at = neural_nets_page(LoadRequest("digits"))
    options = at.selectbox(key="nn_model").options
    assert {"Multilayer perceptron, from scratch (numpy-mlp) · NumPy engine", "Multilayer perceptron (mlp)"} <= set(
        options
    )
    at.selectbox(key="nn_model").set_value("numpy-cnn").run()
    assert any("too small" in e.value for e in at.error) and at.button(key="nn_train").disabled
    at.selectbox(key="nn_model").set_value("numpy-mlp").run()
    assert any("From scratch: the NumPy engine" in c.value for c in at.caption)
    assert any("parameters" in m.value for m in at.markdown), "the same cost preview as for torch models"
    at.checkbox(key="nn_train_hflip").check().run()
    assert any("it ignores hflip" in c.value for c in at.caption)
    at.checkbox(key="nn_train_hflip").uncheck().run()
    at.number_input(key="nn_train_epochs").set_value(3).run()
    at.number_input(key="nn_train_batch_size").set_value(32).run()
    at.selectbox(key="nn_train_dtype").set_value("float64").run()
    at.button(key="nn_train").click().run()
    assert wait_until_ended(at) == "finished"
    assert not at.exception and not at.error
    titles = " ".join(str(chart.proto.spec) for chart in at.get("plotly_chart"))
    assert "Learning curves" in titles
    board = at.dataframe[-1].value
    numpy_runs = board[(board["family"] == "numpy") & (board["status"] == "finished")]
    assert not numpy_runs.empty and numpy_runs["test accuracy"].max() > 0.8
    at.selectbox(key="nn_model").set_value("mlp").run()
    assert not at.exception, "switching engines keeps the layer table and its settings"


def test_the_from_scratch_preset_fills_the_layer_table():
    at = neural_nets_page(LoadRequest("digits"))
    at.selectbox(key="nn_preset").set_value("numpy-mlp-fashion").run()
    assert not at.exception
    assert at.selectbox(key="nn_model").value == "numpy-mlp"
    assert at.selectbox(key="nn_train_optimizer").value == "nadam"
    table = at.session_state["nn_layers"]
    assert table["neurons"].tolist() == [128, 128, 128] and set(table["activation"]) == {"relu"}
