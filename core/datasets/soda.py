"""Download a whole table from a Socrata (SODA) CSV endpoint, page by page. Each page is kept on disk,
so a download that was cut off resumes where it stopped instead of starting again."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import requests

from core.atomic import write_bytes_atomic
from core.errors import DownloadError

TIMEOUT_SECONDS = 60
_MANIFEST = "download.json"
_TRANSIENT = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


def download_soda(
    base_url: str,
    dest_dir: Path,
    progress: Callable[[float | None, str], None],
    page_size: int = 50_000,
    max_retries: int = 4,
    backoff_seconds: float = 1.0,
    session: requests.Session | None = None,
) -> pd.DataFrame:
    """All rows of `base_url` (a SODA .csv endpoint) as text columns with the API's field names.

    Pages of `page_size` rows are fetched in `:id` order and saved as dest_dir/page-000000.csv, ...;
    pages already there (from the same URL and page size) are read instead of fetched. A request is
    retried `max_retries` times on connection errors, HTTP 429 and 5xx, waiting backoff_seconds * 2**n;
    then DownloadError. `progress(fraction or None, message)` is called after each page."""
    session = session or requests.Session()
    dest_dir = Path(dest_dir)
    _start_or_resume(dest_dir, base_url, page_size)
    total = _row_count(session, base_url, backoff_seconds)
    frames: list[pd.DataFrame] = []
    rows = 0
    while True:
        path = dest_dir / f"page-{len(frames):06d}.csv"
        if not path.exists():
            params = {"$limit": page_size, "$offset": rows, "$order": ":id"}
            write_bytes_atomic(path, _get(session, base_url, params, max_retries, backoff_seconds))
        frame = _read_page(path, base_url)
        frames.append(frame)
        rows += len(frame)
        if total is None:
            progress(None, f"downloaded {rows:,} rows")
        else:
            progress(min(rows / total, 1.0) if total else 1.0, f"downloaded {rows:,} of {total:,} rows")
        if len(frame) < page_size:
            break
    return pd.concat(frames, ignore_index=True)


def _start_or_resume(dest_dir: Path, base_url: str, page_size: int) -> None:
    """Keep the pages on disk only if they were fetched from the same URL with the same page size."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    manifest = dest_dir / _MANIFEST
    wanted = {"url": base_url, "page_size": page_size}
    try:
        same = json.loads(manifest.read_text()) == wanted
    except (OSError, ValueError):
        same = False
    if not same:
        for page in dest_dir.glob("page-*.csv"):
            page.unlink()
        write_bytes_atomic(manifest, json.dumps(wanted).encode())


def _row_count(session: requests.Session, base_url: str, backoff_seconds: float) -> int | None:
    """The table's row count from `$select=count(*)`, or None when the server will not say."""
    try:
        body = _get(session, base_url, {"$select": "count(*)"}, 1, backoff_seconds)
        return int(pd.read_csv(io.BytesIO(body), dtype=str).iloc[0, 0])
    except (DownloadError, ValueError, IndexError, pd.errors.ParserError, pd.errors.EmptyDataError):
        return None


def _read_page(path: Path, base_url: str) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except pd.errors.EmptyDataError:  # a body with not even a header: past the last row
        return pd.DataFrame()
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        path.unlink(missing_ok=True)  # fetch it again next time
        raise DownloadError(f"{base_url}: page {path.name} is not CSV ({_one_line(exc)})") from None


def _get(session: requests.Session, url: str, params: dict, max_retries: int, backoff_seconds: float) -> bytes:
    """The body of a GET, retried on connection errors, timeouts, 429 and 5xx."""
    full_url = requests.Request("GET", url, params=params).prepare().url or url
    for attempt in range(max_retries + 1):
        wait = backoff_seconds * 2**attempt
        try:
            response = session.get(url, params=params, timeout=TIMEOUT_SECONDS)
        except _TRANSIENT as exc:
            reason = _one_line(exc)
        except requests.RequestException as exc:  # a bad URL, too many redirects: retrying will not help
            raise DownloadError(f"{full_url}: {_one_line(exc)}") from None
        else:
            if response.ok:
                return response.content
            reason = f"HTTP {response.status_code} {response.reason or ''}".strip()
            if response.status_code != 429 and response.status_code < 500:
                raise DownloadError(f"{full_url}: {reason}")
            wait = max(wait, min(_retry_after(response), 60.0))
        if attempt < max_retries:
            time.sleep(wait)
    raise DownloadError(f"{full_url}: {reason} (gave up after {max_retries + 1} attempts)")


def _retry_after(response: requests.Response) -> float:
    try:
        return float(response.headers.get("Retry-After", 0))
    except ValueError:
        return 0.0


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
