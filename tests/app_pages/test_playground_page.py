"""AppTest of the Playground page: step, play, change controls while it plays, add and remove layers and
neurons, switch data, the math panel, the link, bad input (no inputs, a bad CSV, a diverging learning rate),
the challenges, many seeds, sending a run to Neural Nets, and the logbook's exercises."""

import re
import time

from streamlit.testing.v1 import AppTest

from core.playground.setup import Setup
from core.runs import RunStore
from tests.conftest import REPO

TIMEOUT = 60


def playground_page(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO / "app_pages" / "playground.py"), default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def epoch(at: AppTest) -> int:
    text = next(m.value for m in at.markdown if m.value.startswith("#### Epoch"))
    return int(re.search(r"Epoch ([\d,]+)", text).group(1).replace(",", ""))


def table_with(at: AppTest, column: str):
    """The first table on the page that has `column` (tables have no keys in AppTest)."""
    return next(frame.value for frame in at.dataframe if column in frame.value.columns)


def test_step_play_and_change_controls_while_playing():
    at = playground_page()
    assert not at.exception and not at.error
    assert epoch(at) == 0 and len(at.get("image")) >= 3
    at.button(key="pg_step").click().run()
    assert epoch(at) == 1
    at.button(key="pg_play").click().run()
    assert at.session_state["pg_playing"] and at.button(key="pg_step").disabled
    first = epoch(at)
    at.run()
    at.run()
    assert epoch(at) == first + 2, "each redraw while playing trains one more epoch"
    at.select_slider(key="pg_lr").set_value(0.3).run()  # a live change: the same network goes on
    assert epoch(at) == first + 3 and at.query_params["lr"] == "0.3"
    at.select_slider(key="pg_speed").set_value(5).run()
    assert epoch(at) == first + 8
    at.button(key="pg_play").click().run()
    assert not at.session_state["pg_playing"]
    paused = epoch(at)
    at.run()
    assert epoch(at) == paused
    assert not at.exception and not at.error


def test_layers_neurons_data_and_the_link():
    at = playground_page()
    at.button(key="pg_add_layer").click().run()
    at.button(key="pg_more_2").click().run()
    assert at.query_params["hidden"] == "4,4,5"
    at.button(key="pg_fewer_0").click().run()
    at.button(key="pg_remove_layer").click().run()
    assert at.query_params["hidden"] == "3,4"
    at.selectbox(key="pg_act_1").set_value("relu").run()
    assert at.query_params["activations"] == "tanh,relu"
    at.selectbox(key="pg_dataset").set_value("spiral").run()
    at.pills(key="pg_features").set_value(["x1", "x2", "sin_x1"]).run()
    at.slider(key="pg_noise").set_value(20).run()
    at.button(key="pg_step").click().run()
    assert epoch(at) == 1 and not at.exception and not at.error
    assert any("Spiral, noise 20" in c.value for c in at.caption)
    # The link in the address bar holds the whole setup: opened afresh, it gives the same page.
    query = {key: at.query_params[key] for key in at.query_params}
    assert Setup.from_query(query)[0].features == ("x1", "x2", "sin_x1")
    again = playground_page(query)
    assert again.selectbox(key="pg_dataset").value == "spiral" and again.slider(key="pg_noise").value == 20
    assert again.pills(key="pg_features").value == ["x1", "x2", "sin_x1"]
    assert again.selectbox(key="pg_act_1").value == "relu"
    assert any(c.value == "layer 1: 3 neurons" for c in again.caption)
    at.selectbox(key="pg_problem").set_value("regression").run()
    assert at.selectbox(key="pg_dataset").value == "plane" and not at.error


def test_a_mistyped_link_says_what_it_did_not_use():
    at = playground_page({"lr": "fast", "dataset": "xor"})
    assert any("lr='fast'" in w.value for w in at.warning)
    assert at.selectbox(key="pg_dataset").value == "xor" and not at.exception


def test_the_math_panel_shows_the_last_step():
    at = playground_page()
    at.toggle(key="pg_show_math").set_value(True).run()
    assert any("Press Step" in i.value for i in at.info)
    at.button(key="pg_step").click().run()
    at.selectbox(key="pg_math_neuron").set_value(("hidden2", 1)).run()
    table = table_with(at, "x (first example of the batch)")
    assert list(table["input"]) == ["layer 1 1", "layer 1 2", "layer 1 3", "layer 1 4"]
    said = " ".join(m.value for m in at.markdown)
    assert "a = tanh(z)" in said and "z = Σ w·x + b" in said


def test_no_inputs_a_bad_csv_and_a_diverging_rate_each_say_so_and_the_page_keeps_working(tmp_path):
    at = playground_page()
    at.pills(key="pg_features").set_value([]).run()
    assert [e.value for e in at.error] == [
        "features: select at least one input feature (x1, x2, ...) for the network to see"
    ]
    at.button(key="pg_step").click().run()
    assert epoch(at) == 1, "the last working network still trains"
    at.pills(key="pg_features").set_value(["x1", "x2"]).run()
    bad = tmp_path / "four.csv"
    bad.write_text("a,b,c,d\n1,2,3,4\n")
    at.session_state["pg_source"] = str(bad)
    at.selectbox(key="pg_dataset").set_value("csv").run()
    assert any(e.value.startswith("four.csv: has 4 columns") for e in at.error) and not at.exception
    good = tmp_path / "good.csv"
    good.write_text("a,b,label\n" + "\n".join(f"{i},{i % 7},{'yes' if i % 7 > 3 else 'no'}" for i in range(40)))
    at.session_state["pg_source"] = str(good)
    at.run()
    at.button(key="pg_step").click().run()
    at.button(key="pg_step").click().run()
    assert epoch(at) == 2 and not at.error, "a rerun does not restart training on the user's points"
    assert any("good.csv: 40 rows" in c.value for c in at.caption)
    at.selectbox(key="pg_dataset").set_value("circle").run()
    assert not at.error
    at.selectbox(key="pg_problem").set_value("regression").run()
    at.selectbox(key="pg_act_0").set_value("linear").run()
    at.selectbox(key="pg_act_1").set_value("linear").run()
    at.select_slider(key="pg_lr").set_value(10.0).run()
    for _ in range(20):
        at.button(key="pg_step").click().run()
    assert any("diverged at epoch" in e.value for e in at.error)
    at.select_slider(key="pg_lr").set_value(0.01).run()
    at.button(key="pg_reset").click().run()
    at.button(key="pg_step").click().run()
    assert epoch(at) == 1 and not any("diverged" in e.value for e in at.error) and not at.exception


def test_a_challenge_many_seeds_and_send_to_neural_nets():
    at = playground_page({"dataset": "xor", "features": "x1,x2,x1x2", "hidden": "2", "activations": "tanh"})
    at.selectbox(key="pg_challenge").set_value("xor_two").run()
    assert any(i.value.startswith("Not yet: test loss") for i in at.info)
    at.select_slider(key="pg_speed").set_value(20).run()
    at.button(key="pg_play").click().run()
    for _ in range(5):
        at.run()
    at.button(key="pg_play").click().run()
    assert any("Challenge met!" in s.value and "2 hidden neurons" in s.value for s in at.success)
    at.number_input(key="pg_seeds").set_value(3).run()
    at.number_input(key="pg_seed_epochs").set_value(20).run()
    at.button(key="pg_study_start").click().run()
    deadline = time.monotonic() + 60
    while at.session_state["pg_study"].running and time.monotonic() < deadline:
        time.sleep(0.2)
    at.run()
    assert any("of 3 seeds reach test loss" in c.value for c in at.caption)
    at.button(key="pg_send").click().run()  # epochs left empty: as many as the Playground trained
    assert not at.error and any("is training in the background" in s.value for s in at.success)
    run = RunStore().get(at.session_state["pg_sent"])
    assert run.model == "numpy-mlp" and run.params["hidden"] == "2"
    assert run.config["training"]["epochs"] == epoch(at) > 1


def test_the_logbook_exercises_tab():
    at = playground_page()
    said = " ".join(m.value for m in at.markdown)
    assert "AND, linear unit: cost below 0.09 first at epoch **18**" in said
    assert "XOR, tanh hidden units: cost below 0.05 first at epoch **104**" in said
    assert "decoder, sigmoid before softmax: cost below 0.1 never" in said
    weights = table_with(at, "w2")
    assert len(weights) == 70 and list(weights.columns) == ["cost", "w1", "w2", "b"]
    at.text_input(key="pg_and_weights").set_value("0.5, 0.5").run()
    at.number_input(key="pg_and_lr").set_value(0.3).run()
    assert table_with(at, "w2")["w1"].iloc[0] != weights["w1"].iloc[0]
    at.text_input(key="pg_xor_weights").set_value("1, 2").run()
    assert any("weights: XOR takes 6 numbers" in e.value for e in at.error) and not at.exception
