"""Optimizers against hand-computed values: one scalar parameter with a constant gradient."""

import math

import pytest
import torch

from core.errors import TrainboardError
from core.training.optim import OPTIMIZERS, make_optimizer

W0, GRAD, LR = 2.0, 3.0, 0.1  # loss = GRAD * w, so the gradient is GRAD whatever w is


def run_steps(name: str, steps: int, **kw) -> list[float]:
    """The scalar parameter after each of `steps` optimizer steps on loss = GRAD * w."""
    w = torch.tensor(W0, requires_grad=True)
    optimizer = make_optimizer(name, [w], lr=LR, **kw)
    values = []
    for _ in range(steps):
        optimizer.zero_grad()
        (GRAD * w).backward()
        optimizer.step()
        values.append(w.item())
    return values


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_every_optimizer_builds_steps_and_keeps_its_state_copies(name):
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 3)
    before = [p.detach().clone() for p in model.parameters()]
    # At the default momentum 0.9 RMSprop keeps its square average and a momentum buffer: 2 copies.
    optimizer = make_optimizer(name, model.parameters(), lr=0.01, momentum=0.9)
    model(torch.randn(8, 4)).square().mean().backward()
    optimizer.step()
    assert all(not torch.equal(b, p) for b, p in zip(before, model.parameters(), strict=True))
    for param in model.parameters():
        tensors = [v for v in optimizer.state[param].values() if torch.is_tensor(v) and v.shape == param.shape]
        assert len(tensors) == OPTIMIZERS[name].state_copies


def test_sgd_steps_by_lr_times_gradient():
    assert run_steps("sgd", 2) == pytest.approx([2.0 - 0.3, 2.0 - 0.6])


def test_sgd_ignores_momentum():
    assert run_steps("sgd", 2, momentum=0.9) == pytest.approx([1.7, 1.4])


def test_weight_decay_adds_wd_times_w_to_the_gradient():
    # gradient 3 + 0.5 * 2 = 4
    assert run_steps("sgd", 1, weight_decay=0.5) == pytest.approx([2.0 - 0.1 * 4.0])


def test_momentum_accumulates_a_buffer():
    # buffer 3, then 0.9 * 3 + 3 = 5.7
    assert run_steps("momentum", 2, momentum=0.9) == pytest.approx([2.0 - 0.3, 1.7 - 0.57])


def test_nesterov_steps_along_gradient_plus_momentum_times_buffer():
    # step 1: buffer 3, update 3 + 0.9 * 3 = 5.7; step 2: buffer 5.7, update 3 + 0.9 * 5.7 = 8.13
    assert run_steps("nesterov", 2, momentum=0.9) == pytest.approx([2.0 - 0.57, 1.43 - 0.813])


def test_rmsprop_divides_by_the_root_mean_square():
    # alpha 0.99: mean square 0.01 * 9 = 0.09, then 0.99 * 0.09 + 0.09 = 0.1791
    w1 = 2.0 - LR * GRAD / math.sqrt(0.09)
    w2 = w1 - LR * GRAD / math.sqrt(0.1791)
    assert run_steps("rmsprop", 2, momentum=0.0) == pytest.approx([w1, w2], rel=1e-5)


def test_rmsprop_uses_momentum():
    # the buffer holds the scaled steps: 10, then 0.9 * 10 + 3 / sqrt(0.1791)
    buffer2 = 0.9 * 10 + GRAD / math.sqrt(0.1791)
    assert run_steps("rmsprop", 2, momentum=0.9) == pytest.approx([1.0, 1.0 - LR * buffer2], rel=1e-5)


@pytest.mark.parametrize("name", ["adam", "adamw"])
def test_adam_moves_by_about_lr_per_step_under_a_constant_gradient(name):
    assert run_steps(name, 2) == pytest.approx([2.0 - LR, 2.0 - 2 * LR], rel=1e-5)


def test_adam_weight_decay_is_l2_but_adamw_decouples_it():
    # Adam: the L2 term only changes the gradient, and its first step is still ~lr.
    assert run_steps("adam", 1, weight_decay=0.5) == pytest.approx([2.0 - LR], rel=1e-5)
    # AdamW: w *= 1 - lr * wd before the Adam step.
    assert run_steps("adamw", 1, weight_decay=0.5) == pytest.approx([2.0 * (1 - LR * 0.5) - LR], rel=1e-5)


def test_nadam_first_step():
    # mu_t = 0.9 * (1 - 0.5 * 0.96 ** (0.004 t)); the first step is lr * (1 + 0.1 mu_2 / (1 - mu_1 mu_2)).
    mu1, mu2 = (0.9 * (1 - 0.5 * 0.96 ** (0.004 * t)) for t in (1, 2))
    assert run_steps("nadam", 1) == pytest.approx([2.0 - LR * (1 + 0.1 * mu2 / (1 - mu1 * mu2))], rel=1e-5)


def test_unknown_optimizer_names_the_choices():
    with pytest.raises(TrainboardError) as error:
        make_optimizer("lbfgs", [torch.zeros(1, requires_grad=True)], lr=0.1)
    names = "sgd, momentum, nesterov, rmsprop, rmsprop_keras, adam, adamw, nadam"
    assert str(error.value) == f"optimizer 'lbfgs' is not one of {names}"


@pytest.mark.parametrize(("kw", "field"), [({"lr": 0.0}, "learning rate"), ({"lr": 0.1, "momentum": 1.0}, "momentum")])
def test_bad_optimizer_settings_name_the_field(kw, field):
    with pytest.raises(TrainboardError, match=field):
        make_optimizer("momentum", [torch.zeros(1, requires_grad=True)], **kw)


def test_rmsprop_keras_is_keras_rule():
    # tf.keras's documented rule at its defaults (rho 0.9, momentum 0, eps 1e-7):
    # ms = rho ms + (1 - rho) g^2; w -= lr g / sqrt(ms + eps). ms 0.9, then 0.9 * 0.9 + 0.1 * 9 = 1.71.
    w1 = 2.0 - LR * GRAD / math.sqrt(0.9 + 1e-7)
    w2 = w1 - LR * GRAD / math.sqrt(1.71 + 1e-7)
    assert run_steps("rmsprop_keras", 2) == pytest.approx([w1, w2], rel=1e-6)
    # No momentum even when one is given (Keras's default 0; the option is for torch's rmsprop).
    assert run_steps("rmsprop_keras", 2, momentum=0.9) == pytest.approx([w1, w2], rel=1e-6)


def test_rmsprop_keras_puts_eps_inside_the_root():
    # With a tiny gradient the placement matters: sqrt(0.1 g^2 + 1e-7), not sqrt(0.1 g^2) + 1e-7.
    w = torch.tensor(0.0, requires_grad=True)
    optimizer = make_optimizer("rmsprop_keras", [w], lr=1.0)
    (1e-4 * w).backward()
    optimizer.step()
    assert w.item() == pytest.approx(-1e-4 / math.sqrt(0.1 * 1e-8 + 1e-7), rel=1e-5)
