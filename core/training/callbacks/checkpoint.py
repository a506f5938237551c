"""The best weights so far, saved as safetensors (tensors only: loading runs no pickle, so no code)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file, save_file

from core.atomic import write_atomic
from core.errors import TrainboardError
from core.training.callbacks.monitor import Monitor


def cpu_state_dict(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    """A copy of the model's state dict on the CPU, contiguous, sharing no memory with the model."""
    # copy=True: a CPU model's tensors would otherwise be the live parameters, changed by the next step.
    return {name: t.detach().to("cpu", copy=True).contiguous() for name, t in model.state_dict().items()}


def save_weights(model: torch.nn.Module, path: Path | str) -> Path:
    """Write the model's state dict to `path` as safetensors, atomically: a crash leaves the old file or none."""
    tensors = cpu_state_dict(model)
    return write_atomic(Path(path), lambda tmp: save_file(tensors, str(tmp)))


def load_weights(model: torch.nn.Module, path: Path | str, device: str | torch.device = "cpu") -> torch.nn.Module:
    """Load a safetensors file written by `save_weights` into `model` (every key must match); returns `model`."""
    state = load_file(str(path), device=str(torch.device(device)))
    try:
        model.load_state_dict(state, strict=True)
    except RuntimeError as err:
        first_line = str(err).strip().splitlines()[0]
        raise TrainboardError(f"weights file {Path(path).name} does not fit this model: {first_line}") from err
    return model


class BestCheckpoint(Monitor):
    """Saves the weights to `trainer.run_dir / filename` whenever `logs[monitor]` improves (only then), and
    adds `best_epoch` to the logs. Without a run folder the best weights are kept in memory (`best_state`)."""

    def __init__(
        self, monitor: str = "val_accuracy", mode: str = "max", filename: str = "best.safetensors", min_delta=0.0
    ):
        super().__init__(monitor, mode, min_delta)
        self.filename = filename

    def reset(self) -> None:
        super().reset()
        self.best_state: dict[str, torch.Tensor] | None = None
        self.path: Path | None = None

    def on_epoch_end(self, trainer: Any, logs: dict) -> None:
        if self.update(self.value(logs), trainer.epoch):
            if trainer.run_dir is None:
                self.best_state = cpu_state_dict(trainer.model)
            else:
                self.path = save_weights(trainer.model, Path(trainer.run_dir) / self.filename)
        if self.best_epoch is not None:
            logs["best_epoch"] = self.best_epoch
