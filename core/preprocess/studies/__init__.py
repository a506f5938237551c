"""The reference studies' preprocessing, one spec JSON per study (a file a user could download and load on the
Explore page). The reproduction registry names them; `study_spec` reads one."""

from __future__ import annotations

from pathlib import Path

from core.preprocess.spec import PreprocessSpec, SpecError

STUDIES_DIR = Path(__file__).parent


def list_study_specs() -> tuple[str, ...]:
    return tuple(sorted(path.stem for path in STUDIES_DIR.glob("*.json")))


def study_spec(name: str) -> PreprocessSpec:
    """The spec of study `name` (the stem of a file here, e.g. "la_collisions")."""
    path = STUDIES_DIR / f"{name}.json"
    if not path.is_file():
        raise SpecError(f"no preprocessing spec for study '{name}'; studies: {', '.join(list_study_specs())}")
    return PreprocessSpec.from_json(path.read_text(encoding="utf-8"))
