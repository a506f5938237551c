"""Ready-made search spaces. The reference Fashion-MNIST study's grid (learning rate, depth x width, activation,
optimizer, batch size, epochs, initialisation) for the torch `mlp` and the NumPy engine's `numpy-mlp`, and small
spaces to start from."""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import TrainboardError
from core.sweeps.space import SearchSpace


@dataclass(frozen=True)
class SweepPreset:
    name: str
    title: str
    model: str
    space: SearchSpace
    description: str = ""


SWEEP_PRESETS: dict[str, SweepPreset] = {}


def register_sweep_preset(preset: SweepPreset) -> SweepPreset:
    if preset.name in SWEEP_PRESETS:
        raise ValueError(f"sweep preset '{preset.name}' is already registered")
    SWEEP_PRESETS[preset.name] = preset
    return preset


def get_sweep_preset(name: str) -> SweepPreset:
    try:
        return SWEEP_PRESETS[name]
    except KeyError:
        raise TrainboardError(f"unknown sweep preset '{name}'; presets: {', '.join(SWEEP_PRESETS)}") from None


# Hidden layers (3, 4, 5) x width (32, 64, 128): our MLPs take the layers as one list, so the study's two axes
# are one choice of nine equal-width lists; a grid still visits every pair once.
_HIDDEN = [",".join([str(width)] * layers) for layers in (3, 4, 5) for width in (32, 64, 128)]
REFERENCE_GRID = {
    "lr": {"kind": "categorical", "choices": [0.001, 0.0001]},
    "hidden": {"kind": "categorical", "choices": _HIDDEN},
    "activation": {"kind": "categorical", "choices": ["sigmoid", "relu", "tanh"]},
    # The study trained with Keras, whose RMSprop has no momentum and eps outside the root: rmsprop_keras.
    "optimizer": {"kind": "categorical", "choices": ["sgd", "momentum", "nesterov", "rmsprop_keras", "adam", "nadam"]},
    "batch_size": {"kind": "categorical", "choices": [16, 32, 64]},
    "epochs": {"kind": "categorical", "choices": [5, 10]},
    # Xavier is Keras' glorot_uniform. The study's "random" initialisation is Keras' RandomNormal (mean 0, standard
    # deviation 0.05); our closest registered initialiser is "normal", whose default init_scale is that 0.05.
    "init": {"kind": "categorical", "choices": ["xavier_uniform", "normal"]},
}
for _model, _engine in (("mlp", "torch"), ("numpy-mlp", "the NumPy engine")):
    register_sweep_preset(
        SweepPreset(
            name=f"reference-fashion-{_model}",
            title=f"Reference Fashion-MNIST MLP grid ({_engine})",
            model=_model,
            space=SearchSpace.from_dict(REFERENCE_GRID),
            description="The reference study's grid: learning rate 0.001/0.0001, 3-5 hidden layers of 32/64/128, "
            "sigmoid/ReLU/tanh, SGD/momentum/Nesterov/RMSprop/Adam/Nadam, batch 16/32/64, 5/10 epochs, "
            "Xavier/random start (3,888 points); pick the best by validation accuracy.",
        )
    )

register_sweep_preset(
    SweepPreset(
        name="mlp-lr-width",
        title="MLP: learning rate and width",
        model="mlp",
        space=SearchSpace.from_dict(
            {
                "lr": {"kind": "float", "low": 1e-4, "high": 3e-2, "log": True},
                "hidden": {"kind": "categorical", "choices": ["32", "64", "128", "256", "128,64"]},
            }
        ),
        description="A small space for a quick Bayesian search.",
    )
)
