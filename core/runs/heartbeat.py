"""A worker's sign of life: a thread that stamps its run's row every few seconds while the run is its own.

The stamp (runs.heartbeat_at) tells a worker from a stranger where a process's start time cannot be read
(no /proc), and says how long ago a worker that died was last heard from.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from core.runs.store import RunStore

HEARTBEAT_SECONDS = 2.0


@contextmanager
def heartbeat(
    store: RunStore, run_ids: str | Sequence[str], pid: int, every: float = HEARTBEAT_SECONDS
) -> Iterator[None]:
    """Stamp run `run_ids` (one id, or several) as alive for worker `pid` every `every` seconds until the block
    ends; a run recorded as another worker's, or ended, is left alone (RunStore.heartbeat)."""
    ids = [run_ids] if isinstance(run_ids, str) else list(run_ids)
    done = threading.Event()

    def beat() -> None:
        while not done.wait(every):
            for run_id in ids:
                try:
                    store.heartbeat(run_id, pid)
                except Exception:  # a missed beat is harmless (a busy or vanished database); the next one retries
                    pass

    thread = threading.Thread(target=beat, name=f"heartbeat-{ids[0]}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join(timeout=1.0)  # a beat waiting for the database lock may outlast this; it is a daemon
