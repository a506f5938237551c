"""bench/results.json: the last result of every target, with when and on which commit it was measured, so that a
run of some benchmarks (run_all.py --only) keeps the other targets' last figures."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from record import Result


@dataclass(frozen=True)
class Row:
    """A target's last result and where it comes from."""

    result: Result
    measured_at: str  # "2026-12-02 03:10 UTC"
    commit: str
    bench: str

    def to_dict(self) -> dict:
        return {
            "result": self.result.to_dict(),
            "measured_at": self.measured_at,
            "commit": self.commit,
            "bench": self.bench,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Row":
        return cls(Result.from_dict(data["result"]), data["measured_at"], data["commit"], data["bench"])


@dataclass
class Record:
    """Everything results.json holds: the rows by target id, and the machine and versions of the latest run."""

    rows: dict[str, Row] = field(default_factory=dict)
    machine: dict = field(default_factory=dict)
    versions: dict = field(default_factory=dict)
    last_run: str = ""

    def update(self, rows: list[Row], machine: dict, versions: dict, when: str) -> None:
        """The new rows replace those of their targets; every other target keeps its last row."""
        for row in rows:
            self.rows[row.result.target.id] = row
        self.machine, self.versions, self.last_run = machine, versions, when


def load(path: Path) -> Record:
    if not path.exists():
        return Record()
    data = json.loads(path.read_text())
    rows = {target_id: Row.from_dict(row) for target_id, row in data.get("rows", {}).items()}
    return Record(rows, data.get("machine", {}), data.get("versions", {}), data.get("last_run", ""))


def save(record: Record, path: Path) -> None:
    data = {
        "last_run": record.last_run,
        "machine": record.machine,
        "versions": record.versions,
        "rows": {target_id: row.to_dict() for target_id, row in sorted(record.rows.items())},
    }
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
