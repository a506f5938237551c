"""Whether a worker process is still alive: by pid, and by start time so a reused pid is not mistaken for it."""

from __future__ import annotations

import os
from pathlib import Path


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
