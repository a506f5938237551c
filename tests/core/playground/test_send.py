"""Send to Neural Nets: the Playground's network becomes a normal run in the store, trained by either engine."""

import pandas as pd
import pytest

from core.errors import TrainboardError
from core.playground.send import points_table, run_config, send_to_runs
from core.playground.session import Playground
from core.playground.setup import Setup
from core.runs import RunStore, jobs


@pytest.fixture
def store(tmp_path):
    return RunStore(tmp_path / "runs.db")


def test_the_points_table_holds_the_chosen_inputs_and_the_classes():
    playground = Playground(Setup(dataset="xor", features=("x1", "x1x2")))
    table = points_table(playground)
    assert list(table.columns) == ["x1", "x1x2", "label"] and len(table) == 500
    assert set(table["label"]) == {"+1", "-1"}


@pytest.mark.parametrize("model", ["numpy-mlp", "mlp"])
def test_a_sent_setup_trains_as_a_normal_run(store, model):
    playground = Playground(Setup(dataset="circle", hidden=(4, 3), activations=("tanh", "relu"), lr=0.1))
    playground.step(2)
    run_id = send_to_runs(playground, store, model, epochs=3)
    record = jobs.run_inline(run_id, store)
    assert record.status == "finished", record.error
    assert record.params["hidden"] == "4,3" and record.params["activation"] == "tanh,relu"
    training = record.config["training"]
    assert training["optimizer"] == "sgd" and training["lr"] == 0.1 and training["epochs"] == 3
    assert training["init"] == "uniform" and training["init_scale"] == 0.5 and training["batch_size"] == 10
    saved = pd.read_csv(record.config["dataset"]["path"])
    assert len(saved) == 500 and record.metrics["test"]["accuracy"] > 0.4


def test_what_neural_nets_cannot_train_is_refused_with_a_reason():
    with pytest.raises(TrainboardError, match="a regression setup stays here"):
        run_config(Playground(Setup(dataset="plane")))
    with pytest.raises(TrainboardError, match="turn residual off"):
        run_config(Playground(Setup(residual=True)))
