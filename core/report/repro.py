"""The reproducibility pack: a zip holding, per run, its configuration, preprocessing spec, seed, split hash and
library versions, and a script with the exact `python -m core train ...` line that trains each run again."""

from __future__ import annotations

import io
import json
import shlex
import zipfile

from core.runs.artifacts import dumps

# A fixed timestamp for every member, so the same runs give the same bytes.
ZIP_DATE = (2020, 1, 1, 0, 0, 0)
SPEC_FILE = "SPEC.json"  # what RunConfig.command_line() names after --spec

README = """Trainboard reproducibility pack
===============================

{count} run(s). commands.sh holds one `python -m core train ...` line per run. Run it from the root of a
Trainboard checkout, or from anywhere with TRAINBOARD_REPO naming that checkout:

    sh /path/to/this/pack/commands.sh
    TRAINBOARD_REPO=/path/to/trainboard sh /path/to/this/pack/commands.sh

Preprocessing specs are read from the pack itself (SPEC.json, or runs/<id>/preprocess.json when runs differ).
Each command creates a new run in the run store. With the same data, seed and library versions (listed in
runs/<id>/run.json) a classical model gives the same metrics; torch models on a GPU may differ in the last
digits. A run that read a file (--path) needs that file at the same place.

Per run, runs/<id>/ holds:
  config.json      the run's whole configuration (dataset request, model, params, seed, limit, training)
  preprocess.json  the preprocessing spec ({{}}: the defaults)
  run.json         model, params, seed, split hash, library versions, status and headline metrics

Runs with the same split hash were trained and scored on the same rows.
"""

SCRIPT_HEAD = """#!/bin/sh
# One line per run; see README.txt. Run from anywhere: PACK is this folder, TRAINBOARD_REPO the checkout.
set -e
PACK="$(cd "$(dirname "$0")" && pwd)"
cd "${TRAINBOARD_REPO:-.}"
"""


def repro_pack(records, store) -> bytes:
    """The zip's bytes: README.txt, commands.sh, SPEC.json when the runs share one non-default spec, and
    runs/<id>/{config,preprocess,run}.json per run. `store` is accepted for symmetry with the report."""
    from core.compare import label

    specs = {_spec_text(record) for record in records} - {"{}"}
    shared_spec = next(iter(specs)) if len(specs) == 1 else None
    lines = [SCRIPT_HEAD]
    members: dict[str, str] = {}
    for record in records:
        folder = f"runs/{record.id}"
        spec = _spec_text(record)
        members[f"{folder}/config.json"] = dumps(record.config, indent=2) + "\n"
        members[f"{folder}/preprocess.json"] = spec + "\n"
        members[f"{folder}/run.json"] = dumps(_run_facts(record), indent=2) + "\n"
        spec_path = "$PACK/" + (SPEC_FILE if spec == shared_spec else f"{folder}/preprocess.json")
        lines.append(f"# {label(record)}  (run {record.id}, {record.status})\n{command_line(record, spec_path)}\n")
    if shared_spec is not None:
        members[SPEC_FILE] = shared_spec + "\n"
    members["commands.sh"] = "\n".join(lines)
    members["README.txt"] = README.format(count=len(records))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        for name in ("README.txt", "commands.sh", *sorted(set(members) - {"README.txt", "commands.sh"})):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.external_attr = (0o755 if name.endswith(".sh") else 0o644) << 16
            pack.writestr(info, members[name], compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def command_line(record, spec_path: str = SPEC_FILE) -> str:
    """The run's `python -m core train ...` line, with its --spec pointing at `spec_path` (left unquoted when it
    starts with $PACK, so the shell expands it)."""
    from core.training.config import RunConfig

    parts = shlex.split(RunConfig.from_dict(record.config).command_line())
    if "--spec" not in parts:
        return shlex.join(parts)
    at = parts.index("--spec") + 1
    head, tail = shlex.join(parts[:at]), shlex.join(parts[at + 1 :])
    quoted = f'"{spec_path}"' if spec_path.startswith("$PACK/") else shlex.quote(spec_path)
    return " ".join(part for part in (head, quoted, tail) if part)


def _spec_text(record) -> str:
    """The preprocessing spec as indented JSON; "{}" for the defaults."""
    raw = (record.config or {}).get("preprocess") or "{}"
    spec = json.loads(raw) if isinstance(raw, str) else raw
    return json.dumps(spec, indent=2, sort_keys=True) if spec else "{}"


def _run_facts(record) -> dict:
    from core.evaluate import Metrics

    stored = record.metrics or {}
    metrics = {part: Metrics.from_dict(stored[part]).headline() for part in ("val", "test") if stored.get(part)}
    return {
        "id": record.id,
        "created_at": record.created_at,
        "dataset": record.dataset,
        "model": record.model,
        "family": record.family,
        "params": record.params,
        "training": (record.config or {}).get("training", {}),
        "seed": record.seed,
        "limit": (record.config or {}).get("limit"),
        "split_hash": record.split_hash,
        "versions": record.versions,
        "status": record.status,
        "error": record.error,
        "tags": record.tags,
        "metrics": metrics,
        "timings": record.timings,
    }
