"""What the run store hands out: a run's row, decoded, and the errors it raises.

A row that cannot be decoded (a JSON column that is not JSON or not the right kind of value, text that
is not UTF-8, a time that is not a time) still comes out as a record, so one bad row never hides the
others: its status reads DAMAGED, its error says what is wrong, and the columns that could not be read
hold empty values.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from core.errors import TrainboardError

TERMINAL_STATUSES = ("finished", "failed", "diverged", "stopped", "interrupted")
STATUSES = ("queued", "running", *TERMINAL_STATUSES)
# The status a record shows when its row cannot be decoded. Never stored: the row keeps its own status.
DAMAGED = "damaged"
# Each JSON column, the kind of value it holds (None: any) and what a damaged one reads as.
JSON_COLUMNS: dict[str, tuple[type | None, Any]] = {
    "params": (dict, {}),
    "preprocess": (None, None),
    "config": (dict, {}),
    "tags": (list, []),
    "timings": (dict, None),
    "metrics": (dict, None),
    "versions": (dict, None),
}


class RunNotFoundError(TrainboardError, LookupError):
    """No run has this id."""


class RunStateError(TrainboardError, ValueError):
    """The run's status does not allow this (an illegal transition, deleting a running run)."""


class RunStoreError(TrainboardError):
    """The run database cannot be used (not an SQLite file, damaged, written by a newer Trainboard)."""


class RunEditError(TrainboardError, ValueError):
    """A name, tag or note the user gave cannot be stored (too long, a tag with a comma)."""


class UndecodableText(str):
    """Text from the database that was not valid UTF-8, with the bad bytes replaced; marks its row damaged."""


def decode_text(raw: bytes) -> str:
    """The connection's text factory: never fails, so one bad value cannot abort a whole query."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return UndecodableText(raw.decode("utf-8", errors="replace"))


def seconds_between(start: str, end: str | None) -> float:
    """Seconds from ISO time `start` to `end` (now when None), never negative."""
    end_time = datetime.fromisoformat(end) if end else datetime.now(UTC)
    return max(0.0, (end_time - datetime.fromisoformat(start)).total_seconds())


@dataclass(frozen=True)
class RunRecord:
    """One row of the registry with its JSON columns decoded. Times are ISO 8601 UTC strings."""

    id: str
    created_at: str
    started_at: str | None
    finished_at: str | None
    dataset: str
    split_hash: str | None
    model: str
    family: str
    params: dict
    preprocess: Any
    config: dict
    seed: int
    tags: list
    status: str
    stage: str | None
    fraction: float | None
    message: str | None
    eta_seconds: float | None
    timings: dict | None
    metrics: dict | None
    versions: dict | None
    error: str | None
    worker_pid: int | None
    stop_requested: bool
    elapsed_seconds: float | None  # running time so far (or in all, once ended); None before it starts
    name: str = ""  # what the user calls the run ("" until they name it)
    note: str = ""  # the user's free text about the run
    stage_started_at: float | None = None  # Unix seconds the current stage began
    eta_at: float | None = None  # Unix seconds eta_seconds (what the current stage had left) was estimated

    @property
    def is_active(self) -> bool:
        return self.status in ("queued", "running")

    @property
    def label(self) -> str:
        """The run's name wherever it is shown: 'cnn3 · wide filters' once named, 'cnn3 · ab12' (the end of its
        id) until then."""
        return f"{self.model} · {self.name or self.id[-4:]}"


def unique_labels(records) -> dict[str, str]:
    """run id -> label, with the id appended where two of `records` would read alike (two runs given one
    name, or ids that end alike), so a legend or an index never merges two runs."""
    labels = {r.id: r.label for r in records}
    taken = list(labels.values())
    for record in records:
        if taken.count(labels[record.id]) > 1:
            labels[record.id] = f"{record.label} ({record.id})" if record.name else f"{record.model} · {record.id}"
    return labels


NAME_MAX, TAG_MAX, NOTE_MAX, TAGS_MAX = 80, 40, 5000, 30  # characters; tags per run


def clean_name(name: str) -> str:
    """The name as stored: one line, spaces trimmed ("" clears it); RunEditError when it is too long."""
    name = " ".join(str(name).split())
    if len(name) > NAME_MAX:
        raise RunEditError(f"a run's name has at most {NAME_MAX} characters; '{name[:20]}...' has {len(name)}")
    return name


def clean_tags(tags) -> list[str]:
    """Tags as stored: trimmed, blanks dropped, each once, in the order given. RunEditError for a tag with a
    comma (commas separate tags where they are typed) or one that is too long, and for too many tags."""
    cleaned: list[str] = []
    for tag in tags:
        tag = " ".join(str(tag).split())
        if "," in tag:
            raise RunEditError(f"tag '{tag}' has a comma; commas separate tags, so give them one by one")
        if len(tag) > TAG_MAX:
            raise RunEditError(f"a tag has at most {TAG_MAX} characters; '{tag[:20]}...' has {len(tag)}")
        if tag and tag not in cleaned:
            cleaned.append(tag)
    if len(cleaned) > TAGS_MAX:
        raise RunEditError(f"a run has at most {TAGS_MAX} tags; {len(cleaned)} were given")
    return cleaned


def clean_note(note: str) -> str:
    """The note as stored: trimmed at both ends ("" clears it); RunEditError when it is too long."""
    note = str(note).strip()
    if len(note) > NOTE_MAX:
        raise RunEditError(f"a run's note has at most {NOTE_MAX:,} characters; this one has {len(note):,}")
    return note


def record_from_row(row: dict) -> RunRecord:
    """The record of one row (the RunRecord fields but elapsed_seconds); a row that cannot be decoded
    comes back with status DAMAGED and an error naming what is wrong."""
    values = dict(row)
    problems = [f"{name} is not UTF-8 text" for name, value in values.items() if isinstance(value, UndecodableText)]
    for name, (kind, fallback) in JSON_COLUMNS.items():
        raw = values[name]
        if raw is None or isinstance(raw, UndecodableText):
            values[name] = fallback if raw is not None else None
            continue
        try:
            value = json.loads(raw)
        except (TypeError, ValueError):
            problems.append(f"{name} is not valid JSON")
            value = fallback
        else:
            if kind is not None and not isinstance(value, kind):
                problems.append(f"{name} is not a JSON {'object' if kind is dict else 'array'}")
                value = fallback
        values[name] = value
    values["stop_requested"] = bool(values["stop_requested"])
    values["name"], values["note"] = values["name"] or "", values["note"] or ""
    values["elapsed_seconds"] = None
    if values["started_at"]:
        try:
            values["elapsed_seconds"] = seconds_between(values["started_at"], values["finished_at"])
        except (TypeError, ValueError):
            problems.append("started_at or finished_at is not an ISO time")
    if problems:
        values["error"] = f"damaged row (stored as {values['status']}): {'; '.join(problems)}"
        values["status"] = DAMAGED
    return RunRecord(**values)
