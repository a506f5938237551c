"""What the run store hands out: a run's row, decoded, and the errors it raises."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.errors import TrainboardError


class RunNotFoundError(TrainboardError, LookupError):
    """No run has this id."""


class RunStateError(TrainboardError, ValueError):
    """The run's status does not allow this (an illegal transition, deleting a running run)."""


@dataclass(frozen=True)
class RunRecord:
    """One row of the registry with its JSON columns decoded. Times are ISO 8601 UTC strings."""

    id: str
    created_at: str
    started_at: str | None
    finished_at: str | None
    dataset: str
    split_hash: str | None
    model: str
    family: str
    params: dict
    preprocess: Any
    config: dict
    seed: int
    tags: list
    status: str
    stage: str | None
    fraction: float | None
    message: str | None
    eta_seconds: float | None
    timings: dict | None
    metrics: dict | None
    versions: dict | None
    error: str | None
    worker_pid: int | None
    stop_requested: bool
    elapsed_seconds: float | None  # running time so far (or in all, once ended); None before it starts

    @property
    def is_active(self) -> bool:
        return self.status in ("queued", "running")
