"""Any CSV or parquet file as a classification dataset: the user names the target column.

The reader finds what it is given: gzip, or a zip holding one table (whatever the file's name), parquet,
or text in UTF-8 (tried first), cp1252 or latin-1, with its delimiter and decimal mark (1.234,56 in many
European exports). It makes column names unique, treats infinite and absurd numbers as missing and drops
empty columns; each such change becomes a note in the dataset's provenance. What the file is (archive,
encoding, delimiter, decimal mark): core.datasets.file_format. Column kinds: core.datasets.kinds."""

from __future__ import annotations

import gzip
import io
import warnings
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from core.datasets import kinds
from core.datasets.dataset import Dataset, tabular_dataset
from core.datasets.file_format import (
    ENCODINGS,
    GROUPED,
    PARQUET_SUFFIXES,
    SNIFF_BYTES,
    Source,
    detect_decimal,
    encoding_of,
    find_source,
    records,
    sample_text,
    sniff_delimiter,
)
from core.datasets.registry import DatasetLoader, LoadRequest, Option, Progress, register_dataset
from core.errors import DataError

DELIMITER_CHOICES = {"auto": None, ",": ",", ";": ";", "tab": "\t", "|": "|"}
DECIMAL_CHOICES = ("auto", ".", ",")
BINARY_SHARE = 0.01  # more control characters than this in the sample: not text
HUGE = 1e300  # beyond this a value is a sentinel or an overflow, never a measurement


@dataclass(frozen=True)
class Table:
    """A table as read: the frame, how it was read (format, compression, delimiter, encoding, decimal) and
    what was changed on the way (renamed columns, values made missing, columns dropped)."""

    frame: pd.DataFrame
    how: dict[str, str]
    notes: tuple[str, ...] = ()


def _read_csv(
    source: Source, rows: int | None, delimiter: str | None, decimal: str | None
) -> tuple[Table, list[str] | None]:
    """The table and the header's names as written (pandas renames blanks and repeats; we do it our way)."""
    head = source.head()
    if not head.strip():
        raise DataError(f"{source.path}: the file is empty")
    encoding = encoding_of(head)
    if b"\x00" in head and encoding != "utf-16":
        raise DataError(f"{source.path}: not a text table (it holds NUL bytes); is it a CSV or parquet file?")
    text = sample_text(head, encoding)
    if _control_share(text) > BINARY_SHARE:
        raise DataError(f"{source.path}: not a text table (it holds binary bytes); is it a CSV or parquet file?")
    delimiter = delimiter or sniff_delimiter(text)
    decimal = decimal or detect_decimal(text, delimiter)
    if decimal == delimiter:
        raise DataError(f"{source.path}: the delimiter and the decimal mark cannot both be {delimiter!r}")
    tries = ENCODINGS[ENCODINGS.index(encoding) :] if encoding in ENCODINGS else (encoding,)
    for encoding in tries:
        try:
            with warnings.catch_warnings(record=True) as caught, source.open() as handle:
                warnings.simplefilter("always", pd.errors.ParserWarning)
                # index_col=False: rows longer than the header lose their extra fields, instead of pandas
                # silently taking the first column as the index and shifting every name by one.
                frame = pd.read_csv(
                    handle,
                    sep=delimiter,
                    decimal=decimal,
                    encoding=encoding,
                    nrows=rows,
                    index_col=False,
                    low_memory=False,
                )
            break
        except UnicodeDecodeError:  # a byte beyond the sample: try the next encoding on the whole file
            continue
        except pd.errors.EmptyDataError:
            raise DataError(f"{source.path}: the file is empty") from None
        except (pd.errors.ParserError, ValueError) as exc:
            raise DataError(f"{source.path}: not a readable CSV ({str(exc).splitlines()[0]})") from None
    else:
        raise DataError(f"{source.path}: not readable as {' or '.join(tries)}")
    if frame.empty:
        raise DataError(f"{source.path}: the CSV has a header but no rows")
    notes = (
        []
        if encoding == tries[0]
        else [f"not {tries[0]} after its first {SNIFF_BYTES // 1024} KiB: read as {encoding}"]
    )
    if any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):
        notes.append("rows with more fields than the header: the extra fields were dropped")
    header = records(text, delimiter)[:1]
    names = [n.strip() for n in header[0]] if header and len(header[0]) == frame.shape[1] else None
    frame = _numbers_from_text(frame, decimal)
    how = {"format": "csv", "delimiter": delimiter, "encoding": encoding, "decimal": decimal}
    return Table(frame, how, tuple(notes)), names


def _control_share(text: str) -> float:
    """The share of ASCII control characters other than tab, newline and carriage return: near 0 in any text
    table, about a tenth in binary bytes. (Not 0x80-0x9f: latin-1 reads a Windows file's odd byte as those.)"""
    control = sum(1 for ch in text if ch < " " and ch not in "\t\n\r")
    return control / max(len(text), 1)


def _numbers_from_text(frame: pd.DataFrame, decimal: str) -> pd.DataFrame:
    """Text columns that are all numbers with thousands grouping (1.234,56 or 1,234.5) as float64."""
    pattern, group = GROUPED[decimal], "." if decimal == "," else ","
    converted = {}
    for column in frame.columns:
        values = frame[column]
        if not (pd.api.types.is_string_dtype(values.dtype) or pd.api.types.is_object_dtype(values.dtype)):
            continue
        present = values.dropna().astype(str).str.strip()
        if present.empty or not present.str.fullmatch(pattern).all():
            continue
        plain = values.astype("string").str.strip().str.replace(group, "", regex=False)
        converted[column] = pd.to_numeric(plain.str.replace(decimal, ".", regex=False)).astype("float64")
    return frame.assign(**converted) if converted else frame


def _read_parquet(source: Source) -> Table:
    try:
        if source.compression:
            with source.open() as handle:
                frame = pd.read_parquet(io.BytesIO(handle.read()))
        else:
            frame = pd.read_parquet(source.path)
    except OSError:
        raise
    except Exception as exc:  # pyarrow raises many types for a damaged file
        raise DataError(f"{source.path}: not a readable parquet file ({str(exc).splitlines()[0]})") from None
    if frame.empty:
        raise DataError(f"{source.path}: the parquet file has no rows")
    return Table(frame, {"format": "parquet"})


def _unique_names(names: list[str]) -> tuple[list[str], str | None]:
    """Blank names become column_<position>, repeats get _2, _3 ...; returns the names and a note of the changes."""
    taken, out, changes = set(names), [], []
    for position, name in enumerate(names, start=1):
        new = name if name and name not in out else None
        if new is None:
            stem, n = (name, 2) if name else (f"column_{position}", 1)
            new = stem if n == 1 and stem not in taken else f"{stem}_{n}"
            while new in taken or new in out:
                n += 1
                new = f"{stem}_{n}"
            changes.append(f"'{name}' (repeated) -> '{new}'" if name else f"column {position} (no name) -> '{new}'")
        out.append(new)
    return out, ("renamed columns: " + "; ".join(changes)) if changes else None


def _drop_bad_values(frame: pd.DataFrame, keep: Iterable[str]) -> tuple[pd.DataFrame, list[str]]:
    """Infinite or absurd numbers (|x| > HUGE) made missing, and empty columns (not in `keep`) dropped."""
    notes, fixed = [], {}
    for column in frame.columns:
        values = frame[column]
        if not pd.api.types.is_float_dtype(values.dtype):
            continue
        bad = values.abs().gt(HUGE).to_numpy(dtype=bool, na_value=False)  # inf is beyond HUGE too
        if bad.any():
            fixed[column] = values.mask(bad)
            count = int(bad.sum())
            notes.append(f"column '{column}': {count:,} infinite or huge values (beyond ±1e300) made missing")
    frame = frame.assign(**fixed) if fixed else frame
    kept = set(keep)
    empty = [c for c in frame.columns if c not in kept and frame[c].isna().all()]
    if empty:
        notes.append("dropped empty columns: " + ", ".join(f"'{c}'" for c in empty))
        frame = frame.drop(columns=empty)
    return frame, notes


def _read(path: Path | str, rows: int | None, delimiter: str, decimal: str) -> Table:
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: {'a folder, not a file' if path.is_dir() else 'no such file'}")
    try:
        source = find_source(path)
        if Path(source.name).suffix.lower() in PARQUET_SUFFIXES or source.head()[:4] == b"PAR1":
            table, names = _read_parquet(source), None
        else:
            delimiter = DELIMITER_CHOICES.get(delimiter, delimiter)
            table, names = _read_csv(source, rows, delimiter, None if decimal == "auto" else decimal)
    except (EOFError, zlib.error, gzip.BadGzipFile, zipfile.BadZipFile) as exc:
        raise DataError(f"{path}: a damaged or truncated archive ({exc})") from None
    except OSError as exc:  # permission denied, a disk error
        raise DataError(f"{path}: cannot read it ({(exc.strerror or str(exc)).lower()})") from None
    except RuntimeError as exc:  # zipfile: a password-protected member
        raise DataError(f"{path}: cannot open the archive ({exc})") from None
    archive = {"compression": source.compression, "member": source.member}
    how = {**table.how, **{k: v for k, v in archive.items() if v}}
    unique, renamed = _unique_names(names or [str(c).strip() for c in table.frame.columns])
    frame = table.frame.set_axis(unique, axis=1)
    return Table(frame.head(rows) if rows else frame, how, (*table.notes, *([renamed] if renamed else [])))


def read_table_with_notes(
    path: Path | str,
    rows: int | None = None,
    *,
    delimiter: str = "auto",
    decimal: str = "auto",
    keep: Iterable[str] = (),
) -> Table:
    """Read a CSV (plain, gzip, or a zip of one) or parquet file; the first `rows` rows when given.
    `delimiter` is "auto", "tab" or the character; `decimal` "auto", "." or ",". Columns in `keep` (the target)
    are kept even when empty. DataError naming the file for what a user can cause: no such file, no
    permission, empty, damaged, not a table, an archive of several files."""
    table = _read(path, rows, delimiter, decimal)
    frame, notes = _drop_bad_values(table.frame, keep)
    if frame.shape[1] == 0:
        raise DataError(f"{path}: every column is empty")
    return Table(frame, table.how, (*table.notes, *notes))


def read_table(path: Path | str, rows: int | None = None, **options) -> tuple[pd.DataFrame, dict[str, str]]:
    """Read a CSV or parquet file; returns the frame and how it was read (format, delimiter, encoding, decimal,
    and compression and member for an archive). `options` are those of `read_table_with_notes`."""
    table = read_table_with_notes(path, rows, **options)
    return table.frame, table.how


def read_columns(path: Path | str, delimiter: str = "auto", decimal: str = "auto") -> list[str]:
    """The column names (made unique), read from the first rows only, for a target picker."""
    return list(_read(path, 50, delimiter, decimal).frame.columns)


@register_dataset(
    "csv",
    kind="tabular",
    title="Your CSV or parquet file",
    description="Any CSV or parquet table (also gzip, or a zip of one); you choose the target column.",
    sources=("file",),
    options=(
        Option("delimiter", "auto", "what separates the fields; auto detects it", choices=tuple(DELIMITER_CHOICES)),
        Option("decimal", "auto", "the decimal mark; auto detects it (',' in European files)", choices=DECIMAL_CHOICES),
    ),
    needs_target=True,
)
class TabularFileLoader(DatasetLoader):
    def load(self, request: LoadRequest, progress: Progress) -> Dataset:
        progress(None, f"reading {Path(request.path).name}")
        table = read_table_with_notes(
            request.path,
            rows=request.rows,
            delimiter=request.option("delimiter", self),
            decimal=request.option("decimal", self),
            keep=(request.target,),
        )
        progress(None, "inferring column kinds")
        frame, date_notes = kinds.parse_text_dates(table.frame, skip=(request.target,))
        column_kinds = kinds.infer_kinds(frame, skip=(request.target,))
        kinds_note = kinds.kinds_note(frame, column_kinds)
        how = ", ".join(f"{k} {v!r}" for k, v in table.how.items())
        dataset = tabular_dataset(
            self.name,
            frame,
            request.target,
            {"source": "file", "location": str(request.path)},
            notes=(f"read as {how}", *table.notes, *date_notes, *([kinds_note] if kinds_note else [])),
            feature_types={column: kinds.base_kind(kind) for column, kind in column_kinds.items()},
        )
        return replace(dataset, feature_kinds={c: column_kinds[c] for c in dataset.features.columns})
