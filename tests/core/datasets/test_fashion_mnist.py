import hashlib
import threading
from dataclasses import replace
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import core.datasets.fashion_mnist as fashion_module
from core.datasets import LoadRequest, get_loader, load_dataset, make_split
from core.errors import DataError, DownloadError
from core.paths import data_dir
from tests.conftest import FASHION_DIR, write_idx_set


def test_file_source_reads_the_four_files_and_keeps_the_official_test_set(idx_folder):
    folder, arrays = idx_folder
    dataset = load_dataset(LoadRequest("fashion-mnist", source="file", path=str(folder)))
    assert dataset.kind == "image" and dataset.image_shape == (28, 28)
    np.testing.assert_array_equal(dataset.features[:40], arrays["train-images-idx3-ubyte"])
    np.testing.assert_array_equal(dataset.features[40:], arrays["t10k-images-idx3-ubyte"])
    np.testing.assert_array_equal(dataset.test_rows, np.arange(40, 60))
    split = make_split(dataset)
    assert set(split.test) == set(range(40, 60))
    assert len(split.train) + len(split.val) == 40


def test_second_load_comes_from_the_cache(idx_folder, monkeypatch):
    folder, _ = idx_folder
    first = load_dataset(LoadRequest("fashion-mnist", source="file", path=str(folder)))
    assert list((data_dir() / "cache" / "fashion-mnist").glob("*.npz"))

    def must_not_read(*args):
        raise AssertionError("the IDX files were read again")

    monkeypatch.setattr(fashion_module, "read_image_label_pair", must_not_read)
    second = load_dataset(LoadRequest("fashion-mnist", source="file", path=str(folder)))
    np.testing.assert_array_equal(first.features, second.features)
    assert first.provenance.sha256 == second.provenance.sha256


def test_malformed_set_leaves_no_cache_file(tmp_path):
    folder = tmp_path / "bad"
    write_idx_set(folder, gz=False)
    labels = folder / "t10k-labels-idx1-ubyte"
    labels.write_bytes(labels.read_bytes()[:-3])  # truncated
    cache = data_dir() / "cache" / "fashion-mnist"
    before = set(cache.glob("*")) if cache.exists() else set()
    with pytest.raises(DataError, match="t10k-labels-idx1-ubyte: truncated"):
        load_dataset(LoadRequest("fashion-mnist", source="file", path=str(folder)))
    assert (set(cache.glob("*")) if cache.exists() else set()) == before


def test_folder_without_the_files_is_a_clear_error(tmp_path):
    with pytest.raises(DataError, match="expected the four IDX files"):
        load_dataset(LoadRequest("fashion-mnist", source="file", path=str(tmp_path)))


def test_csv_of_label_and_pixels(tmp_path):
    rng = np.random.default_rng(1)
    pixels = rng.integers(0, 256, (30, 784))
    frame = pd.DataFrame(pixels, columns=[f"pixel{i}" for i in range(1, 785)])
    frame.insert(0, "label", np.arange(30) % 10)
    path = tmp_path / "fashion-mnist_train.csv"
    frame.to_csv(path, index=False)
    dataset = load_dataset(LoadRequest("fashion-mnist", source="file", path=str(path)))
    assert dataset.features.shape == (30, 28, 28) and dataset.test_rows is None
    np.testing.assert_array_equal(dataset.features[3].ravel(), pixels[3])
    frame.iloc[0, 5] = 300
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match="pixel values must be whole numbers 0..255"):
        load_dataset(LoadRequest("fashion-mnist", source="file", path=str(path)))


@pytest.mark.skipif(not FASHION_DIR.is_dir(), reason="Debian package dataset-fashion-mnist is not installed")
def test_real_fashion_mnist_from_the_debian_package():
    dataset = load_dataset(LoadRequest("fashion-mnist"))
    assert dataset.provenance.source == "debian-package"
    assert dataset.features.shape == (70_000, 28, 28)
    assert len(dataset.test_rows) == 10_000
    train_counts = np.bincount(dataset.target[:60_000], minlength=10)
    test_counts = np.bincount(dataset.target[60_000:], minlength=10)
    assert train_counts.tolist() == [6000] * 10
    assert test_counts.tolist() == [1000] * 10
    assert dataset.classes[0] == "T-shirt/top" and dataset.classes[9] == "Ankle boot"


@pytest.fixture
def mirror(tmp_path):
    """A local HTTP server serving a folder; the requests it saw are recorded."""
    root = tmp_path / "mirror"
    root.mkdir()
    seen = []

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def do_GET(self):
            seen.append(self.path)
            if self.path.endswith("t10k-images-idx3-ubyte.gz") and seen.count(self.path) == 1:
                self.send_error(503, "try again")  # the first try fails; the client must retry
                return
            super().do_GET()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{server.server_port}", seen
    server.shutdown()


def test_download_checks_md5_retries_and_reports_progress(mirror, monkeypatch):
    root, url, seen = mirror
    write_idx_set(root)
    md5 = tuple(hashlib.md5((root / f"{p}.gz").read_bytes()).hexdigest() for p in fashion_module.PARTS)
    loader = replace(get_loader("mnist"), mirror=url, md5=md5)
    monkeypatch.setattr("core.download.time.sleep", lambda s: None)
    fractions = []
    dataset = loader.load(LoadRequest("mnist", source="download"), lambda f, m: fractions.append(f))
    assert dataset.rows == 60 and dataset.provenance.source == "download"
    assert seen.count("/t10k-images-idx3-ubyte.gz") == 2
    assert any(f is not None and 0 < f < 1 for f in fractions)
    assert (data_dir() / "mnist" / "train-images-idx3-ubyte.gz").is_file()


def test_download_with_wrong_md5_keeps_nothing(mirror):
    root, url, _ = mirror
    write_idx_set(root)
    loader = replace(get_loader("mnist"), mirror=url, md5=("0" * 32,) * 4)
    target = data_dir() / "mnist"
    for leftover in target.glob("*") if target.exists() else []:
        leftover.unlink()
    with pytest.raises(DownloadError, match="MD5 .* does not match"):
        loader.load(LoadRequest("mnist", source="download"), lambda f, m: None)
    assert not any(Path(target).glob("*")) if target.exists() else True
