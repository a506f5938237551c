"""Where the preprocessing builder's state lives between reruns and page visits.

Streamlit forgets the state of every widget a run does not draw, so a visit to another page drops all of the
builder's widgets. The builder therefore passes no defaults to its widgets: it seeds each key it lacks from
the spec it should show (`starting_spec`), and after every run records the spec it built ("the draft") in an
entry no widget owns, which survives page switches. Session state holds spec JSON only, never frames."""

from __future__ import annotations

import dataclasses
from typing import Any

import streamlit as st

from core.datasets import Dataset
from core.preprocess import PreprocessSpec, move_row_step, suggested_drops

SPECS_KEY = "preprocess_specs"  # {dataset name: spec JSON}: kept for training, read by the training pages
DRAFTS_KEY = "preprocess_drafts"  # {builder key: {"spec": JSON the builder showed, "kept": kept JSON then}}
PREVIEWS_KEY = "preprocess_previews"  # {builder key: {"inputs": (sha, spec JSON, seed), "summary": ...}}


def builder_key(dataset: Dataset) -> str:
    """The prefix of every builder widget's key: a dataset's choices never reach another dataset or target."""
    return f"pp_{dataset.name}_{dataset.target_name}"


def keep_spec(dataset: Dataset, spec: PreprocessSpec) -> None:
    st.session_state.setdefault(SPECS_KEY, {})[dataset.name] = spec.to_json()


def kept_spec(dataset_name: str) -> PreprocessSpec | None:
    text = st.session_state.get(SPECS_KEY, {}).get(dataset_name)
    return PreprocessSpec.from_json(text) if text else None


def starting_spec(dataset: Dataset, alerts=()) -> PreprocessSpec:
    """The spec the builder's widgets start from: the last one it showed, unless the kept spec changed since
    (the rare-classes fix of a training page, an upload), then the kept spec; with neither, the defaults with
    the columns the alerts flag as leaking or identifier-like dropped."""
    kept = st.session_state.get(SPECS_KEY, {}).get(dataset.name)
    draft = st.session_state.get(DRAFTS_KEY, {}).get(builder_key(dataset))
    if draft and draft["kept"] == kept:
        return PreprocessSpec.from_json(draft["spec"])
    if kept:
        return PreprocessSpec.from_json(kept)
    if dataset.kind != "tabular":
        return PreprocessSpec()
    return PreprocessSpec(drop_columns=tuple(c for c in suggested_drops(alerts) if c in dataset.features.columns))


def record_draft(dataset: Dataset, spec: PreprocessSpec) -> None:
    """Remember what the builder shows now, and which kept spec it was shown against."""
    kept = st.session_state.get(SPECS_KEY, {}).get(dataset.name)
    st.session_state.setdefault(DRAFTS_KEY, {})[builder_key(dataset)] = {"spec": spec.to_json(), "kept": kept}


def move_step(dataset: Dataset, name: str, offset: int) -> None:
    """on_click of a row step's up/down button: the draft's `row_order` with that step moved. The order lives in
    the draft rather than in a key of its own, so that it follows the draft's rules (a kept spec changed
    elsewhere wins, an upload replaces it); the builder's widgets keep their values meanwhile."""
    spec = starting_spec(dataset)
    moved = dataclasses.replace(spec, row_order=move_row_step(spec.row_order, name, offset))
    record_draft(dataset, moved)


def seed(key: str, value: Any) -> str:
    """Give a widget its starting value unless it has one (Streamlit forgot it: first visit, or back from
    another page). Returns the key, for the widget's `key=`."""
    if key not in st.session_state:
        st.session_state[key] = value
    return key


def reset_builder(dataset: Dataset) -> None:
    """Forget the builder's widgets and draft: the next run seeds them from the kept spec."""
    prefix = builder_key(dataset) + "_"
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix)]:
        del st.session_state[key]
    st.session_state.get(DRAFTS_KEY, {}).pop(builder_key(dataset), None)


def apply_spec_text(dataset: Dataset, text: str | bytes) -> PreprocessSpec:
    """An uploaded spec file becomes the kept spec and the builder's state. Raises SpecError (naming the
    field) if it is not a spec, or not one for this dataset; then nothing changes."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    spec = PreprocessSpec.from_json(text)
    spec.validate_for(dataset)
    keep_spec(dataset, spec)
    reset_builder(dataset)
    return spec


def differing_fields(spec: PreprocessSpec, other: PreprocessSpec) -> list[str]:
    """The names of the fields in which two specs differ."""
    return [f.name for f in dataclasses.fields(spec) if getattr(spec, f.name) != getattr(other, f.name)]


def store_preview(dataset: Dataset, inputs: tuple, summary) -> None:
    st.session_state.setdefault(PREVIEWS_KEY, {})[builder_key(dataset)] = {"inputs": inputs, "summary": summary}


def stored_preview(dataset: Dataset) -> tuple[tuple, Any] | None:
    """(the inputs the last preview was made for, its summary), or None before the first preview."""
    stored = st.session_state.get(PREVIEWS_KEY, {}).get(builder_key(dataset))
    return (stored["inputs"], stored["summary"]) if stored else None
