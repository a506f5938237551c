"""How a network is trained: epochs, batch size, optimizer, schedule, regularisation, augmentation, device.

`TRAINING_PARAMS` describes each option once (type, default, range, help); the page draws its widgets from it
and the CLI its flags, so the two cannot drift apart. This module does not import torch: building the CLI
parser must stay fast. The choice lists are checked against the torch-side registries by a test.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from core.errors import TrainboardError
from core.models.registry import Param

OPTIMIZER_NAMES = ("sgd", "momentum", "nesterov", "rmsprop", "rmsprop_keras", "adam", "adamw", "nadam")
# Arrays of optimizer state kept per parameter, for memory estimates; the same in both engines.
OPTIMIZER_STATE_COPIES = {
    "sgd": 0,
    "momentum": 1,  # the momentum buffer
    "nesterov": 1,
    "rmsprop": 2,  # the square average plus the momentum buffer it keeps at our default momentum 0.9
    "rmsprop_keras": 1,  # the square average only
    "adam": 2,  # running mean and mean square
    "adamw": 2,
    "nadam": 2,
}
SCHEDULE_NAMES = (
    "constant",
    "step",
    "exponential",
    "cosine",
    "plateau",
    "inverse_time",
    "reference",
    "reference_every_epoch",
)
INIT_NAMES = (
    "default",
    "uniform01",
    "uniform",
    "normal",
    "xavier_uniform",
    "xavier_normal",
    "he_uniform",
    "he_normal",
    "zeros",
    "constant",
)
DEVICE_NAMES = ("auto", "cpu", "cuda", "mps")
AMP_MODES = ("auto", "on", "off")
MONITORS = ("val_loss", "val_accuracy")
DTYPE_NAMES = ("float32", "float64")

TRAINING_PARAMS: tuple[Param, ...] = (
    Param("epochs", 10, "passes over the training rows", minimum=1, maximum=1000),
    Param("batch_size", 128, "examples per gradient step", minimum=1, maximum=65536, log=True),
    Param("optimizer", "adam", "optimizer (torch.optim's rules in both engines)", choices=OPTIMIZER_NAMES),
    Param("lr", 1e-3, "learning rate", minimum=1e-6, maximum=10.0, log=True),
    Param("momentum", 0.9, "momentum (momentum, nesterov and rmsprop only)", minimum=0.0, maximum=0.999),
    Param("weight_decay", 0.0, "L2 penalty (decoupled for adamw)", minimum=0.0, maximum=1.0),
    Param("l1", 0.0, "L1 penalty on the weights, added to the loss", minimum=0.0, maximum=1.0),
    Param("schedule", "constant", "learning-rate schedule, stepped after each epoch", choices=SCHEDULE_NAMES),
    Param(
        "step_size",
        0,
        "epochs between decays of 'step', decay steps of 'inverse_time'; 0: the schedule's own",
        minimum=0,
        maximum=1000,
    ),
    Param(
        "gamma",
        0.0,
        "decay factor of step/exponential/plateau, decay rate of inverse_time; 0: the schedule's own",
        minimum=0.0,
        maximum=1.0,
    ),
    Param("plateau_patience", 3, "epochs without improvement before 'plateau' cuts the rate", minimum=1, maximum=100),
    Param("init", "default", "weight initialiser", choices=INIT_NAMES),
    Param(
        "init_scale",
        0.05,
        "range of 'uniform', standard deviation of 'normal', value of 'constant' (initialisers)",
        minimum=1e-4,
    ),
    Param("label_smoothing", 0.0, "cross-entropy label smoothing", minimum=0.0, maximum=0.5),
    Param("class_weights", False, "weight the loss by inverse class frequency (imbalanced data)"),
    Param("crop_padding", 0, "augmentation: random crop after padding by this many pixels", minimum=0, maximum=16),
    Param("hflip", False, "augmentation: random horizontal flip"),
    Param("tta_hflip", False, "evaluation: average each image's prediction with its mirror image's"),
    Param("erasing", 0.0, "augmentation: probability of erasing a random rectangle", minimum=0.0, maximum=1.0),
    Param(
        "rotation",
        0.0,
        "augmentation: random rotation by up to +- this many degrees; 0: off",
        minimum=0.0,
        maximum=180.0,
    ),
    Param("zoom", 0.0, "augmentation: random zoom by 1 +- this (0.1: 0.9 to 1.1); 0: off", minimum=0.0, maximum=0.9),
    Param("noise", 0.0, "augmentation: std of gaussian noise added to the inputs; 0: off", minimum=0.0, maximum=10.0),
    Param("patience", 0, "early stopping: epochs without improvement; 0: off", minimum=0, maximum=1000),
    Param("min_delta", 0.0, "early stopping: smallest change that counts as an improvement", minimum=0.0),
    Param(
        "monitor",
        "val_loss",
        "early stopping watches this; with restore_best its best epoch is the one evaluated (without early "
        "stopping, the epoch with the best val_accuracy is)",
        choices=MONITORS,
    ),
    Param("restore_best", True, "early stopping: end with the best epoch's weights"),
    Param("device", "auto", "where to train; auto: cuda, then mps, then cpu", choices=DEVICE_NAMES),
    Param(
        "amp",
        "auto",
        "mixed precision; auto: float16 on CUDA; on: also bfloat16 on a CPU that has it",
        choices=AMP_MODES,
    ),
    Param(
        "dtype",
        "float32",
        "number format of the weights and data; float64 is slower and makes two engines agree to 1e-6",
        choices=DTYPE_NAMES,
    ),
    Param(
        "loss_cap",
        1e4,
        "stop as diverged when a batch's training loss exceeds this; 0: off (NaN or Inf still stops)",
        minimum=0.0,
    ),
    Param("histograms", True, "record gradient and weight histograms each epoch"),
    Param("tensorboard", True, "write TensorBoard event files to the run folder"),
)
_BY_NAME = {p.name: p for p in TRAINING_PARAMS}


@dataclass(frozen=True)
class TrainOptions:
    """Validated training options; build with `TrainOptions.from_dict` so every value is checked."""

    epochs: int = 10
    batch_size: int = 128
    optimizer: str = "adam"
    lr: float = 1e-3
    momentum: float = 0.9
    weight_decay: float = 0.0
    l1: float = 0.0
    schedule: str = "constant"
    step_size: int = 0
    gamma: float = 0.0
    plateau_patience: int = 3
    init: str = "default"
    init_scale: float = 0.05
    label_smoothing: float = 0.0
    class_weights: bool = False
    crop_padding: int = 0
    hflip: bool = False
    tta_hflip: bool = False
    erasing: float = 0.0
    rotation: float = 0.0
    zoom: float = 0.0
    noise: float = 0.0
    patience: int = 0
    min_delta: float = 0.0
    monitor: str = "val_loss"
    restore_best: bool = True
    device: str = "auto"
    amp: str = "auto"
    dtype: str = "float32"
    loss_cap: float = 1e4
    histograms: bool = True
    tensorboard: bool = True

    @classmethod
    def from_dict(cls, values: dict | None = None) -> TrainOptions:
        """Defaults overridden by `values` (text from the CLI or widget values), each parsed and checked."""
        resolved = {}
        for key, raw in (values or {}).items():
            if key not in _BY_NAME:
                known = ", ".join(_BY_NAME)
                raise TrainboardError(f"training option '{key}' is unknown; options: {known}")
            resolved[key] = _BY_NAME[key].parse(raw, "training")
        return cls(**resolved)

    def to_dict(self) -> dict:
        return asdict(self)

    def changed(self) -> dict:
        """Only the options that differ from the defaults (what a command line needs to name)."""
        default = TrainOptions()
        return {
            f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) != getattr(default, f.name)
        }


def parse_training_pairs(pairs: dict[str, str | None]) -> dict:
    """{"lr": "0.01", "epochs": None, ...} from CLI flags -> the given options, parsed; None means not given."""
    given = {key: value for key, value in pairs.items() if value is not None}
    options = TrainOptions.from_dict(given)
    return {key: getattr(options, key) for key in given}


# What a model family does with the training options: classical models use none of them; the NumPy engine has
# no augmentation (torch's batch transforms), no mixed precision and no accelerator (it runs on the CPU).
# A value that asks for nothing (hflip false, device cpu, amp off) is not counted as ignored.
_ASKS_FOR_NOTHING = {
    "crop_padding": (0,),
    "hflip": (False,),
    "tta_hflip": (False,),
    "erasing": (0.0,),
    "rotation": (0.0,),
    "zoom": (0.0,),
    "noise": (0.0,),
    "amp": ("auto", "off"),
    "device": ("auto", "cpu"),
}


def ignored_options(family: str, given: dict) -> list[str]:
    """The options in `given` (name -> value) that models of `family` do not use, in the order given."""
    if family == "classical":
        return list(given)
    if family != "numpy":
        return []
    parsed = {key: getattr(TrainOptions.from_dict({key: value}), key) for key, value in given.items()}
    return [key for key, value in parsed.items() if key in _ASKS_FOR_NOTHING and value not in _ASKS_FOR_NOTHING[key]]


def cli_flag(name: str) -> str:
    return "--" + name.replace("_", "-")
