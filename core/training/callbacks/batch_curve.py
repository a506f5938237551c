"""Training loss and accuracy within an epoch, a point every few seconds, so the page's live curves move long
before the first epoch ends (a CNN's first epoch on a CPU takes minutes).

Each point is the mean over the batches since the previous point, weighted by rows, of the loss and the share of
rows predicted right that the trainer put in the batch logs: the batches' own predictions, no extra forward pass.
Points go to run_dir/batch_curve.jsonl, one JSON object a line, appended with one write each; a reader that
meets a last line without its newline (a write in progress) leaves it out, so it never sees half a point."""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.errors import TrainboardError
from core.runs.artifacts import write_text
from core.training.callbacks.base import Callback

BATCH_CURVE_FILE = "batch_curve.jsonl"
EVERY_SECONDS = 2.0  # a point at least this often, so a slow epoch still shows movement
POINTS_PER_EPOCH = 20  # and at least this many per epoch, so a fast epoch still has a shape


class BatchCurve(Callback):
    """After a batch, writes a point when `every_seconds` (of `clock`, monotonic seconds) have passed since the
    previous one or `ceil(batches_per_epoch / points_per_epoch)` batches have, whichever comes first; at an
    epoch end it writes the batches left since the last point, so each epoch's points end at its last batch.

    A point is {"epoch": fractional epochs done (epoch - 1 + batch / batches_per_epoch), "seconds": since
    training began, at the point's last batch, "loss", "accuracy": row-weighted means over its batches (None
    when not finite, or accuracy None when the logs hold no "correct")}. At each epoch end it also sets
    `logs["elapsed_seconds"]`: seconds from the start of training to the end of that epoch's last batch, the
    epoch's place on a wall-time axis."""

    def __init__(
        self,
        every_seconds: float = EVERY_SECONDS,
        points_per_epoch: int = POINTS_PER_EPOCH,
        clock: Callable[[], float] = time.monotonic,
    ):
        if isinstance(points_per_epoch, bool) or not isinstance(points_per_epoch, int) or points_per_epoch < 1:
            raise TrainboardError(f"points_per_epoch: must be a whole number >= 1, got {points_per_epoch!r}")
        if not every_seconds > 0:
            raise TrainboardError(f"every_seconds: must be a number of seconds > 0, got {every_seconds!r}")
        self.every_seconds = every_seconds
        self.points_per_epoch = points_per_epoch
        self.clock = clock
        self.points: list[dict] = []
        self._started = self._last_point = self._last_batch = 0.0
        self._reset_window()

    def on_train_begin(self, trainer: Any, logs: dict) -> None:
        self.points = []
        self._started = self._last_point = self._last_batch = self.clock()
        self._reset_window()
        if trainer.run_dir is not None:  # a rerun in the same folder starts a new curve
            write_text(Path(trainer.run_dir), BATCH_CURVE_FILE, "")

    def on_batch_end(self, trainer: Any, logs: dict) -> None:
        now = self._last_batch = self.clock()
        rows = logs.get("examples", 1)
        self._loss_sum += logs["loss"] * rows
        self._rows += rows
        if self._correct is not None and "correct" in logs:
            self._correct += logs["correct"]
        else:
            self._correct = None
        self._batches += 1
        self._batch = logs.get("batch", trainer.batch)
        every_batches = -(-max(trainer.batches_per_epoch, 1) // self.points_per_epoch)
        if now - self._last_point >= self.every_seconds or self._batches >= every_batches:
            self._write_point(trainer)

    def on_epoch_end(self, trainer: Any, logs: dict) -> None:
        if self._batches:
            self._write_point(trainer)
        logs["elapsed_seconds"] = self._last_batch - self._started

    def _write_point(self, trainer: Any) -> None:
        batches = max(trainer.batches_per_epoch, 1)
        loss = self._loss_sum / self._rows if self._rows else math.nan
        accuracy = self._correct / self._rows if self._correct is not None and self._rows else None
        point = {
            "epoch": round(trainer.epoch - 1 + self._batch / batches, 6),
            "seconds": round(self._last_batch - self._started, 3),
            "loss": float(loss) if math.isfinite(loss) else None,
            "accuracy": accuracy,
        }
        self.points.append(point)
        self._last_point = self._last_batch
        self._reset_window()
        if trainer.run_dir is not None:
            append_line(Path(trainer.run_dir) / BATCH_CURVE_FILE, json.dumps(point))

    def _reset_window(self) -> None:
        self._loss_sum, self._rows, self._correct, self._batches, self._batch = 0.0, 0, 0, 0, 0


def append_line(path: Path, line: str) -> None:
    """`line` and its newline at the end of `path`, in one write (O_APPEND: never between another line's bytes)."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
    finally:
        os.close(fd)


def read_batch_curve(run_dir: Path | str) -> list[dict]:
    """The points BatchCurve wrote for a run, oldest first; [] when none is written yet. A last line still being
    written (no newline yet) is left out."""
    path = Path(run_dir) / BATCH_CURVE_FILE
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")  # ASCII: json.dumps escapes everything else
    complete = text[: text.rfind("\n") + 1]
    return [json.loads(line) for line in complete.splitlines() if line]
