"""Each layer of the NumPy engine, forward and backward, against torch autograd on random float64 inputs
(rtol 1e-6) and against finite differences."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from core.scratch.activations import ReLU
from core.scratch.batchnorm import BatchNorm
from core.scratch.conv import Conv2D
from core.scratch.dense import Dense
from core.scratch.dropout import Dropout
from core.scratch.pooling import AvgPool2D, MaxPool2D
from core.scratch.reshape import Flatten
from core.scratch.residual import Residual
from tests.core.scratch.oracle import against_torch, assert_close, finite_differences


def random(*shape, seed=1):
    return np.random.default_rng(seed).standard_normal(shape)


def test_dense_against_torch_and_finite_differences():
    layer = Dense(7, 4, init="xavier_uniform", rng=np.random.default_rng(0))
    x = random(5, 7)
    against_torch(layer, lambda tx, p: tx @ p["weight"] + p["bias"], x)
    finite_differences(layer, x)


def test_dense_with_given_weights_computes_the_logbooks_and_gate():
    # AND of two inputs: a single unit with weights 1, 1 and bias -1.5 is positive only for (1, 1).
    layer = Dense(2, 1, weights=[[1.0], [1.0]], bias=[-1.5])
    out = layer.forward(np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]))
    assert (out[:, 0] > 0).tolist() == [False, False, False, True]
    with pytest.raises(Exception, match=r"given values have shape \(3,\), the layer needs \(2, 1\)"):
        Dense(2, 1, weights=[1.0, 1.0, 1.0])


@pytest.mark.parametrize("stride, padding", [(1, 0), (1, 2), (2, 1), (3, 0)])
def test_conv2d_against_torch(stride, padding):
    layer = Conv2D(3, 4, 3, stride=stride, padding=padding, rng=np.random.default_rng(0))
    x = random(2, 3, 9, 8)
    against_torch(layer, lambda tx, p: F.conv2d(tx, p["weight"], p["bias"], stride=stride, padding=padding), x)


def test_conv2d_finite_differences():
    layer = Conv2D(2, 3, 3, stride=2, padding=1, rng=np.random.default_rng(0))
    finite_differences(layer, random(2, 2, 7, 7))


def test_conv2d_output_keeps_the_usual_shape_and_chains():
    first = Conv2D(1, 4, 3, padding=1, rng=np.random.default_rng(0))
    second = Conv2D(4, 2, 3, rng=np.random.default_rng(1))
    x = random(3, 1, 6, 6)
    y = second.forward(first.forward(x))
    assert y.shape == (3, 2, 4, 4) == (3, *second.output_shape(first.output_shape((1, 6, 6))))
    tx = torch.tensor(x)
    expected = F.conv2d(
        F.conv2d(tx, torch.tensor(first.params["weight"]), torch.tensor(first.params["bias"]), padding=1),
        torch.tensor(second.params["weight"]),
        torch.tensor(second.params["bias"]),
    )
    assert_close(y, expected)


@pytest.mark.parametrize("kernel, stride", [(2, None), (3, 2), (3, 1)])
def test_max_pool_against_torch(kernel, stride):
    layer = MaxPool2D(kernel, stride)
    x = random(2, 3, 7, 8)
    against_torch(layer, lambda tx, p: F.max_pool2d(tx, kernel, stride or kernel), x)
    finite_differences(layer, x)


def test_max_pool_sends_the_gradient_to_the_first_of_tied_maxima_as_torch():
    x = np.zeros((1, 1, 2, 4))
    x[0, 0, :, 2:] = [[5.0, 5.0], [1.0, 5.0]]
    layer = MaxPool2D(2)
    against_torch(layer, lambda tx, p: F.max_pool2d(tx, 2), x)
    dx = layer.backward(np.ones((1, 1, 1, 2)))
    assert dx[0, 0].tolist() == [[1.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0]]


@pytest.mark.parametrize("kernel, stride", [(2, None), (3, 2)])
def test_avg_pool_against_torch(kernel, stride):
    layer = AvgPool2D(kernel, stride)
    x = random(2, 3, 7, 8)
    against_torch(layer, lambda tx, p: F.avg_pool2d(tx, kernel, stride or kernel), x)
    finite_differences(layer, x)


def test_flatten_is_torchs_order():
    against_torch(Flatten(), lambda tx, p: tx.flatten(1), random(2, 3, 4, 5))


@pytest.mark.parametrize("shape", [(6, 5), (4, 3, 5, 5)])
def test_batch_norm_in_training_against_torch_with_running_statistics(shape):
    layer = BatchNorm(shape[1])
    layer.params["weight"] = random(shape[1], seed=3) + 1
    layer.params["bias"] = random(shape[1], seed=4)
    x = random(*shape) * 3 + 2
    running_mean, running_var = torch.zeros(shape[1], dtype=torch.float64), torch.ones(shape[1], dtype=torch.float64)
    for step in range(3):  # the running statistics move the same way over several batches
        x_step = x + step
        against_torch(
            layer,
            lambda tx, p: F.batch_norm(tx, running_mean, running_var, p["weight"], p["bias"], True, 0.1, 1e-5),
            x_step,
        )
        assert_close(layer.buffers["running_mean"], running_mean, what="running mean")
        assert_close(layer.buffers["running_var"], running_var, what="running var (unbiased)")


@pytest.mark.parametrize("shape", [(6, 5), (4, 3, 5, 5)])
def test_batch_norm_in_eval_uses_the_running_statistics(shape):
    layer = BatchNorm(shape[1])
    layer.buffers["running_mean"] = random(shape[1], seed=5)
    layer.buffers["running_var"] = random(shape[1], seed=6) ** 2 + 0.5
    mean, var = torch.tensor(layer.buffers["running_mean"]), torch.tensor(layer.buffers["running_var"])
    x = random(*shape)
    against_torch(layer, lambda tx, p: F.batch_norm(tx, mean, var, p["weight"], p["bias"], False, 0.1, 1e-5), x, False)
    assert_close(layer.buffers["running_mean"], mean)  # eval changes nothing


def test_batch_norm_finite_differences_in_training():
    layer = BatchNorm(3)
    layer.params["weight"] = random(3, seed=2) + 1
    finite_differences(layer, random(4, 3, 3, 3))


def test_dropout_is_inverted_and_only_in_training():
    layer = Dropout(0.25, np.random.default_rng(0))
    x = np.ones((2000, 50))
    y = layer.forward(x, training=True)
    kept = y != 0
    assert set(np.unique(y)) == {0.0, 1 / 0.75}
    assert kept.mean() == pytest.approx(0.75, abs=0.01) and y.mean() == pytest.approx(1.0, abs=0.02)
    grad = random(2000, 50)
    np.testing.assert_allclose(layer.backward(grad), grad * kept / 0.75, rtol=1e-15)
    assert layer.forward(x, training=False) is x and layer.backward(grad) is grad


def test_dropout_against_torch_with_the_same_mask_and_finite_differences():
    layer = Dropout(0.4, np.random.default_rng(3))
    x = random(6, 8)
    layer.forward(x, training=True)
    scale = torch.tensor(layer.scale)
    layer.rng = np.random.default_rng(3)  # the same mask again for the checked forward
    against_torch(layer, lambda tx, p: tx * scale, x)

    def same_mask():
        layer.rng = np.random.default_rng(3)

    finite_differences(layer, x, reset=same_mask)


def test_residual_adds_the_input_and_its_gradient():
    dense = Dense(5, 5, rng=np.random.default_rng(0))
    block = Residual([dense, ReLU()])
    x = random(4, 5)
    y = block.forward(x)
    upstream = random(4, 5, seed=9)
    dx = block.backward(upstream)
    tx = torch.tensor(x, requires_grad=True)
    w, b = (torch.tensor(dense.params[k], requires_grad=True) for k in ("weight", "bias"))
    ty = tx + torch.relu(tx @ w + b)
    ty.backward(torch.tensor(upstream))
    assert_close(y, ty)
    assert_close(dx, tx.grad)
    assert_close(dense.grads["weight"], w.grad)
    assert_close(dense.grads["bias"], b.grad)


def test_residual_with_a_projection_when_the_width_changes():
    body = Dense(4, 6, rng=np.random.default_rng(0))
    shortcut = Dense(4, 6, use_bias=False, rng=np.random.default_rng(1))
    block = Residual([body], shortcut)
    x = random(3, 4)
    assert block.output_shape((4,)) == (6,)
    tx = torch.tensor(x, requires_grad=True)
    y = block.forward(x)
    dx = block.backward(np.ones_like(y))
    ty = (
        tx @ torch.tensor(body.params["weight"])
        + torch.tensor(body.params["bias"])
        + tx @ torch.tensor(shortcut.params["weight"])
    )
    ty.sum().backward()
    assert_close(y, ty)
    assert_close(dx, tx.grad)
    with pytest.raises(ValueError, match="give a shortcut layer"):
        Residual([Dense(4, 6, rng=np.random.default_rng(0))]).output_shape((4,))
