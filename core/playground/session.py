"""A Playground network trained one epoch at a time, and what the page draws from it.

An epoch is what one press of Step does in TensorFlow Playground: every training point once, in batches, with a
plain gradient step after each batch; then the train and test loss (half the mean squared error, the
Playground's) are measured on all points with dropout off.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.playground.build import build_network
from core.playground.data import BOUNDS, PlaygroundData, PointSet, generate, split
from core.playground.features import feature_matrix
from core.playground.setup import Setup
from core.scratch.batches import epoch_batches
from core.scratch.losses import HalfSquaredError
from core.scratch.optimizers import SGD
from core.scratch.regularizers import REGULARIZERS

# Changing these keeps the weights and goes on training (the point is to watch what the change does); any other
# change builds a new network, and a change of data also draws new points.
LIVE_FIELDS = {"lr", "regularization", "regularization_rate", "batch_size", "dropout", "show_test", "discretize"}
DATA_FIELDS = {"dataset", "problem", "noise", "train_ratio", "data_seed", "source"}
DIVERGED_LOSS = 1e6  # a regression loss past this is not coming back


@dataclass(frozen=True)
class NeuronMath:
    """One neuron at the last training step, for the first example of the last batch: its inputs, weights and
    bias, z = w·x + b, a = f(z); and the batch-mean gradients the step used (with the regularisation's)."""

    unit: str
    neuron: int
    activation: str
    inputs: np.ndarray
    weights: np.ndarray
    bias: float
    pre_activation: float
    output: float
    weight_gradients: np.ndarray
    bias_gradient: float
    learning_rate: float


@dataclass(frozen=True)
class Surface:
    """The plane sampled on a resolution x resolution grid (row i is x2 = ys[i]): the network's output, each
    hidden column's neurons (one array per unit, neurons x rows x columns), and each input feature."""

    xs: np.ndarray
    ys: np.ndarray
    output: np.ndarray
    neurons: list[np.ndarray]
    features: np.ndarray


class Playground:
    def __init__(self, setup: Setup, points: PointSet | None = None) -> None:
        """`points` are the user's (CSV, real data); otherwise the setup's pattern is generated."""
        self.setup = setup.checked()
        self.user_points = points
        self._load_data()
        self.reset()

    # --- state
    def _load_data(self) -> None:
        s = self.setup
        points = self.user_points if self.user_points is not None else generate(s.dataset, s.noise, s.data_seed)
        self.data: PlaygroundData = split(points, s.train_ratio, s.data_seed)
        self.bounds = _bounds(points.points)
        self.train_x = feature_matrix(self.data.train_points, s.features)
        self.test_x = feature_matrix(self.data.test_points, s.features)

    def reset(self) -> None:
        """A new network with the setup's starting weights, at epoch 0."""
        s = self.setup
        self.network, self.units, self.dropouts = build_network(s, len(s.features), s.weight_seed)
        self.optimizer = SGD(s.lr)
        self.loss = HalfSquaredError()
        self._order_rng = np.random.default_rng([s.weight_seed, 1])
        self.epoch = 0
        self.diverged: str | None = None
        self.last_step: dict[str, dict] = {}
        train_loss, test_loss = self.losses()
        self.history: list[tuple[int, float, float]] = [(0, train_loss, test_loss)]

    def apply(self, setup: Setup, points: PointSet | None = None) -> str:
        """Take a changed setup and its user's points (None for a generated set): "kept" (training goes on with
        these weights), "reset" (a new network) or "new data" (new points too). The setup's `source` names the
        user's points, so `points` are taken only when the data fields changed (a page's cache hands back an
        equal copy on every rerun, which must not restart training)."""
        setup = setup.checked()
        changed = {name for name in setup.__dataclass_fields__ if getattr(setup, name) != getattr(self.setup, name)}
        self.setup = setup
        if changed & DATA_FIELDS:
            self.user_points = points
        if changed <= LIVE_FIELDS:
            self.optimizer.lr = setup.lr
            for dropout in self.dropouts:
                dropout.p = setup.dropout
            return "kept"
        if changed & DATA_FIELDS or "features" in changed:
            self._load_data()
            self.reset()
            return "new data" if changed & DATA_FIELDS else "reset"
        self.reset()
        return "reset"

    # --- training
    def step(self, epochs: int = 1) -> None:
        """Train `epochs` more epochs (none once diverged)."""
        for _ in range(epochs):
            if self.diverged:
                return
            with np.errstate(all="ignore"):  # an overflow is a divergence, reported as such below
                self._train_epoch()
            self.epoch += 1
            train_loss, test_loss = self.losses()
            self.history.append((self.epoch, train_loss, test_loss))
            self._check_divergence(train_loss)

    def _train_epoch(self) -> None:
        s = self.setup
        penalty = REGULARIZERS[s.regularization](s.regularization_rate) if s.regularization != "none" else None
        batches = epoch_batches(len(self.train_x), s.batch_size, self._order_rng)
        for number, rows in enumerate(batches):
            outputs = self.network.forward(self.train_x[rows], training=True)
            _, grad = self.loss(outputs, self.data.train_labels[rows])
            self.network.backward(grad)
            params = [array for _, array in self.network.parameters()]
            grads = self.network.gradients()
            if penalty is not None:  # on weights only, as the Playground (and core/scratch/regularizers) do
                grads = [g + penalty.gradient(p) if p.ndim > 1 else g for p, g in zip(params, grads, strict=True)]
            if number == len(batches) - 1:
                self.last_step = self._record_step(penalty)
            self.optimizer.step(params, grads)

    def _record_step(self, penalty) -> dict[str, dict]:
        """Copies of what each unit saw and computed in this batch, before the weights move; the weight
        gradients are the ones the step uses (the penalty's included)."""
        extra = (lambda w: penalty.gradient(w)) if penalty is not None else (lambda w: 0.0)
        return {
            unit.name: {
                "inputs": unit.dense.x[0].copy(),
                "weights": unit.dense.params["weight"].copy(),
                "bias": unit.dense.params["bias"].copy(),
                "pre_activation": unit.activation.x[0].copy(),
                "output": unit.activation.y[0].copy(),
                "weight_gradients": unit.dense.grads["weight"] + extra(unit.dense.params["weight"]),
                "bias_gradients": unit.dense.grads["bias"].copy(),
            }
            for unit in self.units
        }

    def _check_divergence(self, train_loss: float) -> None:
        weights_finite = all(np.isfinite(array).all() for _, array in self.network.parameters())
        if math.isfinite(train_loss) and train_loss < DIVERGED_LOSS and weights_finite:
            return
        what = f"the train loss is {train_loss:.3g}" if weights_finite else "weights became infinite or NaN"
        self.diverged = (
            f"diverged at epoch {self.epoch}: {what}. Learning rate {self.setup.lr:g} is too large for this "
            "network; lower it and press Reset"
        )

    # --- what the page shows
    def predict(self, x: np.ndarray) -> np.ndarray:
        return self.network.forward(x)[:, 0]

    def losses(self) -> tuple[float, float]:
        """(train, test) loss of the current weights, dropout off."""
        with np.errstate(all="ignore"):
            return (
                self.loss(self.network.forward(self.train_x)[:, :1], self.data.train_labels)[0],
                self.loss(self.network.forward(self.test_x)[:, :1], self.data.test_labels)[0],
            )

    def surface(self, resolution: int = 50) -> Surface:
        """Every neuron's output over the plane (see Surface)."""
        xs = np.linspace(self.bounds[0], self.bounds[1], resolution)
        ys = np.linspace(self.bounds[2], self.bounds[3], resolution)
        grid_x1, grid_x2 = np.meshgrid(xs, ys)
        x = feature_matrix(np.c_[grid_x1.ravel(), grid_x2.ravel()], self.setup.features)
        shape = (resolution, resolution)
        ends = {unit.output_index: unit for unit in self.units}
        columns = []
        with np.errstate(all="ignore"):
            values = x
            for index, (_, layer) in enumerate(self.network.layers):
                values = layer.forward(values, training=False)
                if index in ends:
                    columns.append(values.T.reshape(-1, *shape))
        return Surface(xs, ys, columns[-1][0], columns[:-1], x.T.reshape(-1, *shape))

    def neuron_math(self, unit: str, neuron: int) -> NeuronMath | None:
        """The math of one neuron at the last step; None before the first step."""
        record = self.last_step.get(unit)
        if record is None:
            return None
        activation = next(u.activation for u in self.units if u.name == unit)
        return NeuronMath(
            unit,
            neuron,
            activation.kind,
            record["inputs"],
            record["weights"][:, neuron],
            float(record["bias"][neuron]),
            float(record["pre_activation"][neuron]),
            float(record["output"][neuron]),
            record["weight_gradients"][:, neuron],
            float(record["bias_gradients"][neuron]),
            self.setup.lr,
        )

    def weights(self) -> list[np.ndarray]:
        """Each unit's weight matrix (inputs x neurons), input side first: the diagram's links."""
        return [unit.dense.params["weight"] for unit in self.units]

    def accuracy(self) -> tuple[float, float] | None:
        """(train, test) share of points on the right side of 0, for class problems."""
        if self.setup.problem != "classification":
            return None
        with np.errstate(all="ignore"):
            return tuple(
                float((np.sign(self.predict(x)) == labels).mean())
                for x, labels in ((self.train_x, self.data.train_labels), (self.test_x, self.data.test_labels))
            )


def _bounds(points: np.ndarray) -> tuple[float, float, float, float]:
    """The plane shown: the Playground's -6..6, widened to take in every point."""
    low = np.minimum(points.min(axis=0), BOUNDS[0])
    high = np.maximum(points.max(axis=0), BOUNDS[1])
    return float(low[0]), float(high[0]), float(low[1]), float(high[1])
