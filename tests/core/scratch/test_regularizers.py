"""L1 and L2 penalties and their gradients against torch autograd of the same formulas."""

import numpy as np
import pytest
import torch

from core.scratch.regularizers import L1, L2
from tests.core.scratch.oracle import assert_close


@pytest.mark.parametrize(
    "regularizer, formula",
    [(L1(0.03), lambda w: 0.03 * w.abs().sum()), (L2(0.2), lambda w: 0.5 * 0.2 * (w * w).sum())],
)
def test_penalty_and_gradient_against_torch(regularizer, formula):
    weights = [np.random.default_rng(seed).standard_normal((4, 3)) for seed in (0, 1)]
    tensors = [torch.tensor(w, requires_grad=True) for w in weights]
    total = sum(formula(t) for t in tensors)
    total.backward()
    assert regularizer.penalty(weights) == pytest.approx(total.item(), rel=1e-12)
    for w, t in zip(weights, tensors, strict=True):
        assert_close(regularizer.gradient(w), t.grad)


def test_l2_steps_like_torch_weight_decay_under_sgd():
    w = np.random.default_rng(2).standard_normal(5)
    param = torch.tensor(w.copy(), requires_grad=True)
    param.grad = torch.zeros(5, dtype=torch.float64)
    torch.optim.SGD([param], lr=0.1, weight_decay=0.3).step()
    assert_close(w - 0.1 * L2(0.3).gradient(w), param.detach())
