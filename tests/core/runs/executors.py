"""Tiny executors for the run tests, named in a run's config as "tests.core.runs.executors:NAME".
Settings come from the run's config (e.g. {"seconds": 2})."""

import os
import time

from core.errors import TrainboardError
from core.runs.store import RunStore, versions

FAKE_METRICS = {"accuracy": 0.9, "confusion_matrix": [[4, 1], [0, 5]]}


def _setting(run_id: str, store: RunStore, name: str, default):
    return store.get(run_id).config.get(name, default)


def quick(run_id: str, store: RunStore) -> None:
    """Reports two steps and finishes with fake metrics."""
    store.progress(run_id, "fit", 0.5, "half way")
    store.progress(run_id, "evaluate", 0.9, "scoring")
    store.finish(run_id, FAKE_METRICS, {"fit_seconds": 0.01}, "split-abc", versions())


_RUNS_HERE = []  # the runs this process has executed, in order


def counted(run_id: str, store: RunStore) -> None:
    """Finishes with its process's pid and the runs that process had executed before it, after config["seconds"]
    (default 0.2)."""
    time.sleep(_setting(run_id, store, "seconds", 0.2))
    metrics = {**FAKE_METRICS, "pid": os.getpid(), "before": list(_RUNS_HERE)}
    _RUNS_HERE.append(run_id)
    store.finish(run_id, metrics, {"fit_seconds": 0.01}, "split-abc", versions())


def slow(run_id: str, store: RunStore) -> None:
    """Ticks every 0.1 s for config["seconds"] (default 30), checking the stop flag; returns when asked to stop."""
    seconds = _setting(run_id, store, "seconds", 30)
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if store.stop_requested(run_id):
            return
        store.progress(run_id, "fit", (time.monotonic() - start) / seconds, "ticking")
        time.sleep(0.1)
    store.finish(run_id, FAKE_METRICS, {"fit_seconds": seconds}, "split-abc", versions())


def chatty(run_id: str, store: RunStore) -> None:
    """Updates progress in a tight loop for config["seconds"]; the number of updates ends up in the metrics."""
    seconds = _setting(run_id, store, "seconds", 1.0)
    start, updates = time.monotonic(), 0
    while time.monotonic() - start < seconds:
        updates += 1
        store.progress(run_id, "fit", min(1.0, (time.monotonic() - start) / seconds), f"update {updates}")
    store.finish(run_id, {"updates": updates}, {"fit_seconds": seconds}, "split-abc", versions())


def crash(run_id: str, store: RunStore) -> None:
    store.progress(run_id, "fit", 0.1, "about to fail")
    raise ValueError("boom\non two lines")


def user_error(run_id: str, store: RunStore) -> None:
    raise TrainboardError("column 'age' has no values")


def out_of_memory(run_id: str, store: RunStore) -> None:
    raise MemoryError


class Stopped(TrainboardError):
    run_status = "stopped"


class Diverged(Exception):
    run_status = "diverged"


class Finished(Exception):
    run_status = "finished"  # not a status an exception may choose: recorded as failed


def raises_stop(run_id: str, store: RunStore) -> None:
    raise Stopped("stopped by the user while fitting")


def raises_diverged(run_id: str, store: RunStore) -> None:
    raise Diverged("loss is NaN at epoch 3")


def raises_finished(run_id: str, store: RunStore) -> None:
    raise Finished("all good?")


def forgetful(run_id: str, store: RunStore) -> None:
    """Returns without ending the run."""
    store.progress(run_id, "fit", 1.0, "done, but forgot to finish")


def hog(run_id: str, store: RunStore) -> None:
    """A long fit that never looks at the stop flag."""
    store.progress(run_id, "fit", None, "one long fit")
    time.sleep(30)
    store.finish(run_id, FAKE_METRICS, {"fit_seconds": 30}, "split-abc", versions())


def hammer(path: str, seconds: float, results) -> None:
    """Not an executor: a whole process that creates a run and writes to it as fast as it can for `seconds`,
    putting ("ok", updates) or ("error", repr) on the `results` queue."""
    store = RunStore(path)
    try:
        run_id = store.create({}, "iris", "logreg", "classical", {}, {}, seed=0)
        assert store.claim(run_id, os.getpid(), max_running=100)
        start, updates = time.monotonic(), 0
        while time.monotonic() - start < seconds:
            updates += 1
            store.progress(run_id, "fit", 0.5, f"update {updates}")
            if updates % 20 == 0:
                store.list(status="running")
        store.finish(run_id, {"updates": updates}, {}, "h", {})
        results.put(("ok", updates))
    except Exception as exc:  # reported to the test, not lost in the child
        results.put(("error", repr(exc)))
