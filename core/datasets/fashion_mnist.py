"""Fashion-MNIST (and, through core/datasets/mnist.py, MNIST): the IDX files, found on disk, uploaded, or downloaded,
then cached.

Look-up order for `auto`: $TRAINBOARD_DATA, data/, the Debian package's folder, then a download
from the official mirror with MD5 check. The first read is converted to one .npz in data/cache,
so later loads take a fraction of a second.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from core.atomic import atomic_path
from core.datasets.dataset import Dataset, Provenance, content_sha256
from core.datasets.idx import read_image_label_pair
from core.datasets.registry import Availability, DatasetLoader, LoadRequest, Progress, register_dataset
from core.download import download_file
from core.errors import DataError
from core.paths import cache_dir, data_dir

PARTS = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


@dataclass
class IdxImageLoader(DatasetLoader):
    """A 28x28 grayscale set published as four IDX files (train/test images and labels)."""

    class_names: tuple[str, ...] = ()
    mirror: str = ""
    md5: tuple[str, ...] = ()  # of the four .gz files on the mirror, in PARTS order
    system_dirs: tuple[str, ...] = ()

    # --- where the files are -------------------------------------------------------------
    def search_dirs(self) -> list[Path]:
        dirs = []
        if os.environ.get("TRAINBOARD_DATA"):
            base = Path(os.environ["TRAINBOARD_DATA"])
            dirs += [base, base / self.name]
        dirs += [data_dir(), data_dir() / self.name]
        return dirs + [Path(d) for d in self.system_dirs]

    @staticmethod
    def files_in(directory: Path) -> list[Path] | None:
        """The four IDX files in `directory` (.gz or raw), or None if any is missing."""
        found = []
        for part in PARTS:
            candidates = [directory / f"{part}.gz", directory / part]
            match = next((c for c in candidates if c.is_file()), None)
            if match is None:
                return None
            found.append(match)
        return found

    def find_local(self) -> tuple[list[Path], str] | None:
        for directory in self.search_dirs():
            files = self.files_in(directory)
            if files:
                source = "debian-package" if str(directory) in self.system_dirs else "file"
                return files, source
        return None

    def availability(self) -> Availability:
        local = self.find_local()
        if local:
            return Availability(True, f"{local[1]}: {local[0][0].parent}")
        return Availability(False, "not on this machine: download it, or upload the four IDX files or a CSV")

    # --- loading ---------------------------------------------------------------------------
    def load(self, request: LoadRequest, progress: Progress) -> Dataset:
        if request.source == "file":
            path = Path(request.path)
            if path.is_file() and path.suffix.lower() in {".csv", ".gz"} and "idx" not in path.name:
                return self._from_csv(path, progress)
            if path.is_file():
                path = path.parent
            files = self.files_in(path)
            if not files:
                raise DataError(f"{path}: expected the four IDX files ({', '.join(PARTS)}, .gz or raw)")
            return self._from_idx(files, "file", progress)
        if request.source == "auto":
            local = self.find_local()
            if local:
                return self._from_idx(local[0], local[1], progress)
        return self._from_idx(self._download(progress), "download", progress)

    def _download(self, progress: Progress) -> list[Path]:
        target = data_dir() / self.name
        files = []
        for i, (part, md5) in enumerate(zip(PARTS, self.md5, strict=True)):
            name = f"{part}.gz"

            def scaled(fraction, message, i=i):
                progress(None if fraction is None else (i + fraction) / len(PARTS), message)

            files.append(download_file(f"{self.mirror}/{name}", target / name, md5=md5, progress=scaled))
        return files

    def _cache_path(self, files: list[Path]) -> Path:
        # Keyed by where the files are and when they changed: hashing 30 MB on every load would
        # cost more than the whole cached load.
        key = hashlib.sha256()
        for f in files:
            stat = f.stat()
            key.update(f"{f.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode())
        return cache_dir(self.name) / f"{key.hexdigest()[:16]}.npz"

    def _from_idx(self, files: list[Path], source: str, progress: Progress) -> Dataset:
        cache = self._cache_path(files)
        rebuilt = ()
        if cache.exists():
            try:
                with np.load(cache, allow_pickle=False) as stored:
                    meta = json.loads(str(stored["meta"]))
                    return self._dataset(stored["images"], stored["labels"], meta["n_train"], meta, source)
            except (
                OSError,
                ValueError,
                KeyError,
                EOFError,
                zipfile.BadZipFile,
            ):  # truncated or damaged: rebuild it below, and say so
                cache.unlink(missing_ok=True)
                rebuilt = (f"the cache {cache.name} was unreadable (truncated or damaged) and was rebuilt",)
        progress(0.0, f"reading {files[0].parent}")
        x_train, y_train = read_image_label_pair(files[0], files[1], len(self.class_names))
        progress(0.6, "reading the test files")
        x_test, y_test = read_image_label_pair(files[2], files[3], len(self.class_names))
        if x_train.shape[1:] != x_test.shape[1:]:
            raise DataError(f"{files[2]}: test images are {x_test.shape[1:]}, train images {x_train.shape[1:]}")
        images = np.concatenate([x_train, x_test])
        labels = np.concatenate([y_train, y_test])
        meta = {
            "n_train": len(x_train),
            "location": str(files[0].parent),
            "sha256": content_sha256(images, labels, self.class_names),
        }
        progress(0.9, "writing the cache")
        with atomic_path(cache) as tmp:
            with tmp.open("wb") as out:
                np.savez(out, images=images, labels=labels, meta=np.array(json.dumps(meta)))
        progress(1.0, "done")
        dataset = self._dataset(images, labels, meta["n_train"], meta, source)
        if rebuilt:
            notes = (*dataset.provenance.notes, *rebuilt)
            dataset = replace(dataset, provenance=replace(dataset.provenance, notes=notes))
        return dataset

    def _from_csv(self, path: Path, progress: Progress) -> Dataset:
        """A CSV of `label,pixel1..pixelN` (N a square), as Kaggle publishes Fashion-MNIST."""
        progress(None, f"reading {path.name}")
        try:
            frame = pd.read_csv(path)
        except (ValueError, UnicodeDecodeError, OSError) as exc:
            raise DataError(f"{path}: not a readable CSV ({str(exc).splitlines()[0]})") from None
        if frame.empty:
            raise DataError(f"{path}: the CSV has no rows")
        if frame.columns[0] != "label":
            raise DataError(f"{path}: first column must be 'label', found '{frame.columns[0]}'")
        side = int(round((frame.shape[1] - 1) ** 0.5))
        if side * side != frame.shape[1] - 1:
            raise DataError(f"{path}: {frame.shape[1] - 1} pixel columns is not a square image")
        pixels = frame.iloc[:, 1:]
        if (
            not all(pd.api.types.is_integer_dtype(t) for t in pixels.dtypes)
            or pixels.to_numpy().min() < 0
            or pixels.to_numpy().max() > 255
        ):
            raise DataError(f"{path}: pixel values must be whole numbers 0..255")
        labels = frame["label"].to_numpy()
        if labels.min() < 0 or labels.max() >= len(self.class_names):
            raise DataError(f"{path}: label outside 0..{len(self.class_names) - 1}")
        images = pixels.to_numpy(dtype=np.uint8).reshape(-1, side, side)
        labels = labels.astype(np.int64)
        meta = {"location": str(path), "sha256": content_sha256(images, labels, self.class_names)}
        return self._dataset(images, labels, None, meta, "file")

    def _dataset(self, images: np.ndarray, labels: np.ndarray, n_train: int | None, meta: dict, source: str) -> Dataset:
        provenance = Provenance(source=source, location=meta["location"], sha256=meta["sha256"], rows=len(labels))
        test_rows = None if n_train is None else np.arange(n_train, len(labels))
        return Dataset(
            name=self.name,
            kind="image",
            features=images,
            target=labels,
            classes=self.class_names,
            feature_types={"pixels": "image"},
            provenance=provenance,
            target_name="label",
            test_rows=test_rows,
        )


register_dataset(
    "fashion-mnist",
    kind="image",
    title="Fashion-MNIST",
    description="70,000 28x28 grayscale images of clothing in 10 classes (60,000 train, 10,000 test).",
    sources=("auto", "file", "download"),
    class_names=(
        "T-shirt/top",
        "Trouser",
        "Pullover",
        "Dress",
        "Coat",
        "Sandal",
        "Shirt",
        "Sneaker",
        "Bag",
        "Ankle boot",
    ),
    mirror="http://fashion-mnist.s3-website.eu-central-1.amazonaws.com",
    md5=(
        "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
        "25c81989df183df01b3e8a0aad5dffbe",
        "bef4ecab320f06d8554ea6380940ec79",
        "bb300cfdad3c16e7a12a480ee83cd310",
    ),
    system_dirs=("/usr/share/datasets/fashion-mnist",),
)(IdxImageLoader)
# MNIST, with its offline subset, is registered in core/datasets/mnist.py.
