"""The encoded split on disk: a run's train/validation/test arrays after the fitted preprocessing (and the fitted
feature steps themselves), kept so that the next run on the same rows, in another worker process, reads them
instead of encoding again. On the 620,000-row LA table encoding took 8-10 s per run (OneHotEncoder's fit on the
text columns most of it); mapping the 735 MB back takes a fraction of a second.

One file per key in data/cache/encoded-splits/. The key (`split_key`) hashes everything the arrays depend on: the
rows (the dataset's sha256 after the row steps and the limit, and the split's hash), the column kinds, the spec,
the limit and the seed, the versions of the libraries that encode, the source of core/preprocess/ and this file's
format. Workers that start on the same rows together take turns (a lock file per key): one encodes, the others
read what it wrote.

A file is written atomically. One that cannot be read back whole and as written (truncated, a damaged header,
another format or key) is ignored and written again, never an error; a cache that cannot be written costs only
the time. The arrays' bytes carry no checksum: summing 735 MB would cost most of what the cache saves, and an
atomic write leaves a file whole or absent. The least recently used files go when the folder outgrows
MAX_CACHE_BYTES. Image data is not kept: flattening pixels costs less than reading them back.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import pickle
import struct
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from core.atomic import write_atomic
from core.cache_trim import trim_least_recent
from core.datasets import Dataset, Split
from core.errors import TrainboardError
from core.paths import REPO_ROOT, cache_dir
from core.preprocess import PreprocessSpec

try:
    import fcntl
except ImportError:  # no flock (Windows): workers started together each encode
    fcntl = None

FORMAT = "trainboard-encoded-split-1"
FOLDER = "encoded-splits"
SUFFIX = ".split"
LOCK_SUFFIX = ".lock"
# A worker waits this long for another that is encoding the same rows (8-10 s on the LA table), then encodes too.
LOCK_WAIT_SECONDS = 300.0
LOCK_POLL_SECONDS = 0.1
PARTS = ("train", "val", "test")
ARRAY_NAMES = [f"{part}_{xy}" for part in PARTS for xy in ("X", "y")]  # in the file's order
CACHED_KINDS = ("tabular",)
MAX_CACHE_BYTES = 4 * 2**30  # a few encoded LA tables (735 MB each at 620,000 rows x 174 columns)
ENCODING_LIBRARIES = ("numpy", "pandas", "scikit-learn", "imbalanced-learn")
ENCODING_SOURCE = REPO_ROOT / "core" / "preprocess"  # a change to how we encode must not read old arrays
ALIGN = 64  # bytes: each array starts on a cache line, as numpy's own allocations do
_LENGTH = struct.Struct("<Q")  # the header's length in bytes, before the header

Parts = dict[str, tuple[np.ndarray, np.ndarray]]


def fit_parts(dataset: Dataset, spec: PreprocessSpec, split: Split) -> tuple[Any, Parts]:
    """What a cache miss costs: the fitted feature steps and the encoded parts (core.preprocess.transform_split,
    keeping the steps it fits)."""
    from core.preprocess.pipeline import _fit_parts

    return _fit_parts(dataset, spec, split)


@cache
def _encoder_versions() -> tuple:
    versions = []
    for name in ENCODING_LIBRARIES:
        try:
            versions.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            versions.append((name, "absent"))
    source = hashlib.sha256()
    for path in sorted(ENCODING_SOURCE.glob("*.py")):
        source.update(path.name.encode() + b"\0" + path.read_bytes())
    return (*versions, ("core/preprocess", source.hexdigest()))


def split_key(dataset: Dataset, spec: PreprocessSpec, split: Split, *, limit: int | None, seed: int) -> str:
    """sha256 (hex) naming the encoded arrays of `split` of `dataset` (after its row steps and limit) under
    `spec`: the same for the same inputs in any process, different when any of them differs."""
    identity = {
        "format": FORMAT,
        "dataset_sha256": dataset.provenance.sha256,
        "kind": dataset.kind,
        "feature_types": sorted((str(k), str(v)) for k, v in dataset.feature_types.items()),
        "classes": list(dataset.classes),
        "spec": json.loads(spec.to_json()),
        "limit": limit,
        "seed": seed,
        "split_hash": split.hash,
        "encoder": [list(pair) for pair in _encoder_versions()],
    }
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()


def entry_path(key: str) -> Path:
    return cache_dir(FOLDER) / f"{key}{SUFFIX}"


def encoded_split(
    dataset: Dataset, spec: PreprocessSpec, split: Split, *, limit: int | None, seed: int
) -> tuple[Any, Parts]:
    """(fitted feature steps, {"train"|"val"|"test": (X, y)}) as `fit_parts` gives them, read from the cache when
    an earlier run kept these very arrays, and kept for the next run when not."""
    if dataset.kind not in CACHED_KINDS:
        return fit_parts(dataset, spec, split)
    try:
        path = entry_path(split_key(dataset, spec, split, limit=limit, seed=seed))
    except (OSError, TrainboardError):  # the cache folder cannot be made: encode every time
        return fit_parts(dataset, spec, split)
    kept = load_entry(path)
    if kept is None:
        with encoding_lock(path):  # workers started together: one encodes, the others wait and read its file
            kept = load_entry(path)
            if kept is None:
                kept = fit_parts(dataset, spec, split)
                save_entry(path, *kept)
    return kept


@contextmanager
def encoding_lock(path: Path, wait_seconds: float = LOCK_WAIT_SECONDS) -> Iterator[bool]:
    """Hold the lock on encoding `path`'s split (a lock file beside it, released when its holder dies) for a
    `with` block; yields whether it got it. After `wait_seconds`, or where files cannot be locked, the block
    runs anyway: two workers encoding the same rows only cost time."""
    if fcntl is None:
        yield False
        return
    try:
        fd = os.open(path.with_suffix(LOCK_SUFFIX), os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError:
        yield False
        return
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                locked = True
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    locked = False
                    break
                time.sleep(LOCK_POLL_SECONDS)
            except OSError:  # a filesystem without locks
                locked = False
                break
        yield locked
    finally:
        os.close(fd)  # releases the lock


def load_entry(path: Path) -> tuple[Any, Parts] | None:
    """What `save_entry` kept in `path`, or None when there is nothing or it cannot be read back whole. The arrays
    are copy-on-write maps of the file: nothing is copied until a page is read, writing to them leaves the file
    as it is, and workers reading one split at once share its pages."""
    try:
        with open(path, "rb") as file:
            kept = _read(file, path.name.removesuffix(SUFFIX), os.fstat(file.fileno()).st_size)
    except Exception:  # whatever a damaged file makes the reader (or the unpickler) raise: encode again
        return None
    if kept is not None:
        try:
            os.utime(path)  # the last use, for the least-recently-used clean-up
        except OSError:
            pass
    return kept


def _aligned(offset: int) -> int:
    return -(-offset // ALIGN) * ALIGN


def _layout(prefix: int, sizes: list[int]) -> list[int]:
    """Where each array and then the pickled steps start, after a magic line and header of `prefix` bytes."""
    offsets = [_aligned(prefix)]
    for size in sizes:
        offsets.append(_aligned(offsets[-1] + size))
    return offsets


def _read(file, key: str, size: int) -> tuple[Any, Parts] | None:
    magic = FORMAT.encode() + b"\n"
    if file.read(len(magic)) != magic:
        return None
    (length,) = _LENGTH.unpack(file.read(_LENGTH.size))
    header = json.loads(file.read(min(length, size)))
    if header["key"] != key or [entry["name"] for entry in header["arrays"]] != ARRAY_NAMES:
        return None
    layout = [(np.dtype(entry["dtype"]), tuple(int(n) for n in entry["shape"])) for entry in header["arrays"]]
    if any(dtype.kind not in "biuf" or min(shape, default=0) < 0 for dtype, shape in layout):
        return None
    counts = [int(np.prod(shape)) for _, shape in layout]
    sizes = [dtype.itemsize * count for (dtype, _), count in zip(layout, counts, strict=True)]
    offsets = _layout(len(magic) + _LENGTH.size + length, sizes)
    features_bytes = int(header["features_bytes"])
    if offsets[-1] + features_bytes != size:  # truncated, or more than was written
        return None
    mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_COPY)  # stays open as long as an array uses it
    arrays = [
        np.frombuffer(mapped, dtype=dtype, count=count, offset=offset).reshape(shape)
        for (dtype, shape), count, offset in zip(layout, counts, offsets, strict=False)
    ]
    parts = {part: (arrays[2 * i], arrays[2 * i + 1]) for i, part in enumerate(PARTS)}
    if any(X.ndim != 2 or y.ndim != 1 or len(X) != len(y) for X, y in parts.values()):
        return None
    if len({X.shape[1] for X, _ in parts.values()}) != 1:
        return None
    # Our own file in our own cache folder, named by a key only we compute: unpickling it is as safe as the
    # run's model.joblib.
    features = pickle.loads(mapped[offsets[-1] :])
    return features, parts


def save_entry(path: Path, features: Any, parts: Parts) -> bool:
    """Keep `features` and `parts` in `path` (atomically), then trim the folder; False when they were not kept
    (too big for the cache, a full disk, a read-only folder): the run goes on without them."""
    arrays = [np.ascontiguousarray(array) for part in PARTS for array in parts[part]]
    if sum(array.nbytes for array in arrays) > MAX_CACHE_BYTES:
        return False
    try:
        pickled = pickle.dumps(features, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # steps that cannot be pickled (a user's lambda): not kept, the run goes on
        return False
    header = json.dumps(
        {
            "key": path.name.removesuffix(SUFFIX),
            "arrays": [
                {"name": name, "dtype": array.dtype.str, "shape": list(array.shape)}
                for name, array in zip(ARRAY_NAMES, arrays, strict=True)
            ],
            "features_bytes": len(pickled),
        }
    ).encode()
    prefix = FORMAT.encode() + b"\n" + _LENGTH.pack(len(header)) + header
    offsets = _layout(len(prefix), [array.nbytes for array in arrays])

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as file:
            file.write(prefix)
            for array, offset in zip(arrays, offsets, strict=False):
                file.write(b"\0" * (offset - file.tell()))  # aligned, so the mapped arrays are too
                if array.size:  # (memoryview cannot cast an empty part)
                    file.write(memoryview(array).cast("B"))
            file.write(b"\0" * (offsets[-1] - file.tell()))
            file.write(pickled)

    try:
        write_atomic(path, write)
    except (OSError, TrainboardError):
        return False
    trim(path.parent, MAX_CACHE_BYTES, keep=path)
    return True


def trim(folder: Path, max_bytes: int, keep: Path | None = None) -> list[Path]:
    """Remove the least recently used entries of `folder` until they fit in `max_bytes` (never `keep`), each
    with its lock file; returns what was removed. Never fails."""
    # Temp files end in .part: a write in progress is not counted.
    entries = folder.glob(f"*{SUFFIX}")
    return trim_least_recent(entries, max_bytes, keep, companions=lambda path: [path.with_suffix(LOCK_SUFFIX)])
