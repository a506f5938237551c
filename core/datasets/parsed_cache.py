"""Parsed tables kept as parquet, so a load that would parse or generate the same big table again reads it back:
every background run loads its dataset in its own process, and on the 620,000-row LA table generating the
stand-in took 2.1 s and parsing the portal's CSV about 3 s, where reading the parquet copy takes 0.3 s.

The key names everything the table depends on: what the caller says (the file's path, size and modification
time, or the generator's rows and seed), the source of the modules that make it, and the pandas and pyarrow
versions that write and read it. A copy that cannot be read is made again; one that cannot be written costs only
the time. Tables smaller than MIN_ROWS are not kept: making them costs less than a file. The least recently read
copies go when the folder outgrows MAX_CACHE_BYTES.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from contextlib import suppress
from functools import cache
from importlib import metadata
from pathlib import Path

import pandas as pd

from core.atomic import write_atomic
from core.cache_trim import trim_least_recent
from core.errors import TrainboardError
from core.paths import cache_dir

MIN_ROWS = 100_000
SUFFIX = ".parquet"
# Tens of big tables (the 620,000-row LA stand-in is 15 MB as parquet); the least recently read go first.
MAX_CACHE_BYTES = 1 * 2**30


@cache
def _fingerprint(modules: tuple[Path, ...]) -> str:
    digest = hashlib.sha256()
    for name in ("pandas", "pyarrow"):
        try:
            digest.update(f"{name} {metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} absent\0".encode())
    for path in modules:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def entry_path(folder: str, identity: dict, modules: Iterable[Path]) -> Path:
    """Where the table named by `identity` (JSON-able) and made by the code in `modules` is kept."""
    key = json.dumps({"identity": identity, "code": _fingerprint(tuple(modules))}, sort_keys=True, default=str)
    return cache_dir(folder) / f"parsed-{hashlib.sha256(key.encode()).hexdigest()[:24]}{SUFFIX}"


def cached_table(
    folder: str, identity: dict, modules: Iterable[Path], make: Callable[[], pd.DataFrame]
) -> tuple[pd.DataFrame, bool]:
    """(the table, whether it was read from the cache): read back when kept, else `make()` and kept."""
    try:
        path = entry_path(folder, identity, modules)
    except (OSError, TrainboardError):  # no cache folder (a read-only data folder): make it every time
        return make(), False
    if path.is_file():
        try:
            frame = pd.read_parquet(path)
        except Exception:  # whatever a damaged file makes pyarrow raise: make it again, and replace the copy
            with suppress(OSError):
                path.unlink(missing_ok=True)
        else:
            _touch(path)  # the last use, for the least-recently-used clean-up
            return frame, True
    frame = make()
    if len(frame) >= MIN_ROWS:
        try:
            write_atomic(path, lambda tmp: frame.to_parquet(tmp, index=False))
        except Exception:  # a full disk, a column parquet cannot hold: the load goes on without a copy
            return frame, False
        trim_least_recent(path.parent.glob(f"parsed-*{SUFFIX}"), MAX_CACHE_BYTES, keep=path)
    return frame, False


def _touch(path: Path) -> None:
    with suppress(OSError):  # a read-only folder: the copy only ages
        os.utime(path)
