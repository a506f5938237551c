"""Test-wide setup: the cache goes to a temporary folder, so tests never touch data/ and
never see files a developer put there."""

import gzip
import os
import struct
import tempfile
from pathlib import Path

import numpy as np
import pytest

os.environ["TRAINBOARD_HOME"] = tempfile.mkdtemp(prefix="trainboard-test-")
os.environ.pop("TRAINBOARD_DATA", None)

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"
REAL_SAMPLE = SHARED_DATA / "la_collisions_jan2013_real_sample.csv"
FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")
needs_fashion = pytest.mark.skipif(
    not (FASHION_DIR / "train-images-idx3-ubyte.gz").exists(),
    reason="Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)",
)


def idx_bytes(array: np.ndarray) -> bytes:
    """The IDX encoding of a uint8 array, written independently of the reader under test."""
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(struct.pack(">I", d) for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


def write_idx_set(folder: Path, n_train: int = 40, n_test: int = 20, gz: bool = True, seed: int = 0) -> dict:
    """Four small IDX files (10 classes) in `folder`; returns the arrays written."""
    rng = np.random.default_rng(seed)
    arrays = {
        "train-images-idx3-ubyte": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "train-labels-idx1-ubyte": (np.arange(n_train) % 10).astype(np.uint8),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "t10k-labels-idx1-ubyte": (np.arange(n_test) % 10).astype(np.uint8),
    }
    folder.mkdir(parents=True, exist_ok=True)
    for name, array in arrays.items():
        data = idx_bytes(array)
        if gz:
            (folder / f"{name}.gz").write_bytes(gzip.compress(data))
        else:
            (folder / name).write_bytes(data)
    return arrays


@pytest.fixture
def idx_folder(tmp_path):
    folder = tmp_path / "idx"
    return folder, write_idx_set(folder)


@pytest.fixture(autouse=True)
def fresh_memo():
    from core.datasets import memo

    memo.clear()
    yield
