"""Each optimizer's parameter sequence over 20 steps against torch.optim fed the same gradients (float64), the
defaults against torch's, and Keras's RMSprop against its formula."""

import inspect

import numpy as np
import pytest
import torch

from core.errors import TrainboardError
from core.scratch import optimizers as ours
from core.scratch.optimizers import OPTIMIZERS, make_optimizer
from core.training.optim import KerasRMSprop
from core.training.options import OPTIMIZER_NAMES
from tests.core.scratch.oracle import assert_close

STEPS = 20
CASES = {
    "sgd": (lambda: ours.SGD(0.1), lambda p: torch.optim.SGD(p, lr=0.1)),
    "momentum": (lambda: ours.SGD(0.1, momentum=0.9), lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
    "momentum dampened, decayed": (
        lambda: ours.SGD(0.05, momentum=0.8, dampening=0.3, weight_decay=0.01),
        lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.8, dampening=0.3, weight_decay=0.01),
    ),
    "nesterov": (
        lambda: ours.SGD(0.1, momentum=0.9, nesterov=True),
        lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
    ),
    "rmsprop": (lambda: ours.RMSprop(0.01), lambda p: torch.optim.RMSprop(p, lr=0.01)),
    "rmsprop momentum centered": (
        lambda: ours.RMSprop(0.01, momentum=0.9, centered=True, weight_decay=0.1),
        lambda p: torch.optim.RMSprop(p, lr=0.01, momentum=0.9, centered=True, weight_decay=0.1),
    ),
    "adam": (lambda: ours.Adam(0.01), lambda p: torch.optim.Adam(p, lr=0.01)),
    "adam amsgrad decayed": (
        lambda: ours.Adam(0.01, weight_decay=0.05, amsgrad=True),
        lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.05, amsgrad=True),
    ),
    "adamw": (lambda: ours.AdamW(0.01), lambda p: torch.optim.AdamW(p, lr=0.01)),
    "nadam": (lambda: ours.NAdam(0.01), lambda p: torch.optim.NAdam(p, lr=0.01)),
    "nadam decayed": (
        lambda: ours.NAdam(0.01, weight_decay=0.02),
        lambda p: torch.optim.NAdam(p, lr=0.01, weight_decay=0.02),
    ),
    # torch's RMSprop with eps 0 is Keras's: the two differ only in where eps sits
    "rmsprop keras, eps 0": (
        lambda: ours.KerasRMSprop(0.01, eps=0.0),
        lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=0.0),
    ),
    "rmsprop keras vs our torch one": (lambda: ours.KerasRMSprop(0.01), lambda p: KerasRMSprop(p, lr=0.01)),
}


def gradients(seed=0):
    rng = np.random.default_rng(seed)
    return [[rng.standard_normal((3, 4)), rng.standard_normal(4)] for _ in range(STEPS)]


@pytest.mark.parametrize("case", list(CASES))
def test_twenty_steps_match_torch_optim(case):
    make_ours, make_torch = CASES[case]
    rng = np.random.default_rng(1)
    params = [rng.standard_normal((3, 4)), rng.standard_normal(4)]
    tensors = [torch.tensor(p.copy(), requires_grad=True) for p in params]
    mine, theirs = make_ours(), make_torch(tensors)
    for step, grads in enumerate(gradients()):
        mine.step(params, grads)
        for tensor, grad in zip(tensors, grads, strict=True):
            tensor.grad = torch.tensor(grad)
        theirs.step()
        for ours_p, tensor in zip(params, tensors, strict=True):
            assert_close(ours_p, tensor.detach(), what=f"{case}, step {step + 1}")


def test_keras_rmsprop_is_its_formula():
    p, g = np.array([1.0, -2.0]), np.array([0.5, 1e-4])
    optimizer = ours.KerasRMSprop()
    assert (optimizer.lr, optimizer.rho, optimizer.eps, optimizer.momentum) == (0.001, 0.9, 1e-7, 0.0)
    expected = p - 0.001 * g / np.sqrt(0.1 * g * g + 1e-7)
    optimizer.step([p], [g])
    np.testing.assert_allclose(p, expected, rtol=1e-15)


@pytest.mark.parametrize(
    "mine, theirs",
    [(ours.RMSprop, torch.optim.RMSprop), (ours.Adam, torch.optim.Adam), (ours.AdamW, torch.optim.AdamW)]
    + [(ours.NAdam, torch.optim.NAdam)],
)
def test_defaults_are_torchs(mine, theirs):
    signature = inspect.signature(theirs)
    for name, parameter in inspect.signature(mine).parameters.items():
        if name in signature.parameters and parameter.default is not inspect.Parameter.empty:
            assert parameter.default == signature.parameters[name].default, name


def test_the_registry_has_the_training_options_names():
    assert tuple(OPTIMIZERS) == OPTIMIZER_NAMES


def test_bad_settings_are_refused_with_their_value():
    with pytest.raises(TrainboardError, match="learning rate 0: must be > 0"):
        make_optimizer("adam", lr=0)
    with pytest.raises(TrainboardError, match="momentum 1.0: must be in"):
        make_optimizer("momentum", lr=0.1, momentum=1.0)
    with pytest.raises(TrainboardError, match="optimizer 'lbfgs' is not one of sgd"):
        make_optimizer("lbfgs", lr=0.1)
