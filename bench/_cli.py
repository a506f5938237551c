"""Shared by the bench scripts: run the CLI as a user would and time it from outside."""

import json
import os
import platform
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


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
