"""The versions of Python and the libraries a run's result depends on."""

from __future__ import annotations

import platform
from importlib import metadata


def versions() -> dict[str, str]:
    """Versions of Python and the libraries a result depends on; a library that is not installed is left out.
    Reads package metadata only, so torch is not imported."""
    found = {"python": platform.python_version()}
    for package in ("numpy", "pandas", "scikit-learn", "xgboost", "torch"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            pass
    return found
