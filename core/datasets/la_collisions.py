"""`la-collisions`: LA Open Data's traffic collisions since 2010 (d5tf-ez2w), from the portal's CSV
export, a download from its API, or, when neither is on the machine, a seeded synthetic stand-in."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from core.atomic import write_atomic
from core.datasets.dataset import Dataset, tabular_dataset
from core.datasets.la_schema import FEATURE_TYPES, parse_raw
from core.datasets.la_synthetic import synthetic_collisions
from core.datasets.parsed_cache import cached_table
from core.datasets.registry import Availability, DatasetLoader, LoadRequest, Option, Progress, register_dataset
from core.errors import DataError
from core.paths import cache_dir, data_dir

DEFAULT_SODA_URL = "https://data.lacity.org/resource/d5tf-ez2w.csv"
EXPORT_NAME = "Traffic_Collision_Data_from_2010_to_Present.csv"
SYNTHETIC_ROWS = 620_000  # the size of the real table
DEFAULT_TARGET = "Victim Sex"
# The code a kept table depends on (core/datasets/parsed_cache.py): a change to it makes the table again.
SYNTHETIC_SOURCE = Path(__file__).with_name("la_synthetic.py")
PARSING_SOURCES = (Path(__file__).with_name("la_schema.py"), Path(__file__))


@dataclass
class _Loaded:
    """A parsed table and where it came from, before the target is split off."""

    frame: pd.DataFrame
    source: str
    location: str
    synthetic: bool = False
    notes: tuple[str, ...] = ()


@register_dataset(
    "la-collisions",
    kind="tabular",
    title="LA traffic collisions",
    description=(
        "Traffic collisions reported to the LAPD since 2010 (LA Open Data d5tf-ez2w, ~620,000 rows): "
        "time, place, area, victim age, sex and descent. Default target: Victim Sex."
    ),
    sources=("auto", "file", "download", "synthetic"),
    options=(Option("soda_url", DEFAULT_SODA_URL, "SODA endpoint (CSV) to download from", sources=("download",)),),
    default_rows=None,
    max_rows=5_000_000,
)
class LACollisionsLoader(DatasetLoader):
    def availability(self) -> Availability:
        return Availability(True, "synthetic stand-in; real data: download or the portal's CSV")

    def load(self, request: LoadRequest, progress: Progress) -> Dataset:
        loaded = _SOURCES[request.source](self, request, progress)
        frame = loaded.frame if request.rows is None else loaded.frame.iloc[: request.rows]
        target_name = request.target or DEFAULT_TARGET
        progress(None, f"encoding '{target_name}' and hashing {len(frame):,} rows")
        provenance = {"source": loaded.source, "location": loaded.location, "synthetic": loaded.synthetic}
        dataset = tabular_dataset(self.name, frame, target_name, provenance, loaded.notes, FEATURE_TYPES)
        progress(1.0, f"loaded {dataset.rows:,} rows")
        return dataset


def _synthetic(loader: DatasetLoader, request: LoadRequest, progress: Progress) -> _Loaded:
    rows = request.rows or SYNTHETIC_ROWS
    progress(None, f"generating {rows:,} synthetic collisions")
    location = f"generated stand-in (seed {request.seed})"
    frame, _ = cached_table(
        "la-collisions",
        {"synthetic_rows": rows, "seed": request.seed},
        (SYNTHETIC_SOURCE,),
        lambda: synthetic_collisions(rows, request.seed),
    )
    return _Loaded(frame, "synthetic", location, synthetic=True)


def _file(loader: DatasetLoader, request: LoadRequest, progress: Progress) -> _Loaded:
    if not request.path:
        raise DataError(f"{loader.name}: source 'file' needs a path (--path)")
    return _Loaded(read_export(Path(request.path), progress, request.rows), "file", str(request.path))


def _download(loader: DatasetLoader, request: LoadRequest, progress: Progress) -> _Loaded:
    url = request.option("soda_url", loader)
    cached = download_cache(url)
    damaged = ()
    if cached.exists():
        progress(None, f"reading the cached download {cached.name}")
        try:
            return _Loaded(_read_parquet(cached), "download", url, notes=(f"from the cache {cached}",))
        except DataError as err:  # truncated or damaged: fetch it again rather than fail on every load
            cached.unlink(missing_ok=True)
            damaged = (f"the cached download was unreadable ({err}) and was fetched again",)

    from core.datasets.soda import download_soda  # imports requests; only needed here

    pages = cache_dir("la-collisions", cached.stem)
    raw = download_soda(url, pages, progress)
    progress(None, f"parsing {len(raw):,} downloaded rows")
    frame = parse_raw(raw, url)
    write_atomic(cached, lambda tmp: frame.to_parquet(tmp, index=False))
    shutil.rmtree(pages, ignore_errors=True)
    return _Loaded(frame, "download", url, notes=damaged)


def _auto(loader: DatasetLoader, request: LoadRequest, progress: Progress) -> _Loaded:
    folders = [Path(os.environ["TRAINBOARD_DATA"])] if os.environ.get("TRAINBOARD_DATA") else []
    for export in (folder / EXPORT_NAME for folder in [*folders, data_dir()]):
        if export.is_file():
            return _Loaded(read_export(export, progress, request.rows), "file", str(export))
    url = request.option("soda_url", loader)
    if download_cache(url).exists():
        return _download(loader, request, progress)
    loaded = _synthetic(loader, request, progress)
    loaded.notes += ("no real copy found; using the synthetic stand-in",)
    return loaded


_SOURCES: dict[str, Callable[[DatasetLoader, LoadRequest, Progress], _Loaded]] = {
    "synthetic": _synthetic,
    "file": _file,
    "download": _download,
    "auto": _auto,
}


def download_cache(url: str) -> Path:
    """Where the parsed download of `url` is kept: data/cache/la-collisions/soda-<hash>.parquet."""
    return cache_dir("la-collisions") / f"soda-{hashlib.sha256(url.encode()).hexdigest()[:12]}.parquet"


def read_export(path: Path, progress: Progress, rows: int | None = None) -> pd.DataFrame:
    """The portal's CSV export (or a parquet copy of it) at `path`, parsed; the first `rows` rows if given.
    A whole CSV export is parsed once and read back from data/cache after that (the workers load it again)."""
    progress(None, f"reading {path.name}")
    if path.suffix.lower() in (".parquet", ".pq"):
        raw = _read_parquet(path)
        raw = raw if rows is None else raw.iloc[:rows]
        progress(None, f"parsing {len(raw):,} rows")
        return parse_raw(raw, str(path))
    if rows is not None:
        return _parse_csv(path, progress, rows)
    try:
        stat = path.stat()
    except OSError as exc:
        raise DataError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    identity = {"export": str(path.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    frame, kept = cached_table("la-collisions", identity, PARSING_SOURCES, lambda: _parse_csv(path, progress))
    if kept:
        progress(None, f"read {len(frame):,} parsed rows kept from an earlier load of {path.name}")
    return frame


def _parse_csv(path: Path, progress: Progress, rows: int | None = None) -> pd.DataFrame:
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], nrows=rows)
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: the file is empty") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise DataError(f"{path}: not a readable CSV file ({' '.join(str(exc).split())})") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    progress(None, f"parsing {len(raw):,} rows")
    return parse_raw(raw, str(path))


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError) as exc:  # pyarrow's errors derive from these
        raise DataError(f"{path}: not a readable parquet file ({' '.join(str(exc).split())})") from None
