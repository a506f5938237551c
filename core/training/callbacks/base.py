"""The hooks a training loop offers, and the list that calls them in order.

A callback overrides only the hooks it needs; the others do nothing. Callbacks never break the loop
themselves: they call `trainer.request_stop(reason, status)` and the trainer checks `should_stop`.

What a callback may use of a trainer, in either engine (core.training.trainer for torch, core.scratch.trainer
for NumPy): the attributes run_dir, classes, epoch, batch, epochs, batches_per_epoch, X_val, y_val, history,
should_stop, stop_status, stop_reason; predict_proba(X) (float64 probabilities); learning_rate; and the weights
as the engine keeps them: named_arrays(gradients=True) (name, values, gradient or None, as NumPy arrays),
snapshot() (a copy), restore(snapshot), holds(snapshot) and save_checkpoint(path) (safetensors)."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from typing import Any

HOOKS = ("on_train_begin", "on_epoch_begin", "on_batch_end", "on_epoch_end", "on_train_end", "on_exception")


class Callback:
    """No-op hooks. `trainer` is the Trainer (see its attributes); `logs` is a dict the hook may add keys to."""

    def on_train_begin(self, trainer: Any, logs: dict) -> None:
        """Reset state here, so one instance can serve several runs."""

    def on_epoch_begin(self, trainer: Any, logs: dict) -> None:
        pass

    def on_batch_end(self, trainer: Any, logs: dict) -> None:
        """logs: {"batch": 1-based index within the epoch, "loss": this batch's mean training loss, "correct": its
        rows the model predicted right in that step's forward pass, "examples": its rows}."""

    def on_epoch_end(self, trainer: Any, logs: dict) -> None:
        """logs: {"epoch", "loss", "accuracy", "seconds", "examples_per_second"} plus keys earlier callbacks added."""

    def on_train_end(self, trainer: Any, logs: dict) -> None:
        pass

    def on_exception(self, trainer: Any, exc: BaseException) -> None:
        """The loop raised `exc`; release resources (files, writers). The trainer re-raises `exc` afterwards."""


class CallbackList:
    """Callbacks called in list order, so later ones see the keys earlier ones added to `logs`."""

    def __init__(self, callbacks: Iterable[Callback] = ()):
        self.callbacks = list(callbacks)

    def __iter__(self) -> Iterator[Callback]:
        return iter(self.callbacks)

    def __len__(self) -> int:
        return len(self.callbacks)

    def call(self, hook: str, trainer: Any, arg: Any) -> None:
        """Call `hook(trainer, arg)` on each callback. `arg` is the logs dict, or the exception for on_exception.

        on_exception reaches every callback even if one of them raises: a failing cleanup must not keep the
        others from closing their files, and must not hide the exception that stopped the run (it is warned)."""
        if hook not in HOOKS:
            raise ValueError(f"hook: unknown hook {hook!r}; expected one of {', '.join(HOOKS)}")
        if hook != "on_exception":
            for callback in self.callbacks:
                getattr(callback, hook)(trainer, arg)
            return
        for callback in self.callbacks:
            try:
                callback.on_exception(trainer, arg)
            except Exception as err:  # reported below; the original exception goes on
                warnings.warn(f"{type(callback).__name__}.on_exception failed: {err!r}", RuntimeWarning, stacklevel=2)
