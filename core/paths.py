"""Where Trainboard keeps its cache. Both can be moved with environment variables (tests do)."""

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The project's data/ folder (a cache, git-ignored); TRAINBOARD_HOME moves it."""
    return Path(os.environ.get("TRAINBOARD_HOME", REPO_ROOT / "data"))


def cache_dir(*parts: str) -> Path:
    """A folder under data/cache/, created on demand."""
    path = data_dir().joinpath("cache", *parts)
    path.mkdir(parents=True, exist_ok=True)
    return path
