"""Reader for the IDX format of MNIST and Fashion-MNIST (raw or gzip), validating as it reads.

Layout: two zero bytes, a type code, the number of dimensions, then each dimension as a
big-endian uint32, then the data in row-major order.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import numpy as np

from core.errors import DataError

_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_GZIP_MAGIC = b"\x1f\x8b"


def _read_bytes(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror})") from None
    if raw[:2] != _GZIP_MAGIC:
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as exc:
        raise DataError(f"{path}: damaged or truncated gzip file ({exc})") from None


def parse_idx(raw: bytes, origin: str) -> np.ndarray:
    """Parse IDX bytes into an array; `origin` names the file in error messages."""
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _TYPES:
        raise DataError(f"{origin}: not an IDX file (wrong magic number {raw[:4].hex() or 'empty'})")
    ndim = raw[3]
    if ndim < 1:
        raise DataError(f"{origin}: IDX header declares no dimensions")
    header_end = 4 + 4 * ndim
    if len(raw) < header_end:
        raise DataError(f"{origin}: truncated IDX header")
    dims = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    dtype = np.dtype(_TYPES[raw[2]])
    expected = int(np.prod(dims, dtype=np.int64)) * dtype.itemsize
    found = len(raw) - header_end
    if found < expected:
        raise DataError(f"{origin}: truncated: header promises {expected:,} data bytes {dims}, file has {found:,}")
    if found > expected:
        raise DataError(f"{origin}: {found - expected:,} unexpected bytes after the data {dims}")
    return np.frombuffer(raw, dtype=dtype, offset=header_end).reshape(dims)


def read_idx(path: Path | str) -> np.ndarray:
    path = Path(path)
    return parse_idx(_read_bytes(path), str(path))


def read_image_label_pair(images_path: Path, labels_path: Path, n_classes: int) -> tuple[np.ndarray, np.ndarray]:
    """Read an images file (N x H x W uint8) and its labels file (N values in 0..n_classes-1)."""
    images = read_idx(images_path)
    labels = read_idx(labels_path)
    if images.ndim not in (3, 4) or images.dtype != np.uint8:
        raise DataError(f"{images_path}: expected uint8 images N x H x W, found {images.dtype} {images.shape}")
    if labels.ndim != 1:
        raise DataError(f"{labels_path}: expected a 1-D labels file, found shape {labels.shape}")
    if len(images) != len(labels):
        raise DataError(f"{labels_path}: {len(labels):,} labels but {images_path.name} has {len(images):,} images")
    if len(labels) and (labels.min() < 0 or labels.max() >= n_classes):
        bad = int(labels.max() if labels.max() >= n_classes else labels.min())
        raise DataError(f"{labels_path}: label {bad} outside 0..{n_classes - 1}")
    return images, labels.astype(np.int64)
