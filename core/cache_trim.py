"""Keeping a cache folder under a size: the least recently used files go first (a reader marks a use by touching
its file). Shared by the encoded-split cache (core/training/split_cache.py) and the parsed tables
(core/datasets/parsed_cache.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path


def trim_least_recent(
    files: Iterable[Path],
    max_bytes: int,
    keep: Path | None = None,
    companions: Callable[[Path], Iterable[Path]] = lambda path: (),
) -> list[Path]:
    """Remove the least recently modified of `files` until the rest fit in `max_bytes` (never `keep`), each with
    its `companions` (a lock file beside it); returns what was removed. Never fails."""
    entries = []
    try:
        for path in files:
            info = path.stat()
            entries.append((info.st_mtime, info.st_size, path))
    except OSError:
        return []
    total = sum(size for _, size, _ in entries)
    removed = []
    for _, size, path in sorted(entries, key=lambda entry: entry[0]):
        if total <= max_bytes:
            break
        if path == keep:
            continue
        try:
            path.unlink()
            for companion in companions(path):
                companion.unlink(missing_ok=True)
        except OSError:
            continue
        total -= size
        removed.append(path)
    return removed
