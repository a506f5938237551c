"""Checks shared by the engine's tests: a layer's forward and backward against torch autograd on the same
numbers (float64), and against central finite differences, which need no framework at all."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

RTOL, ATOL = 1e-6, 1e-10  # the rtol; the atol only forgives values that are zero up to rounding


def assert_close(actual, expected, rtol: float = RTOL, atol: float = ATOL, what: str = "") -> None:
    expected = expected.detach().numpy() if isinstance(expected, torch.Tensor) else np.asarray(expected)
    np.testing.assert_allclose(np.asarray(actual), expected, rtol=rtol, atol=atol, err_msg=what)


def against_torch(layer, torch_forward: Callable, x: np.ndarray, training: bool = True, seed: int = 0) -> dict:
    """Run `layer` forward on x and backward from a random upstream gradient G; run `torch_forward(x, params)`
    (tensors that require grad, named as layer.params) and backpropagate the same G. Asserts the outputs, dL/dx
    and every dL/dparam agree; returns the torch tensors for further checks."""
    rng = np.random.default_rng(seed)
    y = layer.forward(x, training)
    upstream = rng.standard_normal(y.shape)
    dx = layer.backward(upstream)
    tx = torch.tensor(x, requires_grad=True)
    tparams = {name: torch.tensor(value, requires_grad=True) for name, value in layer.params.items()}
    ty = torch_forward(tx, tparams)
    ty.backward(torch.tensor(upstream))
    assert_close(y, ty, what="forward")
    assert_close(dx, tx.grad, what="dL/dx")
    for name, tensor in tparams.items():
        assert_close(layer.grads[name], tensor.grad, what=f"dL/d{name}")
    return {"x": tx, "y": ty, **tparams}


def finite_differences(layer, x: np.ndarray, training: bool = True, n_checks: int = 12, seed: int = 0, reset=None):
    """Compare the layer's dL/dx and dL/dparams, for L = sum(forward(x) * G), with central differences at
    `n_checks` random entries of each (h = 1e-6, float64). `reset` is called before every forward (to redraw a
    dropout layer's mask the same way)."""
    rng = np.random.default_rng(seed)
    (reset or (lambda: None))()
    upstream = rng.standard_normal(layer.forward(x, training).shape)
    dx = layer.backward(upstream)
    analytic = {"x": dx, **{name: layer.grads[name].copy() for name in layer.params}}
    arrays = {"x": x, **layer.params}

    def loss() -> float:
        (reset or (lambda: None))()
        return float((layer.forward(x, training) * upstream).sum())

    h = 1e-6
    for name, array in arrays.items():
        flat = array.reshape(-1)  # a view: changing it changes what the layer computes with
        for index in rng.choice(flat.size, size=min(n_checks, flat.size), replace=False):
            keep = flat[index]
            flat[index] = keep + h
            plus = loss()
            flat[index] = keep - h
            minus = loss()
            flat[index] = keep
            numeric = (plus - minus) / (2 * h)
            np.testing.assert_allclose(
                analytic[name].reshape(-1)[index], numeric, rtol=1e-5, atol=1e-7, err_msg=f"{name}[{index}]"
            )
