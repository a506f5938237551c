"""What a table file is before it is read: an archive or not (gzip, or a zip of one table, whatever the file's
name), its text encoding (UTF-8 first), its delimiter and its decimal mark. core.datasets.tabular_file reads it."""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from core.errors import DataError

ENCODINGS = ("utf-8", "cp1252", "latin-1")  # latin-1 decodes any byte, so it is the last resort
DELIMITERS = ",;\t|"
SNIFF_BYTES = 256 * 1024
SNIFF_LINES = 100
PARQUET_SUFFIXES = {".parquet", ".pq"}
TABLE_SUFFIXES = {".csv", ".tsv", ".parquet", ".pq"}
TEXT_SUFFIXES = {".txt", ".tab", ".dat", ""}  # a table only when it is alone in its archive

# A number with the decimal mark given and optional thousands grouping; "1,234" or "1.234" alone is ambiguous.
_COMMA_DECIMAL = re.compile(r"[-+]?(\d{1,3}(\.\d{3})+|\d+),\d+")
_POINT_DECIMAL = re.compile(r"[-+]?(\d{1,3}(,\d{3})+|\d*)\.\d+([eE][-+]?\d+)?")
_AMBIGUOUS = re.compile(r"[-+]?\d{1,3}[.,]\d{3}")
GROUPED = {",": re.compile(r"[-+]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?"), ".": re.compile(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?")}


@dataclass(frozen=True)
class Source:
    """Where the table's bytes are: the file itself, the file gzip-compressed, or one member of a zip."""

    path: Path
    compression: str | None = None  # "gzip" or "zip"
    member: str | None = None

    @property
    def name(self) -> str:
        if self.member:
            return self.member
        return self.path.stem if self.compression == "gzip" and self.path.suffix.lower() == ".gz" else self.path.name

    @contextmanager
    def open(self) -> Iterator[BinaryIO]:
        if self.compression == "zip":
            with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as handle:
                yield handle
        elif self.compression == "gzip":
            with gzip.open(self.path, "rb") as handle:
                yield handle
        else:
            with self.path.open("rb") as handle:
                yield handle

    def head(self) -> bytes:
        with self.open() as handle:
            return handle.read(SNIFF_BYTES)


def find_source(path: Path) -> Source:
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic[:2] == b"\x1f\x8b":
        return Source(path, "gzip")
    if magic in (b"PK\x03\x04", b"PK\x05\x06"):
        return Source(path, "zip", zip_member(path))
    return Source(path)


def zip_member(path: Path) -> str:
    """The one table in a zip archive; DataError naming the archive's files otherwise."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [i.filename for i in archive.infolist() if not i.is_dir()]
    except zipfile.BadZipFile:
        raise DataError(f"{path}: a damaged zip archive") from None
    names = [n for n in names if not n.startswith("__MACOSX/") and not Path(n).name.startswith(".")]
    if "xl/workbook.xml" in names:
        raise DataError(f"{path}: an Excel workbook, not a CSV; save the sheet as CSV and load that")
    tables = [n for n in names if Path(n).suffix.lower() in TABLE_SUFFIXES]
    if len(names) == 1 and Path(names[0]).suffix.lower() in TABLE_SUFFIXES | TEXT_SUFFIXES:
        return names[0]
    if len(tables) == 1:
        return tables[0]
    if not names:
        raise DataError(f"{path}: an empty zip archive")
    shown = ", ".join(names[:6]) + (", ..." if len(names) > 6 else "")
    files = f"{len(names)} file{'s' if len(names) > 1 else ''}"
    want = "unpack the one you want" if tables else "none is a CSV or parquet file"
    raise DataError(f"{path}: a zip archive of {files} ({shown}); {want}")


def encoding_of(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ENCODINGS:
        try:  # not final: a character cut in two at the end of the sample is no decoding error
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
            return encoding
        except UnicodeDecodeError:
            continue
    return ENCODINGS[-1]


def detect_encoding(path: Path) -> str:
    """The text encoding of the file (inside its gzip or zip, if any): UTF-8 when it decodes as UTF-8."""
    return encoding_of(find_source(Path(path)).head())


def sample_text(head: bytes, encoding: str) -> str:
    text = head.decode(encoding, errors="replace")
    return text[: text.rfind("\n") + 1] or text if len(head) == SNIFF_BYTES else text  # whole lines only


def records(text: str, delimiter: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return [row for row, _ in zip(reader, range(SNIFF_LINES), strict=False) if row]
    except csv.Error:  # e.g. a quote left open in the sample
        return []


def sniff_delimiter(text: str) -> str:
    """The candidate that splits the first lines into the same number (above one) of fields most consistently."""
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        counts = [len(row) for row in records(text, delimiter)]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        score = (counts.count(mode) / len(counts), mode)
        if mode > 1 and score > best_score:
            best, best_score = delimiter, score
    return best  # a single column, or nothing sniffable: the common case


def detect_delimiter(path: Path, encoding: str) -> str:
    text = sample_text(find_source(Path(path)).head(), encoding)
    if not text.strip():
        raise DataError(f"{path}: the file is empty")
    return sniff_delimiter(text)


def detect_decimal(sample: str, delimiter: str) -> str:
    """The decimal mark: "," when the sample's numbers are written 12,5 or 1.234,56 more often than 12.5, else
    ".". Values such as 1,234 could be either; alone, they mean a decimal comma only in a ";"-separated file."""
    if delimiter == ",":  # pandas cannot read a decimal comma between commas; quoted "1,5" stays text
        return "."
    fields = [f.strip() for row in records(sample, delimiter)[1:] for f in row]
    comma = sum(1 for f in fields if _COMMA_DECIMAL.fullmatch(f) and not _AMBIGUOUS.fullmatch(f))
    point = sum(1 for f in fields if _POINT_DECIMAL.fullmatch(f) and not _AMBIGUOUS.fullmatch(f))
    if comma or point:
        return "," if comma > point else "."
    ambiguous_comma = any("," in f and _AMBIGUOUS.fullmatch(f) for f in fields)
    return "," if delimiter == ";" and ambiguous_comma else "."
