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
    adds `best_epoch` to the logs. Without a run folder the best weights are kept in memory (`best_state`).
    With `tie_breaker` (a lower-is-better key such as "val_loss"), an epoch that equals the best monitored value
    and lowers the tie-breaker also counts: on a small validation set accuracy ties for many epochs while the
    loss still improves, and the earliest of them is rarely the best model."""

    def __init__(
        self,
        monitor: str = "val_accuracy",
        mode: str = "max",
        filename: str = "best.safetensors",
        min_delta=0.0,
        tie_breaker: str | None = None,
    ):
        super().__init__(monitor, mode, min_delta)
        self.filename = filename
        self.tie_breaker = tie_breaker

    def reset(self) -> None:
        super().reset()
        self.best_state: dict[str, torch.Tensor] | None = None
        self.path: Path | None = None
        self.best_tie_value: float | None = None

    def _breaks_tie(self, current: float | None, logs: dict) -> bool:
        value = logs.get(self.tie_breaker) if self.tie_breaker else None
        if current is None or self.best is None or current != self.best or value is None:
            return False
        return self.best_tie_value is None or value < self.best_tie_value

    def on_epoch_end(self, trainer: Any, logs: dict) -> None:
        current = self.value(logs)
        if self.improved(current) or self._breaks_tie(current, logs):
            self.best, self.best_epoch = current, trainer.epoch
            self.best_tie_value = logs.get(self.tie_breaker) if self.tie_breaker else None
            if trainer.run_dir is None:
                self.best_state = cpu_state_dict(trainer.model)
            else:
                self.path = save_weights(trainer.model, Path(trainer.run_dir) / self.filename)
        if self.best_epoch is not None:
            logs["best_epoch"] = self.best_epoch
