"""Epoch scalars and weight/gradient histograms as TensorBoard event files, so that
`tensorboard --logdir data/runs` shows every run's curves and histograms, whichever engine trained it.

The events are written with TensorBoard's own file writer and protocol buffers, not torch's SummaryWriter, so
this callback works for the NumPy engine without importing torch."""

from __future__ import annotations

import math
import time
from numbers import Real
from pathlib import Path
from typing import Any

import numpy as np

from core.training.callbacks.base import Callback

HISTOGRAM_BINS = 30


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
        # Imported here: most pages never need TensorBoard.
        from tensorboard.summary.writer.event_file_writer import EventFileWriter

        self.writer = EventFileWriter(str(Path(trainer.run_dir) / self.subdir))

    def on_epoch_end(self, trainer: Any, logs: dict) -> None:
        if self.writer is None:
            return
        from tensorboard.compat.proto.summary_pb2 import Summary

        values = [
            Summary.Value(tag=key, simple_value=float(value))
            for key, value in logs.items()
            if key != "epoch" and isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)
        ]
        for name, weights, grad in trainer.named_arrays():
            values += _histogram(f"weights/{name}", weights)
            if grad is not None:
                values += _histogram(f"gradients/{name}", grad)
        self._write(Summary(value=values), trainer.epoch)
        self.writer.flush()

    def on_train_end(self, trainer: Any, logs: dict) -> None:
        self._close()

    def on_exception(self, trainer: Any, exc: BaseException) -> None:
        self._close()

    def _write(self, summary, step: int) -> None:
        from tensorboard.compat.proto.event_pb2 import Event

        self.writer.add_event(Event(wall_time=time.time(), step=step, summary=summary))

    def _close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


def _histogram(tag: str, array: np.ndarray) -> list:
    """A TensorBoard histogram value of the finite entries of `array` (none when there are none: the histogram
    of a diverged layer would be meaningless)."""
    from tensorboard.compat.proto.summary_pb2 import HistogramProto, Summary

    values = np.asarray(array, dtype=np.float64).ravel()
    values = values[np.isfinite(values)]
    if not values.size:
        return []
    counts, edges = np.histogram(values, bins=HISTOGRAM_BINS)
    histogram = HistogramProto(
        min=float(values.min()),
        max=float(values.max()),
        num=float(values.size),
        sum=float(values.sum()),
        sum_squares=float((values * values).sum()),
        bucket_limit=edges[1:].tolist(),  # TensorBoard stores each bucket's right edge
        bucket=counts.astype(float).tolist(),
    )
    return [Summary.Value(tag=tag, histo=histogram)]
