""" "Send to Neural Nets": the Playground's network and settings as a normal run in the run store.

The points (train and test together) and the chosen input features become a CSV saved like an upload, so
the run loads them by path as any CSV run does; the run store splits them into its own train, validation and
test sets. The network keeps its layers, activations, dropout, starting-weight range, batch size and learning
rate with plain SGD; its output becomes two softmax classes trained with cross-entropy (how every classifier
in the store is evaluated), where the Playground has one tanh unit and the squared error.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from core.datasets import LoadRequest
from core.errors import TrainboardError
from core.playground.build import WEIGHT_RANGE
from core.playground.session import Playground
from core.training.config import RunConfig, create_run
from core.uploads import save_uploads

ENGINES = {"numpy-mlp": "NumPy engine", "mlp": "PyTorch"}
NO_SCALING = '{"scaling": "none"}'  # the features as the Playground feeds them


def points_table(playground: Playground) -> pd.DataFrame:
    """Every point's input features and its class ("+1" or "-1"), train rows first."""
    data = playground.data
    features = np.vstack([playground.train_x, playground.test_x])
    labels = np.concatenate([data.train_labels, data.test_labels])
    table = pd.DataFrame(features, columns=list(playground.setup.features))
    table["label"] = np.where(labels > 0, "+1", "-1")
    return table


def run_config(playground: Playground, model: str = "numpy-mlp", epochs: int | None = None) -> RunConfig:
    """The run that trains this setup on Neural Nets; TrainboardError when it has no equivalent there."""
    s = playground.setup
    if model not in ENGINES:
        raise TrainboardError(f"send to Neural Nets: model {model!r} is not one of {', '.join(ENGINES)}")
    if s.problem != "classification":
        raise TrainboardError("send to Neural Nets: Neural Nets trains classifiers; a regression setup stays here")
    if s.residual:
        raise TrainboardError("send to Neural Nets: its MLPs have no skip connections; turn residual off to send")
    buffer = io.StringIO()
    points_table(playground).to_csv(buffer, index=False)
    path = save_uploads([(f"playground-{s.dataset}.csv", buffer.getvalue().encode())])
    training = {
        "epochs": epochs or max(playground.epoch, 1),
        "batch_size": s.batch_size,
        "optimizer": "sgd",
        "momentum": 0.0,
        "lr": s.lr,
        "weight_decay": s.regularization_rate if s.regularization == "l2" else 0.0,
        "l1": s.regularization_rate if s.regularization == "l1" else 0.0,
        "init": "uniform",
        "init_scale": WEIGHT_RANGE,
    }
    params = {
        "hidden": ",".join(map(str, s.hidden)) or "none",
        "activation": ",".join(s.activations) or "relu",
        "dropout": s.dropout,
    }
    request = LoadRequest("csv", source="file", path=str(path), target="label")
    return RunConfig.build(request, model, params, NO_SCALING, seed=s.weight_seed, training=training)


def send_to_runs(playground: Playground, store, model: str = "numpy-mlp", epochs: int | None = None) -> str:
    """Register the run (queued) in `store` and return its id; the caller starts it (jobs.submit or run_inline)."""
    return create_run(store, run_config(playground, model, epochs))
