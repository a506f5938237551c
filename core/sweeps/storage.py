"""Where studies live: an Optuna RDB storage from a URL (SQLite by default, PostgreSQL or MySQL to share one
study between machines), opened with a short connect timeout so an unreachable server is one clear error."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from core.sweeps.config import SweepError, default_storage

# Seconds a PostgreSQL/MySQL connection may take before the URL counts as unreachable.
CONNECT_TIMEOUT_SECONDS = 5
# Seconds an SQLite writer waits for another worker's transaction (trials end often, each a short write).
SQLITE_BUSY_SECONDS = 60


def display_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


# SQLAlchemy 2.1 reads a bare postgresql:// as psycopg 3; the driver we pin is psycopg2.
DEFAULT_DRIVERS = {"postgresql": "postgresql+psycopg2", "postgres": "postgresql+psycopg2"}


def normalised_url(url: str) -> str:
    """`url` with the pinned driver named where it names none (postgresql:// -> postgresql+psycopg2://)."""
    scheme, sep, rest = url.partition("://")
    return f"{DEFAULT_DRIVERS.get(scheme, scheme)}{sep}{rest}"


def _engine_kwargs(url: str) -> dict:
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": SQLITE_BUSY_SECONDS}}
    if url.startswith("postgresql"):
        return {"connect_args": {"connect_timeout": CONNECT_TIMEOUT_SECONDS}, "pool_pre_ping": True}
    if url.startswith("mysql"):
        return {"connect_args": {"connect_timeout": CONNECT_TIMEOUT_SECONDS}, "pool_pre_ping": True}
    return {}


def _check_sqlite_path(url: str) -> None:
    """An SQLite file in a folder that does not exist would fail deep inside SQLAlchemy; say which folder."""
    path = url.split(":///", 1)[1] if ":///" in url else ""
    if path and path != ":memory:" and not Path(path).parent.is_dir():
        raise SweepError(f"storage {url}: the folder {Path(path).parent} does not exist")


def open_storage(url: str | None = None):
    """The RDB storage at `url` (default_storage() when empty). SweepError, with the password hidden, when the
    URL is malformed, names an unknown database kind, or cannot be reached; nothing is created then."""
    url = url or default_storage()
    return _open(normalised_url(url), display_url(url))


@lru_cache(maxsize=16)
def _open(url: str, shown: str):
    # One storage object per URL and process: each holds a connection pool, and a worker opens it per trial.
    import optuna
    import sqlalchemy.exc

    if "://" not in url:
        raise SweepError(f"storage {shown!r}: not a database URL (e.g. sqlite:///path/sweeps.db, postgresql://...)")
    if url.startswith("sqlite"):
        _check_sqlite_path(url)
    try:
        return optuna.storages.RDBStorage(url, engine_kwargs=_engine_kwargs(url))
    except (sqlalchemy.exc.ArgumentError, sqlalchemy.exc.NoSuchModuleError) as exc:
        raise SweepError(f"storage {shown}: not a usable database URL ({_first_line(exc)})") from None
    except (sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError) as exc:
        raise SweepError(f"storage {shown}: cannot be reached ({_first_line(exc)})") from None
    except ImportError as exc:
        missing = getattr(exc.__cause__, "name", None) or exc.name or "the driver"
        raise SweepError(f"storage {shown}: its database driver is not installed ({missing})") from None
    except ValueError as exc:
        raise SweepError(f"storage {shown}: {_first_line(exc)}") from None


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def engine_of(storage):
    """The SQLAlchemy engine behind an RDB storage (the claims table lives in the same database)."""
    return storage.engine
