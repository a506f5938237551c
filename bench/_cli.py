"""Shared by the bench scripts: run the CLI as a user would and time it from outside."""

import atexit
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KEEP_ENV = "TRAINBOARD_BENCH_KEEP"  # set: a bench's scratch home stays for a look at its runs


def scratch_home() -> str:
    """A folder of its own for a bench's TRAINBOARD_HOME (its runs, caches and models stay out of data/), removed
    when the bench exits unless TRAINBOARD_BENCH_KEEP is set: one LA pass leaves a 590 MB forest and 790 MB of
    encoded splits, and the benches left 9.5 GB in /tmp before they cleaned up."""
    home = tempfile.mkdtemp(prefix="trainboard-bench-")
    if not os.environ.get(KEEP_ENV):
        atexit.register(shutil.rmtree, home, ignore_errors=True)
    return home


def run_cli_timed(*args: str, env_extra: dict | None = None) -> tuple[dict, float]:
    """Run `python -m core ARGS --json`; returns (its JSON, wall seconds including interpreter start-up)."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "core", *args, "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, **(env_extra or {})},
    )
    wall = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"bench: {' '.join(args)} failed: {result.stderr.strip()}")
    return json.loads(result.stdout.strip().splitlines()[-1]), wall


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {date.today()}"
