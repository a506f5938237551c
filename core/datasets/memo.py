"""Recently loaded datasets kept in memory, so reruns of a page do not load them again.

Kept in core rather than in st.cache_data because a load reports progress to the page while it
runs, and a pickled copy per rerun of 55 MB of images would cost more than it saves.
The Dataset objects are shared: treat them as read-only (image arrays are made so).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from core.datasets.dataset import Dataset
from core.datasets.registry import LoadRequest, Progress, load_dataset, no_progress

MAX_ENTRIES = 4
_entries: OrderedDict[tuple, Dataset] = OrderedDict()
_lock = threading.Lock()


def _key(request: LoadRequest) -> tuple:
    # A file may change under the same path: its size and modification time are part of the key.
    stamp = None
    if request.path and Path(request.path).exists():
        stat = Path(request.path).stat()
        stamp = (stat.st_size, stat.st_mtime_ns)
    return (request, stamp)


def load_dataset_memo(request: LoadRequest, progress: Progress = no_progress) -> Dataset:
    key = _key(request)
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            return _entries[key]
    dataset = load_dataset(request, progress)
    if dataset.kind == "image":
        dataset.features.flags.writeable = False
    with _lock:
        _entries[key] = dataset
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return dataset


def clear() -> None:
    with _lock:
        _entries.clear()
