"""Callbacks a caller adds to the network runs started inside a `with extra_callbacks(...)` block (a sweep's
pruning callback, which needs its Optuna trial), without a run's stored configuration having to name them: the
run stays a normal run that reruns the same without them. Context-local, so concurrent callers do not mix."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from core.training.callbacks.base import Callback

_EXTRA: ContextVar[tuple[Callback, ...]] = ContextVar("trainboard_extra_callbacks", default=())


@contextmanager
def extra_callbacks(*callbacks: Callback) -> Iterator[None]:
    """Network runs executed in this block also call `callbacks` (after early stopping, before progress)."""
    token = _EXTRA.set(_EXTRA.get() + tuple(callbacks))
    try:
        yield
    finally:
        _EXTRA.reset(token)


def active_extra_callbacks() -> tuple[Callback, ...]:
    return _EXTRA.get()
