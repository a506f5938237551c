"""Files in a run's folder (history.csv, metrics.json, the fitted model, error.txt). Every write is atomic:
a reader (a page polling the folder) sees the old file or the new one, never half of one."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.atomic import is_temp_name, write_atomic

if TYPE_CHECKING:
    import pandas as pd

MODEL_FILE = "model.joblib"
# Every finished run's test predictions (dataset rows, true codes, probabilities), read by the Compare page,
# and for image data its most confident mistakes, read by the Neural Nets page.
PREDICTIONS_FILE = "predictions.npz"
MISCLASSIFIED_FILE = "misclassified.npz"


def _plain(obj: Any) -> Any:
    """What json cannot encode by itself: numpy scalars and arrays, paths, sets, dataclasses, DataFrames."""
    if hasattr(obj, "tolist"):  # numpy arrays and scalars
        return obj.tolist()
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, set | frozenset):
        return sorted(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    raise TypeError(f"cannot store a {type(obj).__name__} as JSON")


def dumps(obj: Any, indent: int | None = None) -> str:
    """JSON text for `obj`, accepting numpy values. NaN stays NaN (Python's json reads it back)."""
    return json.dumps(obj, default=_plain, indent=indent)


def _target(run_dir: Path, name: str) -> Path:
    path = Path(run_dir) / name
    if ".." in Path(name).parts or Path(name).is_absolute():
        raise ValueError(f"artifact name {name!r} must stay inside the run folder")
    return path


def write_text(run_dir: Path, name: str, text: str) -> Path:
    return write_atomic(_target(run_dir, name), lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_json(run_dir: Path, name: str, obj: Any) -> Path:
    return write_text(run_dir, name, dumps(obj, indent=2) + "\n")


def read_json(run_dir: Path, name: str) -> Any:
    return json.loads(_target(run_dir, name).read_text(encoding="utf-8"))


def write_frame(run_dir: Path, name: str, frame: pd.DataFrame) -> Path:
    """A DataFrame as CSV without its index (e.g. history.csv: one row per epoch)."""
    return write_atomic(_target(run_dir, name), lambda tmp: frame.to_csv(tmp, index=False))


def write_arrays(run_dir: Path, name: str, **arrays: Any) -> Path:
    """Named numpy arrays in one .npz file (e.g. a run's test predictions); read back without pickle."""
    import numpy as np

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as handle:  # a file handle: np.savez would append ".npz" to the temp name
            np.savez(handle, **arrays)

    return write_atomic(_target(run_dir, name), write)


def read_arrays(run_dir: Path, name: str) -> dict:
    """The arrays of a `write_arrays` file as a dict; FileNotFoundError when the run has none."""
    import numpy as np

    with np.load(_target(run_dir, name), allow_pickle=False) as data:
        return {key: data[key] for key in data.files}


def save_sklearn_model(run_dir: Path, model: Any, name: str = MODEL_FILE) -> Path:
    """A fitted scikit-learn (or xgboost sklearn-API) estimator, in joblib's format."""
    import joblib

    return write_atomic(_target(run_dir, name), lambda tmp: joblib.dump(model, tmp))


def load_sklearn_model(run_dir: Path, name: str = MODEL_FILE) -> Any:
    import joblib

    return joblib.load(_target(run_dir, name))


def list_artifacts(run_dir: Path) -> list[Path]:
    """The finished files in a run folder (recursively, sorted), leaving out writes still in progress."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        return []
    return sorted(path for path in run_dir.rglob("*") if path.is_file() and not is_temp_name(path.name))
