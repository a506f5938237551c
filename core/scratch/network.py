"""A network: named layers applied in order, their parameters, and what to save and load."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from core.errors import TrainboardError
from core.scratch.activations import sigmoid, softmax
from core.scratch.layer import Layer

OUTPUTS = ("softmax", "sigmoid", "identity")  # how logits become class probabilities (identity: they are the output)
DTYPES = {"float32": np.float32, "float64": np.float64}
PREDICT_BATCH = 1024  # rows per forward pass when predicting; memory, not speed, bounds it


class Network:
    """`layers` in order, each named ("hidden1", "act1", ...; the names of the torch model it mirrors), from an
    input batch to logits (N, C). `output` says how logits become probabilities: "softmax" (classes exclude
    each other, trained with softmax cross-entropy), "sigmoid" (one yes/no per class, one-vs-rest) or "identity"
    (the last layer's output is the prediction: a regression, or the Playground's tanh unit).

    Training is: logits = forward(x, training=True); loss, grad = loss_fn(logits, y); backward(grad); then an
    optimizer moves `parameters()` along `gradients()`."""

    def __init__(self, layers: Sequence[tuple[str, Layer]], output: str = "softmax", dtype: str = "float32") -> None:
        if output not in OUTPUTS:
            raise TrainboardError(f"network output {output!r} is not one of {', '.join(OUTPUTS)}")
        names = [name for name, _ in layers]
        if len(set(names)) != len(names):
            raise ValueError(f"layer names repeat: {names}")
        self.layers = list(layers)
        self.output = output
        self.astype(dtype)
        # The layers up to the first one with weights see only the data: nobody needs dL/d(their input).
        for _, layer in self.layers:
            layer.input_grad = False
            if any(sub.params for _, sub in _walk("", layer)):
                break

    # --- the two passes
    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        for _, layer in self.layers:
            x = layer.forward(x, training)
        return x

    def backward(self, grad: np.ndarray) -> None:
        """Fill every layer's `grads` from dL/d(logits), last layer first."""
        for _, layer in reversed(self.layers):
            grad = layer.backward(grad)
            if grad is None:
                return

    def probabilities(self, logits: np.ndarray) -> np.ndarray:
        """Class probabilities from logits, float64: softmax, or sigmoids normalised to sum to 1 (one-vs-rest); with
        the identity output, the outputs themselves."""
        logits = logits.astype(np.float64, copy=False)
        if self.output == "identity":
            return logits
        if self.output == "softmax":
            return softmax(logits)
        scores = sigmoid(logits)
        return scores / np.maximum(scores.sum(axis=1, keepdims=True), 1e-300)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """N x C probabilities (float64) in eval mode (dropout off, batch norm on its running statistics)."""
        parts = [
            self.probabilities(self.forward(np.asarray(X[start : start + PREDICT_BATCH], self.dtype)))
            for start in range(0, len(X), PREDICT_BATCH)
        ]
        return np.concatenate(parts) if parts else np.empty((0, 0))

    # --- what is learned
    def named_layers(self) -> Iterator[tuple[str, Layer]]:
        """Every layer, blocks and their insides, with dotted names ("block1.body0")."""
        for name, layer in self.layers:
            yield from _walk(name, layer)

    def parameters(self) -> list[tuple[str, np.ndarray]]:
        """(name, array) of every trainable array, input to output, weight before bias ("hidden1.weight"): the
        order torch's named_parameters() gives for the same model."""
        return [(f"{name}.{key}", value) for name, layer in self.named_layers() for key, value in layer.params.items()]

    def gradients(self) -> list[np.ndarray | None]:
        """The gradient of each of `parameters()` from the last backward pass (None before the first)."""
        return [layer.grads.get(key) for _, layer in self.named_layers() for key in layer.params]

    def initialise(self, init: str, scale: float, seed: int) -> None:
        """Redraw every weighted layer's weights, input to output, from one generator seeded with `seed`."""
        rng = np.random.default_rng(seed)
        for _, layer in self.named_layers():
            if hasattr(layer, "initialise"):
                layer.initialise(init, scale, rng)

    def state_dict(self) -> dict[str, np.ndarray]:
        """Copies of every parameter and buffer ("norm1.running_mean"), for checkpoints."""
        state = {}
        for name, layer in self.named_layers():
            for store in (layer.params, layer.buffers):
                state |= {f"{name}.{key}": np.array(value, copy=True) for key, value in store.items()}
        return state

    def load_state_dict(self, state: dict[str, np.ndarray]) -> None:
        """Copy `state` into the network's own arrays (so an optimizer holding them sees the new values); every
        key must match, with the same shape."""
        own = {}
        for name, layer in self.named_layers():
            for store in (layer.params, layer.buffers):
                own |= {f"{name}.{key}": (store, key) for key in store}
        if own.keys() != state.keys():
            missing, unexpected = sorted(own.keys() - state.keys()), sorted(state.keys() - own.keys())
            raise TrainboardError(f"weights do not fit this network: missing {missing}, unexpected {unexpected}")
        for key, value in state.items():
            store, name = own[key]
            if store[name].shape != np.shape(value):
                shapes = f"{np.shape(value)}, not {store[name].shape}"
                raise TrainboardError(f"weights do not fit this network: {key} is {shapes}")
            np.copyto(store[name], value, casting="unsafe")

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """One example's logits shape for one example's input shape (see stack_output_shape)."""
        return stack_output_shape(self.layers, input_shape)

    def astype(self, dtype: str) -> Network:
        """Every parameter and buffer as `dtype` ("float32" or "float64"), in place; returns the network."""
        if dtype not in DTYPES:
            raise TrainboardError(f"dtype {dtype!r} is not one of {', '.join(DTYPES)}")
        self.dtype = DTYPES[dtype]
        for _, layer in self.layers:
            layer.astype(self.dtype)
        return self

    def __repr__(self) -> str:
        return "Network(\n" + "\n".join(f"  {name}: {layer!r}" for name, layer in self.layers) + "\n)"


def stack_output_shape(layers: Sequence[tuple[str, Layer]], input_shape: tuple[int, ...]) -> tuple[int, ...]:
    """The shape one example has after `layers` (named), for one example's `input_shape`; ValueError naming the
    layer that cannot take what reaches it, or after which nothing is left."""
    shape = tuple(input_shape)
    for name, layer in layers:
        try:
            shape = layer.output_shape(shape)
        except ValueError as err:
            raise ValueError(f"layer {name}: {err}") from None
        if min(shape, default=1) < 1:
            raise ValueError(f"layer {name}: nothing is left of the input ({'x'.join(map(str, shape))})")
    return shape


def _walk(name: str, layer: Layer) -> Iterator[tuple[str, Layer]]:
    yield name, layer
    for sub_name, sub in layer.sublayers():
        yield from _walk(f"{name}.{sub_name}" if name else sub_name, sub)
