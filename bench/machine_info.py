"""What the figures were measured on: the machine, the library versions and the commit. Read without importing
the libraries (importlib.metadata), so the runner stays light while the benchmarks run beside it."""

import os
import platform
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

LIBRARIES = ("numpy", "pandas", "scikit-learn", "xgboost", "torch", "streamlit", "optuna", "plotly")


def cpu_model(cpuinfo: str | None = None) -> str:
    """The first "model name" of /proc/cpuinfo (the platform's processor name elsewhere)."""
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text()
        except OSError:
            return platform.processor() or platform.machine()
    for line in cpuinfo.splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.machine()


def memory_gib(meminfo: str | None = None) -> float | None:
    """MemTotal of /proc/meminfo in GiB; None where there is none."""
    if meminfo is None:
        try:
            meminfo = Path("/proc/meminfo").read_text()
        except OSError:
            return None
    for line in meminfo.splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 2**20  # the file counts kiB
    return None


def gpus() -> str:
    """The CUDA GPUs nvidia-smi lists, or "none"."""
    if shutil.which("nvidia-smi") is None:
        return "none"
    listed = subprocess.run(["nvidia-smi", "-L"], capture_output=True, text=True)
    names = [line.split(" (UUID")[0] for line in listed.stdout.splitlines() if line.startswith("GPU")]
    return "; ".join(names) or "none"


def operating_system() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return f"{line.split('=', 1)[1].strip(chr(34))}, kernel {platform.release()}"
    except OSError:
        pass
    return platform.platform()


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def commit(repo: Path) -> str:
    """The short commit, with a note when the product's files differ from it (this tree is shared)."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True, text=True)
    if head.returncode != 0:
        return "unknown"
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--", "core", "app_pages", "ui", "app.py", "bench"],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    return head.stdout.strip() + (" + uncommitted changes" if changed.stdout.strip() else "")


def describe_machine() -> dict:
    memory = memory_gib()
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": round(memory, 1) if memory else None,
        "gpu": gpus(),
        "os": operating_system(),
        "load_average": round(os.getloadavg()[0], 1),
    }
