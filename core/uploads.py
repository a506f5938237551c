"""Files a user uploads are written under data/uploads/ (atomically) and then loaded by path,
so an upload and a file named on the command line go through the same code."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from core.atomic import write_bytes_atomic
from core.errors import DataError
from core.paths import data_dir

MAX_UPLOAD_MB = 500


def save_uploads(files: list[tuple[str, bytes]], limit_mb: int = MAX_UPLOAD_MB) -> Path:
    """Save uploaded (name, content) pairs in one folder named by their content hash.
    Returns the file's path for a single file, else the folder."""
    if not files:
        raise DataError("no file was uploaded")
    digest = hashlib.sha256()
    for name, content in files:
        size_mb = len(content) / 1e6
        if size_mb > limit_mb:
            raise DataError(
                f"{name}: {size_mb:,.1f} MB is over the upload limit of {limit_mb} MB; name its path instead"
            )
        if not content:
            raise DataError(f"{name}: the uploaded file is empty")
        digest.update(name.encode())
        digest.update(content)
    folder = uploads_dir() / digest.hexdigest()[:16]
    saved = []
    for name, content in files:
        target = folder / Path(name).name
        # The folder is named by the content hash: a file already there (a page rerun) is the same file.
        saved.append(target if target.is_file() else write_bytes_atomic(target, content))
    return saved[0] if len(saved) == 1 else folder


def uploads_dir() -> Path:
    return data_dir() / "uploads"


def as_uploaded(message: str) -> str:
    """`message` with every saved upload's path shortened to the name the user gave the file: an error about
    'junk.csv' should not show the server's '.../uploads/df0185054159251/' folder to the person who uploaded it."""
    return re.sub(re.escape(str(uploads_dir())) + r"/[0-9a-f]{16}/", "", message)
