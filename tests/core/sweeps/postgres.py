"""A throwaway PostgreSQL server for the tests: initdb and pg_ctl (Debian's `postgresql` package) in a temporary
folder on a free local port, trusted local logins, stopped and removed afterwards. PostgreSQL refuses to run as
root; as root the server runs as the `postgres` user (or `nobody`)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

USER = "trainboard"


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _server_user() -> str | None:
    """The unprivileged user to run the server as when we are root; None when we are not root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    pytest.skip("running as root and neither a 'postgres' nor a 'nobody' user exists to run PostgreSQL as")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yields the URL of a running, empty server; skips the test (saying what is missing) when it cannot."""
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("PostgreSQL's initdb and pg_ctl are not installed (apt-get install postgresql)")
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        pytest.skip("psycopg2 is not installed (pip install psycopg2-binary==2.9.13)")
    user = _server_user()
    folder = Path(tempfile.mkdtemp(prefix="trainboard-pg-"))
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    data, log, port = folder / "data", folder / "server.log", _free_port()

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(args, capture_output=True, text=True, user=user, cwd=folder, timeout=120)

    try:
        made = run(initdb, "-D", str(data), "-U", USER, "--auth=trust", "-E", "UTF8", "--no-sync")
        if made.returncode != 0:
            pytest.skip(f"initdb failed: {(made.stderr or made.stdout).strip().splitlines()[-1]}")
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        started = run(pg_ctl, "-D", str(data), "-o", options, "-l", str(log), "-w", "start")
        if started.returncode != 0:
            tail = log.read_text()[-300:] if log.exists() else started.stderr
            pytest.skip(f"pg_ctl could not start PostgreSQL: {tail.strip()}")
        try:
            yield f"postgresql://{USER}@127.0.0.1:{port}/postgres"
        finally:
            run(pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
