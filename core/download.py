"""Downloading one file: streamed, retried, checksummed, with progress, never left half-written."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import requests

from core.atomic import atomic_path
from core.errors import DownloadError

CHUNK_BYTES = 1 << 20
RETRYABLE_STATUS = {429, 500, 502, 503, 504}


def _fetch_once(session: requests.Session, url: str, tmp: Path, progress, label: str, timeout: float) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with session.get(url, stream=True, timeout=timeout) as response:
        if response.status_code in RETRYABLE_STATUS:
            raise requests.HTTPError(f"HTTP {response.status_code}", response=response)
        if response.status_code != 200:
            raise DownloadError(f"{url}: HTTP {response.status_code} {response.reason}")
        total = int(response.headers.get("Content-Length") or 0)
        done = 0
        with tmp.open("wb") as out:
            for chunk in response.iter_content(CHUNK_BYTES):
                out.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                progress(done / total if total else None, f"downloading {label}: {done / 1e6:.1f} MB")
    return digest.hexdigest()


def download_file(
    url: str,
    dest: Path,
    md5: str | None = None,
    progress=lambda fraction, message: None,
    retries: int = 3,
    backoff_seconds: float = 1.0,
    timeout: float = 60.0,
    session: requests.Session | None = None,
) -> Path:
    """Download `url` to `dest`, retrying connection errors and 5xx answers with exponential backoff.
    With `md5`, a mismatch raises DownloadError and leaves nothing at `dest`."""
    session = session or requests.Session()
    for attempt in range(retries + 1):
        try:
            with atomic_path(dest) as tmp:
                got = _fetch_once(session, url, tmp, progress, Path(dest).name, timeout)
                if md5 and got != md5:
                    raise DownloadError(f"{url}: MD5 {got} does not match the published {md5}")
            return Path(dest)
        except (requests.ConnectionError, requests.Timeout, requests.HTTPError) as exc:
            if attempt == retries:
                raise DownloadError(f"{url}: download failed after {retries + 1} tries ({exc})") from None
            time.sleep(backoff_seconds * 2**attempt)
    raise AssertionError("unreachable")
