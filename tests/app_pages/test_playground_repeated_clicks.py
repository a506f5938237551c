"""The Playground's buttons when Streamlit delivers one click to a callback twice, as it can while playing (the
click is replayed into the fragment rerun queued behind it; seen in Chromium): the second delivery changes nothing."""

from types import SimpleNamespace

import pytest

from ui import playground_controls as controls
from ui.playground_state import ACTIVATIONS, HIDDEN, PLAYING


@pytest.fixture
def state(monkeypatch):
    session_state = {HIDDEN: [4, 4], ACTIVATIONS: ["tanh", "relu"], PLAYING: True, "pg_weight_seed": 3}
    monkeypatch.setattr(controls, "st", SimpleNamespace(session_state=session_state))
    return session_state


@pytest.mark.parametrize(
    "callback, args, key, expected",
    [
        (controls._set_playing, (False,), PLAYING, False),  # Pause stays paused (a toggle played again)
        (controls._resize, (0, 5), HIDDEN, [5, 4]),  # + is one neuron more, not two
        (controls._add_layer, (2,), HIDDEN, [4, 4, 4]),
        (controls._remove_layer, (2,), HIDDEN, [4]),
        (controls._set, ("pg_weight_seed", 4), "pg_weight_seed", 4),  # Reset: the next seed, not the one after
    ],
)
def test_a_click_delivered_twice_acts_once(state, callback, args, key, expected):
    callback(*args)
    callback(*args)
    assert state[key] == expected


def test_an_added_layer_takes_the_last_activation_once(state):
    controls._add_layer(2)
    controls._add_layer(2)
    assert state[ACTIVATIONS] == ["tanh", "relu", "relu"]
