"""Stop a run whose loss or weights have become NaN or infinite, and explain the likely causes in plain words."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from core.training.callbacks.base import Callback

# Cross-entropy of a working classifier stays within tens (ln 10 = 2.3 is a guess among ten classes); a loss
# past this means logits in the thousands: the network has blown up even if no NaN has appeared yet. The
# reference study's ReLU / RandomUniform(0, 1) MLP sat at 1.37e5; ours starts at ~2.7e6 and then every ReLU
# dies, so waiting for a NaN would never stop it. The training option loss_cap sets it (0 turns the cap off, to
# show such an explosion on the curve as the study did).
MAX_LOSS = 1e4


class TerminateOnNaN(Callback):
    """Asks the trainer to stop (status "diverged") after the first batch whose loss is NaN, infinite or above
    `max_loss` (`diverged_at` = (epoch, batch)), or at an epoch end where a parameter holds NaN or infinity
    (`diverged_layer` names it). `max_loss` 0 or None: no cap, only NaN and infinity stop."""

    def __init__(self, max_loss: float | None = MAX_LOSS) -> None:
        self.max_loss = max_loss if max_loss else math.inf
        self.reset()

    def reset(self) -> None:
        self.diverged_at: tuple[int, int] | None = None
        self.diverged_layer: str | None = None

    def on_train_begin(self, trainer: Any, logs: dict) -> None:
        self.reset()

    def on_batch_end(self, trainer: Any, logs: dict) -> None:
        loss = logs.get("loss")
        if loss is None or (math.isfinite(loss) and loss <= self.max_loss) or self.diverged_at is not None:
            return
        epoch, batch = trainer.epoch, logs.get("batch", trainer.batch)
        self.diverged_at = (epoch, batch)
        what = f"became {loss}" if not math.isfinite(loss) else f"reached {loss:.3g} (above {self.max_loss:g})"
        trainer.request_stop(f"the training loss {what} at epoch {epoch}, batch {batch}", "diverged")

    def on_epoch_end(self, trainer: Any, logs: dict) -> None:
        for name, values, _ in trainer.named_arrays(gradients=False):
            if not np.isfinite(values).all():
                self.diverged_layer = name
                trainer.request_stop(
                    f"weights of layer '{name}' became NaN or Inf at epoch {trainer.epoch}", "diverged"
                )
                return


@dataclass(frozen=True)
class TrainingSetup:
    """The settings that most often make a network diverge (names as in the model and optimizer registries)."""

    activation: str | None
    init: str | None
    optimizer: str
    lr: float


# Activations that do not saturate for large positive inputs, so positive weights let activations grow freely.
UNBOUNDED_ACTIVATIONS = {
    "relu": "ReLU",
    "leaky_relu": "LeakyReLU",
    "elu": "ELU",
    "gelu": "GELU",
    "linear": "A linear activation",
}
# Learning rates above these are unusually high for the optimizer (adaptive ones normalise the step size).
HIGH_LEARNING_RATE = {
    "adam": 0.1,
    "adamw": 0.1,
    "nadam": 0.1,
    "rmsprop": 0.1,
    "rmsprop_keras": 0.1,
    "sgd": 1.0,
    "momentum": 0.5,  # momentum 0.9 makes the effective step about 10x the rate
    "nesterov": 0.5,
}

# (predicate, message): every rule whose predicate holds contributes its message, formatted with the setup's
# fields and `activation_title`. The last rule always holds: general advice, not a diagnosis.
CAUSES: list[tuple[Callable[[TrainingSetup], bool], str]] = [
    (
        lambda s: s.activation in UNBOUNDED_ACTIVATIONS and s.init == "uniform01",
        "{activation_title} with RandomUniform(0, 1) weights: all weights are positive, so activations grow layer "
        "by layer and the loss explodes (the reference study's training loss reached 1.37e5); "
        "use he_uniform or xavier_uniform",
    ),
    (
        lambda s: s.lr > HIGH_LEARNING_RATE.get(s.optimizer, math.inf),
        "learning rate {lr:g} is high for {optimizer}; try 10x smaller",
    ),
    (
        lambda s: True,
        "in general: check that the inputs are scaled (pixels to 0..1, features standardised) and try a smaller "
        "learning rate; this is common advice, not a diagnosis of this run",
    ),
]


def likely_causes(activation: str | None, init: str | None, optimizer: str, lr: float) -> list[str]:
    """Plain-language explanations of why a run with these settings may have diverged, most specific first."""
    setup = TrainingSetup(
        activation=activation.lower() if activation else None,
        init=init.lower() if init else None,
        optimizer=optimizer.lower(),
        lr=float(lr),
    )
    fields = {**setup.__dict__, "activation_title": UNBOUNDED_ACTIVATIONS.get(setup.activation or "", "")}
    return [message.format(**fields) for applies, message in CAUSES if applies(setup)]
