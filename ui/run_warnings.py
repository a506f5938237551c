"""What a run's scores must be read with (a feature that leaks the target), shown wherever the run is."""

from __future__ import annotations

import streamlit as st


def run_warnings(record, label: str = "") -> None:
    for warning in (record.metrics or {}).get("warnings", []):
        st.warning(f"{label}{warning}", icon=":material/report:")
