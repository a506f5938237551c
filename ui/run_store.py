"""The run store shared by the pages. One per process; runs whose worker died are marked
interrupted the first time it is opened (that is, at each start of the app)."""

from __future__ import annotations

import streamlit as st

from core.runs import RunStore


@st.cache_resource
def run_store() -> RunStore:
    store = RunStore()
    store.mark_interrupted()
    return store
