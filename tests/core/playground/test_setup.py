"""A setup is checked field by field, and its URL form gives the same setup back."""

import pytest

from core.errors import TrainboardError
from core.playground.setup import Setup


def test_url_round_trip_of_a_setup_far_from_the_defaults():
    setup = Setup(
        dataset="plane",
        problem="regression",
        noise=25,
        train_ratio=70,
        batch_size=3,
        data_seed=4,
        features=("x1", "x2", "sin_x1"),
        hidden=(8, 2, 5),
        activations=("relu", "linear", "sigmoid"),
        lr=0.3,
        regularization="l1",
        regularization_rate=0.003,
        dropout=0.2,
        residual=True,
        weight_seed=9,
        show_test=True,
        discretize=True,
    ).checked()
    query = setup.to_query()
    assert all(isinstance(value, str) for value in query.values())
    again, problems = Setup.from_query(query)
    assert problems == [] and again == setup


def test_the_default_setup_has_an_empty_query_and_no_hidden_layers_survive_the_url():
    assert Setup().to_query() == {}
    none = Setup(hidden=(), activations=()).checked()
    assert Setup.from_query(none.to_query()) == (none, [])


def test_a_mistyped_link_keeps_the_defaults_and_says_which_parameter():
    setup, problems = Setup.from_query({"lr": "fast", "noise": "80", "hidden": "4,9", "dataset": "xor"})
    assert setup.dataset == "xor" and setup.lr == Setup().lr and setup.hidden == Setup().hidden
    assert len(problems) == 3
    assert any("lr='fast'" in p for p in problems) and any("noise 80" in p for p in problems)
    assert any("hidden layer 2 9" in p for p in problems)


def test_checked_orders_features_fills_activations_and_takes_the_sets_problem():
    setup = Setup(dataset="plane", features=("x2", "x1"), hidden=(3, 3, 3), activations=("relu",)).checked()
    assert setup.features == ("x1", "x2") and setup.activations == ("relu",) * 3
    assert setup.problem == "regression" and setup.neurons == 9


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"features": ()}, "features: select at least one"),
        ({"features": ("x3",)}, "features: x3 not one of"),
        ({"hidden": (4,) * 7}, "hidden layers: 7; at most 6"),
        ({"hidden": (9,)}, "hidden layer 1 9: must be between 1 and 8"),
        ({"activations": ("softsign", "tanh")}, "activation 'softsign'"),
        ({"lr": 20.0}, "learning rate 20"),
        ({"batch_size": 0}, "batch size 0"),
        ({"regularization": "l3"}, "regularization 'l3'"),
    ],
)
def test_each_bad_field_is_named(fields, message):
    with pytest.raises(TrainboardError, match=message):
        Setup(**fields).checked()
