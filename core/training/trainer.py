"""The Trainer: a plain epoch loop over tensors that are already in memory (on the GPU when there is one).

Read it top to bottom: each epoch shuffles indices, slices batches out of the pre-loaded tensors (no
per-sample Python work, no DataLoader), optionally augments the whole batch, takes a step, and hands the
batch loss to the callbacks. At the end of the epoch the callbacks add validation metrics, checkpoints,
histograms, history and progress, and the schedule moves the learning rate. Callbacks stop training by
calling `request_stop`; the loop checks the flag after every batch and every epoch.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from core.training.allocator import keep_freed_memory
from core.training.callbacks.base import Callback, CallbackList
from core.training.data import Augment, batch_indices
from core.training.devices import mixed_precision_dtype, torch_dtype
from core.training.optim import make_optimizer
from core.training.options import TrainOptions
from core.training.schedules import make_schedule
from core.training.weights import TorchWeights

PREDICT_BATCH = 1024  # rows per forward pass when predicting; memory, not speed, bounds it


class Trainer(TorchWeights):
    """Trains `model` with `options` on `device`. Attributes are what callbacks may read (see the design in
    core/training/callbacks/base.py): model, optimizer, device, run_dir, classes, epoch, batch, epochs,
    batches_per_epoch, X_val, y_val, history, should_stop, stop_status, stop_reason; the weight methods come
    from TorchWeights."""

    def __init__(
        self,
        model: nn.Module,
        options: TrainOptions,
        *,
        classes: tuple[str, ...],
        device: torch.device,
        callbacks: list[Callback] = (),
        run_dir: Path | None = None,
        class_weights: torch.Tensor | None = None,
        seed: int = 0,
    ):
        self.options = options
        self.device = device
        self.classes = tuple(classes)
        self.run_dir = run_dir
        self.callbacks = CallbackList(list(callbacks))
        if device.type == "cpu":  # reuse activation memory between steps instead of page-faulting it in again
            keep_freed_memory()
        # Convolutions on CPU run faster in channels-last layout (oneDNN); tables and GPUs keep the default.
        self.channels_last = device.type == "cpu" and any(isinstance(m, nn.Conv2d) for m in model.modules())
        self.dtype = torch_dtype(options.dtype)
        layout = {"memory_format": torch.channels_last} if self.channels_last else {}
        self.model = model.to(device, dtype=self.dtype, **layout)
        self.optimizer = make_optimizer(
            options.optimizer,
            self.model.parameters(),
            lr=options.lr,
            momentum=options.momentum,
            weight_decay=options.weight_decay,
        )
        self.schedule = make_schedule(
            options.schedule,
            self.optimizer,
            epochs=options.epochs,
            step_size=options.step_size or None,
            gamma=options.gamma or None,
            patience=options.plateau_patience,
        )
        weights = class_weights.to(device) if class_weights is not None else None
        self.loss_fn = nn.CrossEntropyLoss(weight=weights, label_smoothing=options.label_smoothing)
        self.augment = Augment(
            crop_padding=options.crop_padding,
            hflip=options.hflip,
            erasing=options.erasing,
            rotation=options.rotation,
            zoom=options.zoom,
            noise=options.noise,
        )
        self.amp_dtype = mixed_precision_dtype(device, options.amp, options.dtype)
        self.amp = self.amp_dtype is not None
        # Loss scaling keeps small float16 gradients from flushing to zero; bfloat16 has float32's range.
        self.scaler = torch.amp.GradScaler(device.type, enabled=self.amp_dtype == torch.float16)
        self.generator = torch.Generator(device=device).manual_seed(seed)  # augmentation
        self.rng = np.random.default_rng(seed)  # the batch order, shared with the NumPy engine
        self.epochs = options.epochs
        self.epoch = self.batch = self.batches_per_epoch = 0
        self.X_val = self.y_val = None
        self.history: list[dict] = []
        self.should_stop, self.stop_status, self.stop_reason = False, None, ""

    def request_stop(self, reason: str, status: str) -> None:
        """Ask the loop to stop after the current batch; the first request's reason and status are kept."""
        if not self.should_stop:
            self.should_stop, self.stop_status, self.stop_reason = True, status, reason

    def fit(
        self, X_train: torch.Tensor, y_train: torch.Tensor, X_val: torch.Tensor | None = None, y_val=None
    ) -> list[dict]:
        """Train for `options.epochs` epochs or until a callback stops it; returns the history (one row per
        epoch, as written by HistoryWriter when it is among the callbacks)."""
        self.X_val, self.y_val = X_val, y_val
        n = len(X_train)
        self.batches_per_epoch = -(-n // self.options.batch_size)
        self.should_stop, self.stop_status, self.stop_reason = False, None, ""
        self.callbacks.call("on_train_begin", self, {})
        try:
            for epoch in range(1, self.epochs + 1):
                self.epoch = epoch
                self.callbacks.call("on_epoch_begin", self, {"epoch": epoch})
                logs = self._train_one_epoch(X_train, y_train)
                self.callbacks.call("on_epoch_end", self, logs)
                self.schedule.step(logs.get(self.schedule.monitor) if self.schedule.monitor else None)
                if self.should_stop:
                    break
            self.callbacks.call("on_train_end", self, {})
        except BaseException as exc:
            self.callbacks.call("on_exception", self, exc)
            raise
        return self.history

    def _train_one_epoch(self, X: torch.Tensor, y: torch.Tensor) -> dict:
        self.model.train()
        started = time.perf_counter()
        loss_sum, correct, seen = 0.0, 0, 0
        batches = batch_indices(len(X), self.options.batch_size, rng=self.rng, device=self.device)
        for self.batch, rows in enumerate(batches, 1):
            inputs, targets = X[rows], y[rows]
            if self.augment.active:
                inputs = self.augment(inputs, self.generator)
            loss, logits = self._step(inputs, targets)
            hits = (logits.argmax(dim=1) == targets).sum()
            # The loss's .item() syncs with the GPU once per batch (the NaN check and the live curves need numbers);
            # the hits were queued before it, so reading them after it waits for nothing more.
            batch_loss = loss.item()
            batch_correct = int(hits.item())
            loss_sum += batch_loss * len(rows)
            correct += batch_correct
            seen += len(rows)
            logs = {"batch": self.batch, "loss": batch_loss, "correct": batch_correct, "examples": len(rows)}
            self.callbacks.call("on_batch_end", self, logs)
            if self.should_stop:
                break
        seconds = time.perf_counter() - started
        return {
            "epoch": self.epoch,
            "loss": loss_sum / max(seen, 1),
            "accuracy": correct / max(seen, 1),
            "seconds": seconds,
            "examples_per_second": seen / seconds if seconds > 0 else 0.0,
        }

    def _step(self, inputs: torch.Tensor, targets: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """One optimisation step; returns the batch's data loss (without the L1 term) and its logits."""
        self.optimizer.zero_grad(set_to_none=True)
        if self.channels_last:  # slicing rows out of a channels-last tensor does not keep the layout
            inputs = inputs.contiguous(memory_format=torch.channels_last)
        with torch.autocast(self.device.type, dtype=self.amp_dtype, enabled=self.amp):
            logits = self.model(inputs)
            loss = self.loss_fn(logits, targets)
        objective = loss
        if self.options.l1:
            objective = loss + self.options.l1 * sum(p.abs().sum() for p in self.model.parameters() if p.dim() > 1)
        self.scaler.scale(objective).backward()
        self.scaler.step(self.optimizer)
        self.scaler.update()
        return loss.detach(), logits.detach()

    @torch.no_grad()
    def predict_proba(self, X: torch.Tensor) -> np.ndarray:
        """N x C softmax probabilities (float64) in eval mode, PREDICT_BATCH rows at a time."""
        was_training = self.model.training
        self.model.eval()
        try:
            parts = []
            # Test-time flips: the mean of an image's and its mirror's probabilities (images only: a table's
            # columns have no left and right).
            mirrored = self.options.tta_hflip and X.ndim == 4
            for start in range(0, len(X), PREDICT_BATCH):
                batch = X[start : start + PREDICT_BATCH]
                with torch.autocast(self.device.type, dtype=self.amp_dtype, enabled=self.amp):
                    proba = torch.softmax(self.model(batch).double(), dim=1)
                    if mirrored:
                        proba = (proba + torch.softmax(self.model(batch.flip(-1)).double(), dim=1)) / 2
                parts.append(proba.cpu())
            proba = torch.cat(parts).numpy() if parts else np.empty((0, len(self.classes)))
        finally:
            self.model.train(was_training)
        return proba
