"""Weight initialisers by name: how the weights of a network's dense and convolutional layers start.

The choice matters more than it looks. The reference study's RandomUniform(0, 1) start ("uniform01") made its
ReLU networks diverge: every weight positive, so activations grow layer by layer. Xavier/Glorot (2010) keeps
the variance of activations and gradients steady for tanh and sigmoid, He/Kaiming (2015) for ReLU, by scaling
with the layer's fan-in and fan-out. "zeros" shows the symmetry problem: units that start equal get equal
gradients and stay equal. Names match INIT_NAMES in core.training.options (a test checks they agree).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from torch import Tensor, nn

from core.models.registry import ModelError

# The layers whose `weight` an initialiser sets; batch norm keeps its own start (scale 1, shift 0).
INITIALISED_LAYERS = (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d)


@dataclass(frozen=True)
class Initializer:
    """One way to fill a weight tensor in place; `fn(weight, scale)` ignores `scale` unless it says it uses it."""

    name: str
    title: str
    description: str
    fn: Callable[[Tensor, float], object]


_ALL = (
    Initializer(
        "default",
        "PyTorch default",
        "torch's own start for each layer: Kaiming uniform, a=sqrt(5)",
        lambda weight, scale: None,
    ),
    Initializer(
        "uniform01",
        "Uniform [0, 1]",
        "every weight in [0, 1], all positive: the reference study's start that made ReLU networks diverge",
        lambda weight, scale: nn.init.uniform_(weight, 0.0, 1.0),
    ),
    Initializer(
        "uniform",
        "Uniform [-scale, scale]",
        "weights uniform in [-scale, scale] (Keras's RandomUniform uses 0.05), whatever the layer's size",
        lambda weight, scale: nn.init.uniform_(weight, -scale, scale),
    ),
    Initializer(
        "normal",
        "Normal (0, scale)",
        "weights normal with mean 0 and standard deviation scale, whatever the layer's size",
        lambda weight, scale: nn.init.normal_(weight, 0.0, scale),
    ),
    Initializer(
        "xavier_uniform",
        "Xavier / Glorot uniform",
        "uniform in +-sqrt(6 / (fan_in + fan_out)): steady variance for tanh and sigmoid (Glorot & Bengio 2010)",
        lambda weight, scale: nn.init.xavier_uniform_(weight),
    ),
    Initializer(
        "xavier_normal",
        "Xavier / Glorot normal",
        "normal with standard deviation sqrt(2 / (fan_in + fan_out)): as xavier_uniform, bell-shaped",
        lambda weight, scale: nn.init.xavier_normal_(weight),
    ),
    Initializer(
        "he_uniform",
        "He / Kaiming uniform",
        "uniform in +-sqrt(6 / fan_in): steady variance through ReLU layers (He et al. 2015)",
        lambda weight, scale: nn.init.kaiming_uniform_(weight, mode="fan_in", nonlinearity="relu"),
    ),
    Initializer(
        "he_normal",
        "He / Kaiming normal",
        "normal with standard deviation sqrt(2 / fan_in): as he_uniform, bell-shaped",
        lambda weight, scale: nn.init.kaiming_normal_(weight, mode="fan_in", nonlinearity="relu"),
    ),
    Initializer(
        "zeros",
        "Zeros",
        "every weight 0: all units of a layer get the same gradient and never become different",
        lambda weight, scale: nn.init.zeros_(weight),
    ),
)
INITIALIZERS: dict[str, Initializer] = {init.name: init for init in _ALL}
INIT_NAMES = tuple(INITIALIZERS)


def apply_init(model: nn.Module, name: str, scale: float = 0.05) -> int:
    """Initialise, in place, the `weight` of every Linear and Conv1d/2d/3d layer of `model` with initialiser
    `name` and set their biases to zero ("default" changes nothing). `scale` is the range of "uniform" and the
    standard deviation of "normal". Returns how many weight tensors were initialised: 0 for "default", else
    one per such layer. An unknown name, or a scale that is not positive, is a ModelError."""
    if name not in INITIALIZERS:
        raise ModelError(f"weight init {name!r} is not one of {', '.join(INIT_NAMES)}")
    if not scale > 0:
        raise ModelError(f"weight init scale must be positive, got {scale}")
    if name == "default":
        return 0
    initializer = INITIALIZERS[name]
    count = 0
    for module in model.modules():
        if isinstance(module, INITIALISED_LAYERS):
            initializer.fn(module.weight, scale)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
            count += 1
    return count
