"""Numbers display as numbers: small training values in %g (0.001, not 0.00), each bounded input says its
range, and the leaderboard writes "—" for what a run does not have."""

import pandas as pd
from streamlit.testing.v1 import AppTest

from core.datasets import LoadRequest
from tests.conftest import REPO


def test_small_training_values_keep_their_digits_and_bounds_are_said():
    at = AppTest.from_file(str(REPO / "app_pages" / "neural_nets.py"), default_timeout=60)
    at.session_state["data_request"] = LoadRequest("digits")
    at.run()
    lr = at.number_input(key="nn_train_lr")
    assert lr.value == 0.001 and lr.proto.format == "%g"
    assert at.number_input(key="nn_train_epochs").proto.format in ("", "%d")
    assert any(c.value.startswith("epochs: allowed 1 to") for c in at.caption)


def test_the_leaderboard_writes_a_dash_for_what_a_run_does_not_have():
    from ui.leaderboard_table import leaderboard_styler

    table = pd.DataFrame({"model": ["rf", "svc"], "test accuracy": [0.91234, None], "fit s": [1.5, None]})
    html = leaderboard_styler(table).to_html()
    assert "0.9123" in html and "1.50" in html and html.count("—") == 2 and "None" not in html
