"""Runs: the SQLite registry (store), run folders (artifacts) and background worker processes (jobs).

`core.runs.worker` is not imported here: it is run as `python -m core.runs.worker`, and importing it
from the package first would make Python warn about running a module that is already imported.
"""

from core.runs.artifacts import (
    list_artifacts,
    load_sklearn_model,
    read_json,
    save_sklearn_model,
    write_frame,
    write_json,
    write_text,
)
from core.runs.jobs import MAX_WORKERS, max_workers, run_inline, stop, submit
from core.runs.record import DAMAGED, RunStoreError
from core.runs.store import (
    STATUSES,
    TERMINAL_STATUSES,
    RunNotFoundError,
    RunRecord,
    RunStateError,
    RunStore,
    versions,
)

__all__ = [
    "DAMAGED",
    "MAX_WORKERS",
    "STATUSES",
    "TERMINAL_STATUSES",
    "RunNotFoundError",
    "RunRecord",
    "RunStateError",
    "RunStore",
    "RunStoreError",
    "list_artifacts",
    "load_sklearn_model",
    "max_workers",
    "read_json",
    "run_inline",
    "save_sklearn_model",
    "stop",
    "submit",
    "versions",
    "write_frame",
    "write_json",
    "write_text",
]
