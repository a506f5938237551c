import gzip

import numpy as np
import pytest

from core.datasets.idx import parse_idx, read_idx, read_image_label_pair
from core.errors import DataError
from tests.conftest import idx_bytes


def test_reads_raw_and_gzip_alike(tmp_path):
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    (tmp_path / "a").write_bytes(idx_bytes(images))
    (tmp_path / "a.gz").write_bytes(gzip.compress(idx_bytes(images)))
    np.testing.assert_array_equal(read_idx(tmp_path / "a"), images)
    np.testing.assert_array_equal(read_idx(tmp_path / "a.gz"), images)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"label,pixel1\n1,2\n", "not an IDX file"),
        (bytes([0, 0, 0x42, 1, 0, 0, 0, 1, 7]), "not an IDX file"),
        (bytes([0, 0, 0x08, 3, 0, 0, 0]), "truncated IDX header"),
        (bytes([0, 0, 0x08, 1, 0, 0, 0, 5, 1, 2]), "truncated"),
        (bytes([0, 0, 0x08, 1, 0, 0, 0, 2, 1, 2, 3]), "unexpected bytes"),
        (b"", "not an IDX file"),
    ],
)
def test_malformed_bytes_name_the_file_and_problem(raw, message):
    with pytest.raises(DataError, match=message) as info:
        parse_idx(raw, "some/file.idx")
    assert str(info.value).startswith("some/file.idx: ")
    assert "\n" not in str(info.value)


def test_damaged_gzip(tmp_path):
    good = gzip.compress(idx_bytes(np.zeros((4, 2, 2), np.uint8)))
    path = tmp_path / "cut.gz"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(DataError, match=r"cut.gz: damaged or truncated gzip"):
        read_idx(path)


def test_pair_checks_counts_and_label_range(tmp_path):
    images, labels = tmp_path / "img", tmp_path / "lab"
    images.write_bytes(idx_bytes(np.zeros((3, 28, 28), np.uint8)))
    labels.write_bytes(idx_bytes(np.array([0, 1], np.uint8)))
    with pytest.raises(DataError, match="2 labels but img has 3 images"):
        read_image_label_pair(images, labels, 10)
    labels.write_bytes(idx_bytes(np.array([0, 1, 12], np.uint8)))
    with pytest.raises(DataError, match=r"label 12 outside 0..9"):
        read_image_label_pair(images, labels, 10)
    labels.write_bytes(idx_bytes(np.zeros((3, 2), np.uint8)))
    with pytest.raises(DataError, match="1-D labels"):
        read_image_label_pair(images, labels, 10)
