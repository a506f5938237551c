"""Whether a worker process is still alive: by pid, and by start time so a reused pid is not mistaken for it."""

from __future__ import annotations

import os
import time
from pathlib import Path

# Where a worker's start time cannot be read (no /proc), a pid may have been reused by another program;
# then a worker that has not stamped its heartbeat for this long is taken to be gone.
HEARTBEAT_STALE_SECONDS = 30.0


def process_start_ticks(pid: int) -> int | None:
    """When process `pid` started (clock ticks since boot, from /proc), or None where unknown."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
        return int(text[text.rindex(")") + 2 :].split()[19])
    except (OSError, ValueError, IndexError):
        return None


def pid_alive(pid: int, started: int | None = None) -> bool:
    """Whether `pid` is a live process and, when `started` is known, the same process (not a reused pid)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, under another user
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc: the simple check is all we have
    rest = text[text.rindex(")") + 2 :].split()
    if rest[0] in ("Z", "X"):  # a zombie has exited; only its parent has not collected it yet
        return False
    return started is None or process_start_ticks(pid) in (started, None)


def worker_gone(pid: int, started: int | None, heartbeat_at: float | None, now: float | None = None) -> str | None:
    """Why the worker recorded for a run (its pid, start ticks and last heartbeat, Unix seconds) is no longer
    running it, as a phrase; None while it may still be."""
    if not pid_alive(pid):
        return f"its worker process (pid {pid}) ended without finishing it (killed, e.g. by the out-of-memory killer)"
    if not pid_alive(pid, started):
        return f"its worker process (pid {pid}) is gone; that pid now belongs to another process"
    if started is None and heartbeat_at is not None:
        silent = (time.time() if now is None else now) - heartbeat_at
        if silent > HEARTBEAT_STALE_SECONDS:
            return f"its worker process (pid {pid}) has not reported for {silent:.0f} s"
    return None
