"""Epoch scalars and weight/gradient histograms as TensorBoard event files, so that
`tensorboard --logdir data/runs` shows every run's curves and histograms."""

from __future__ import annotations

import math
from numbers import Real
from pathlib import Path
from typing import Any

import torch

from core.training.callbacks.base import Callback


class TensorBoardLogger(Callback):
    """Writes to run_dir/subdir (nothing without a run folder). At each epoch end, step = epoch: one scalar per
    numeric, finite log value (tag = the log key, "epoch" excepted), and histograms "weights/<name>" and
    "gradients/<name>" per parameter (finite values only)."""

    def __init__(self, subdir: str = "tensorboard"):
        self.subdir = subdir
        self.writer = None

    def on_train_begin(self, trainer: Any, logs: dict) -> None:
        self._close()
        if trainer.run_dir is None:
            return
        # Imported here: tensorboard takes seconds to import, and most pages never need it.
        from torch.utils.tensorboard import SummaryWriter

        self.writer = SummaryWriter(str(Path(trainer.run_dir) / self.subdir))

    def on_epoch_end(self, trainer: Any, logs: dict) -> None:
        if self.writer is None:
            return
        step = trainer.epoch
        for key, value in logs.items():
            if key != "epoch" and isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value):
                self.writer.add_scalar(key, float(value), step)
        for name, param in trainer.model.named_parameters():
            self._histogram(f"weights/{name}", param, step)
            if param.grad is not None:
                self._histogram(f"gradients/{name}", param.grad, step)
        self.writer.flush()

    def on_train_end(self, trainer: Any, logs: dict) -> None:
        self._close()

    def on_exception(self, trainer: Any, exc: BaseException) -> None:
        self._close()

    def _histogram(self, tag: str, tensor: torch.Tensor, step: int) -> None:
        values = tensor.detach().cpu().float().flatten()
        values = values[torch.isfinite(values)]  # the histogram of a diverged layer would fail on NaN
        if values.numel():
            self.writer.add_histogram(tag, values, step)

    def _close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None
