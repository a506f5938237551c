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


def test_profile_numbers_are_never_cut_and_undefined_reads_as_a_dash():
    """The Explore profile showed '118.3685' for -118.37 (the grid cut a too-narrow column from the left)."""
    from ui.number_table import UNDEFINED, column_widths, display_text, readable_number

    assert [readable_number(v) for v in (-118.3685, 104754.0381, 0.0196, 1.2e-5, 130104003.0, 3546, None)] == [
        "-118.368", "104754", "0.0196", "1.2e-05", "130104003", "3546", UNDEFINED,
    ]  # fmt: skip
    table = pd.DataFrame({"column": ["longitud", "Area_Name"], "mean": [-118.3685, float("nan")]})
    shown = display_text(table)
    assert shown["mean"].tolist() == ["-118.368", UNDEFINED]
    widths = column_widths(shown)
    assert widths["mean"]["width"] >= 8 * len("-118.368") and widths["column"]["width"] >= 8 * len("Area_Name")


def test_the_explore_profile_is_shown_with_fitting_columns_and_a_dash_placeholder():
    at = AppTest.from_file(str(REPO / "app_pages" / "explore.py"), default_timeout=120)
    at.session_state["data_request"] = LoadRequest("wine")
    at.run()
    assert not at.exception
    (profile,) = [frame for frame in at.dataframe if '"skew"' in frame.proto.columns]  # the profile's columns
    assert '"width"' in profile.proto.columns  # each column is given the width of its longest value
    assert profile.proto.placeholder == "—"
