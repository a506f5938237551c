"""Any CSV or parquet file as a classification dataset: the user names the target column.
Delimiter and encoding are detected; column types are inferred by pandas."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from core.datasets.dataset import Dataset, tabular_dataset
from core.datasets.registry import DatasetLoader, LoadRequest, Progress, register_dataset
from core.errors import DataError

ENCODINGS = ("utf-8-sig", "latin-1")  # latin-1 decodes any byte, so it is the last resort
DELIMITERS = ",;\t|"
SNIFF_BYTES = 64 * 1024


def detect_encoding(path: Path) -> str:
    sample = _head(path)
    for encoding in ENCODINGS:
        try:
            sample.decode(encoding)
            return encoding
        except UnicodeDecodeError:
            continue
    return ENCODINGS[-1]


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(4 * SNIFF_BYTES)


def detect_delimiter(path: Path, encoding: str) -> str:
    with path.open("r", encoding=encoding, errors="replace", newline="") as handle:
        sample = handle.read(SNIFF_BYTES)
    if not sample.strip():
        raise DataError(f"{path}: the file is empty")
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","  # a single column, or nothing sniffable: the common case


def read_table(path: Path | str, rows: int | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """Read a CSV or parquet file; returns the frame and how it was read (format, delimiter, encoding)."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    if path.suffix.lower() in {".parquet", ".pq"}:
        try:
            frame = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises many types for a damaged file
            raise DataError(f"{path}: not a readable parquet file ({str(exc).splitlines()[0]})") from None
        return (frame.head(rows) if rows else frame), {"format": "parquet"}
    encoding = detect_encoding(path)
    delimiter = detect_delimiter(path, encoding)
    try:
        frame = pd.read_csv(path, sep=delimiter, encoding=encoding, nrows=rows, low_memory=False)
    except UnicodeDecodeError:
        encoding = ENCODINGS[-1]
        frame = pd.read_csv(path, sep=delimiter, encoding=encoding, nrows=rows, low_memory=False)
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: the file is empty") from None
    except (pd.errors.ParserError, ValueError) as exc:
        raise DataError(f"{path}: not a readable CSV ({str(exc).splitlines()[0]})") from None
    if frame.empty:
        raise DataError(f"{path}: the CSV has a header but no rows")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame, {"format": "csv", "delimiter": delimiter, "encoding": encoding}


def read_columns(path: Path | str) -> list[str]:
    """The column names, read from the first rows only (for a target picker)."""
    return list(read_table(path, rows=50)[0].columns)


@register_dataset(
    "csv",
    kind="tabular",
    title="Your CSV or parquet file",
    description="Any CSV or parquet table; you choose the target column.",
    sources=("file",),
    needs_target=True,
)
class TabularFileLoader(DatasetLoader):
    def load(self, request: LoadRequest, progress: Progress) -> Dataset:
        progress(None, f"reading {Path(request.path).name}")
        frame, how = read_table(request.path, rows=request.rows)
        note = ", ".join(f"{k} {v!r}" for k, v in how.items())
        return tabular_dataset(
            self.name,
            frame,
            request.target,
            {"source": "file", "location": str(request.path)},
            notes=(f"read as {note}",),
        )
