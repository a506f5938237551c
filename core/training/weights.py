"""A torch model's weights: copies, safetensors files (tensors only: loading runs no pickle, so no code), and
the methods through which callbacks see a torch trainer's weights.

Callbacks never touch a framework directly: they call `trainer.named_arrays()`, `snapshot()`, `restore()`,
`holds()`, `save_checkpoint()` and read `trainer.learning_rate`, which the torch Trainer gets from
`TorchWeights` below and the NumPy engine's Trainer implements on its own arrays. That is what lets one set of
callbacks serve both engines.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file, save_file

from core.atomic import write_atomic
from core.errors import TrainboardError


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


def to_numpy(tensor: torch.Tensor) -> np.ndarray:
    """A CPU NumPy copy of `tensor` (float32 for half-precision tensors, which NumPy cannot hold as bfloat16)."""
    tensor = tensor.detach()
    if tensor.dtype in (torch.float16, torch.bfloat16):
        tensor = tensor.float()
    return tensor.cpu().numpy().copy()


class TorchWeights:
    """The weight methods callbacks use, for a trainer with `model` (an nn.Module) and `optimizer`."""

    model: torch.nn.Module
    optimizer: torch.optim.Optimizer

    @property
    def learning_rate(self) -> float:
        """The first parameter group's rate: the one used during this epoch (schedules step after callbacks)."""
        return float(self.optimizer.param_groups[0]["lr"])

    def named_arrays(self, gradients: bool = True) -> Iterator[tuple[str, np.ndarray, np.ndarray | None]]:
        """(name, values, gradient or None) of every trainable parameter, as NumPy copies (a GPU's are copied
        to the CPU: with `gradients` False, only the values are)."""
        for name, param in self.model.named_parameters():
            if param.requires_grad:
                grad = to_numpy(param.grad) if gradients and param.grad is not None else None
                yield name, to_numpy(param), grad

    def snapshot(self) -> dict[str, torch.Tensor]:
        return cpu_state_dict(self.model)

    def restore(self, snapshot: dict[str, torch.Tensor]) -> None:
        self.model.load_state_dict(snapshot)

    def holds(self, snapshot: dict[str, torch.Tensor]) -> bool:
        current = self.model.state_dict()
        return current.keys() == snapshot.keys() and all(
            torch.equal(current[name].detach().cpu(), snapshot[name]) for name in snapshot
        )

    def save_checkpoint(self, path: Path | str) -> Path:
        return save_weights(self.model, path)
