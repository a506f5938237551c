"""Where Trainboard keeps its cache. Both can be moved with environment variables (tests do)."""

import errno
import os
from pathlib import Path

from core.errors import DataDirError

REPO_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The project's data/ folder (a cache, git-ignored); TRAINBOARD_HOME moves it."""
    return Path(os.environ.get("TRAINBOARD_HOME", REPO_ROOT / "data"))


def ensure_dir(path: Path) -> Path:
    """Create folder `path` and its parents if needed. DataDirError, naming the path, when a file is in the
    way or the place is read-only."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
        return path
    except OSError as exc:
        existing = next((p for p in (path, *path.parents) if _exists(p)), None)
        if existing is not None and not existing.is_dir():
            reason = f"{existing} is a file, not a folder"
        elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            reason = f"{existing or path} is read-only ({exc.strerror})"
        else:
            reason = exc.strerror or str(exc)
        inside_home = path.absolute().is_relative_to(data_dir().absolute())
        hint = "; set TRAINBOARD_HOME to a folder you can write to" if inside_home else ""
        raise DataDirError(f"cannot create the folder {path}: {reason}{hint}") from None


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # e.g. inside a folder we may not read
        return False


def cache_dir(*parts: str) -> Path:
    """A folder under data/cache/, created on demand."""
    return ensure_dir(data_dir().joinpath("cache", *parts))
