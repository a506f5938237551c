"""What the user says about a run: its name, tags and note, editable in any status (the RunStore's part that
does not touch a run's lifecycle)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from core.runs.artifacts import dumps
from core.runs.record import TAGS_MAX, RunEditError, RunRecord, clean_name, clean_note, clean_tags


class RunEdits:
    """Mixed into RunStore, whose connections (`_write`), `_status` and `get` it uses."""

    def annotate(
        self, run_id: str, *, name: str | None = None, tags: Iterable[str] | None = None, note: str | None = None
    ) -> RunRecord:
        """Set the run's name, tags and note (None: leave it as it is) in any status; returns the record.
        RunEditError (nothing changed) when a value cannot be stored; see record.clean_name and the others."""
        values = {}
        if name is not None:
            values["name"] = clean_name(name)
        if tags is not None:
            values["tags"] = dumps(clean_tags(tags))
        if note is not None:
            values["note"] = clean_note(note)
        with self._write() as con:
            self._status(con, run_id)
            if values:
                assignments = ", ".join(f"{column} = ?" for column in values)
                con.execute(f"UPDATE runs SET {assignments} WHERE id = ?", (*values.values(), run_id))
        return self.get(run_id)

    def retag(self, run_id: str, add: Iterable[str] = (), remove: Iterable[str] = ()) -> RunRecord:
        """Add tags to the run's and take others away, in one transaction (two people tagging at once both
        count); tags already there keep their place. Returns the record."""
        add, remove = clean_tags(add), set(clean_tags(remove))
        with self._write() as con:
            self._status(con, run_id)
            stored = con.execute("SELECT tags FROM runs WHERE id = ?", (run_id,)).fetchone()[0]
            try:
                current = json.loads(stored)
            except (TypeError, ValueError):  # a damaged column: the tags given replace it
                current = []
            kept = [str(t) for t in current if str(t) not in remove] if isinstance(current, list) else []
            tags = kept + [t for t in add if t not in kept and t not in remove]
            if len(tags) > TAGS_MAX:
                raise RunEditError(f"a run has at most {TAGS_MAX} tags; this would give it {len(tags)}")
            con.execute("UPDATE runs SET tags = ? WHERE id = ?", (dumps(tags), run_id))
        return self.get(run_id)
