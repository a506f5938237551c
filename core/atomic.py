"""Write files so that a reader never sees half of one: a temp file next to the target, then rename.

The temp file is `.{target name}.{pid}-{8 hex}.part` (hidden, and skipped by `is_temp_name` readers) and
its writer holds an flock on it until the rename. A process killed mid-write leaves its temp file
behind, unlocked: the next write into the same folder removes such leftovers, and `remove_leftovers`
clears a whole tree (the run store does it for the folder of a run whose worker died).

Files are created with mode 0666 less the umask, as other programs' files are (mkstemp would make 0600).
"""

from __future__ import annotations

import os
import re
import secrets
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from core.paths import ensure_dir

try:
    import fcntl
except ImportError:  # no flock (Windows): leftovers are still hidden from readers, only never removed
    fcntl = None

# Ours: ".NAME.PID-HEX.part"; and the mkstemp names of earlier versions: ".NAME.XXXXXXXX.part".
_TEMP_NAME = re.compile(r"\..+\.(\d+-[0-9a-f]{8}|[a-z0-9_]{8})\.part")
# The next writer leaves younger unlocked temp files alone: a writer has a moment between creating its
# temp file and locking it, and a library that replaces the file it was given loses the lock.
LEFTOVER_MIN_AGE_SECONDS = 10.0


def is_temp_name(name: str) -> bool:
    """Whether `name` is an atomic write's temp file (in progress, or left by a killed writer)."""
    return name.startswith(".") and name.endswith(".part")


def _create_locked(path: Path) -> int:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    if fcntl is not None:
        with suppress(OSError):  # a filesystem without locks: the write works, its leftover just stays
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd


def _remove_if_unlocked(path: Path) -> bool:
    """Remove a temp file nobody holds locked (its writer is gone); False if it is locked or cannot be told."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        path.unlink(missing_ok=True)  # while holding the lock, so no writer can be mid-way
        return True
    except OSError:  # locked by a live writer, or no locks here
        return False
    finally:
        os.close(fd)


def remove_leftovers(folder: Path, min_age_seconds: float = LEFTOVER_MIN_AGE_SECONDS, recursive: bool = False) -> list:
    """Remove the temp files in `folder` (and below it, when `recursive`) that killed writers left: unlocked
    and unchanged for `min_age_seconds`. Returns their paths; never fails."""
    if fcntl is None:
        return []
    removed = []
    now = time.time()
    try:
        candidates = list(Path(folder).rglob(".*.part") if recursive else Path(folder).glob(".*.part"))
    except OSError:
        return []
    for path in candidates:
        if not _TEMP_NAME.fullmatch(path.name):
            continue
        try:
            info = path.lstat()
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode) and now - info.st_mtime >= min_age_seconds and _remove_if_unlocked(path):
            removed.append(path)
    return removed


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path next to `target`; on success it replaces `target`, on error it is removed."""
    target = Path(target)
    ensure_dir(target.parent)
    remove_leftovers(target.parent)
    while True:
        tmp = target.parent / f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.part"
        try:
            fd = _create_locked(tmp)
            break
        except FileExistsError:
            continue
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        try:
            tmp.unlink(missing_ok=True)
        finally:
            os.close(fd)  # releases the lock, after the rename: the file is never unlocked under its temp name


def write_atomic(target: Path, write: Callable[[Path], None]) -> Path:
    """Call `write(tmp_path)` and move the result onto `target` only if it returned normally."""
    with atomic_path(target) as tmp:
        write(tmp)
    return Path(target)


def write_bytes_atomic(target: Path, data: bytes) -> Path:
    return write_atomic(target, lambda tmp: tmp.write_bytes(data))
