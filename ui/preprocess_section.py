"""The Explore page's preprocessing section: the builder, a preview of its effect, the button that keeps the
spec for training, and the spec as a file (download, and upload to load one back).

It is a fragment: a click in the builder reruns this section only, not the page's figures above it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.datasets import Dataset
from core.errors import TrainboardError
from core.preprocess import PreprocessSpec
from ui import explore_cache
from ui.preprocess_builder import preprocess_builder
from ui.preprocess_state import (
    apply_spec_text,
    differing_fields,
    keep_spec,
    kept_spec,
    record_draft,
    reset_builder,
    store_preview,
    stored_preview,
)

TOAST_KEY = "pp_toast"  # a message for the next run of this section (a toast made before a rerun is lost)
RERUN_KEY = "pp_rerun_page"  # the page's caption names the kept spec's derived target: rerun all of it


def _upload_key(dataset: Dataset) -> str:
    return f"pp_upload_{dataset.name}_{dataset.target_name}"  # not under builder_key: a reset keeps the file


def _apply_upload(dataset: Dataset) -> None:
    """on_change of the uploader (runs before the rerun, so the builder's widgets can still be reset)."""
    key = _upload_key(dataset)
    file = st.session_state.get(key)
    st.session_state.pop(f"{key}_error", None)
    if file is None:  # the file was removed from the uploader: the kept spec stays
        return
    before = kept_spec(dataset.name)
    try:
        spec = apply_spec_text(dataset, file.getvalue())
    except TrainboardError as error:
        st.session_state[f"{key}_error"] = (file.file_id, f"{file.name}: {error}")
        return
    _announce(before, spec, f"Loaded {file.name}: it is the kept preprocessing now.")


def _announce(before: PreprocessSpec | None, after: PreprocessSpec, message: str) -> None:
    """A toast on the next run of this section; that run is the whole page's when the kept spec's derived
    target changed, since the caption above the figures names it."""
    st.session_state[TOAST_KEY] = message
    if (before.derived_target if before else None) != after.derived_target:
        st.session_state[RERUN_KEY] = True


def _rerun_page_if_asked() -> None:
    if st.session_state.pop(RERUN_KEY, False):
        st.rerun(scope="app")


def _keep(dataset: Dataset, spec: PreprocessSpec) -> None:
    before = kept_spec(dataset.name)
    keep_spec(dataset, spec)
    record_draft(dataset, spec)  # before a rerun of the page, which would not reach the record below
    _announce(before, spec, "Kept: the Baselines and Neural Nets pages will use it.")


def draw_preview(dataset: Dataset, summary) -> None:
    """Row, column and class counts before and after the spec (a core.preprocess.PreviewSummary)."""
    cols = st.columns(4)
    cols[0].metric("Rows", f"{summary.rows_after:,}", delta=f"{summary.rows_after - summary.rows_before:,}")
    cols[1].metric(
        "Feature columns",
        f"{summary.columns_after:,}",
        delta=f"{summary.columns_after - summary.columns_before:+,}",
        delta_color="off",
    )
    cols[2].metric("Classes", len(summary.class_counts_after_rows))
    cols[3].metric("Training rows after balancing", f"{sum(summary.train_counts_after_balancing.values()):,}")
    after = {
        "after row steps": pd.Series(summary.class_counts_after_rows),
        "train after balancing": pd.Series(summary.train_counts_after_balancing),
    }
    if set(summary.class_counts_before) == set(summary.class_counts_after_rows):
        after = {"before": pd.Series(summary.class_counts_before), **after}
    else:  # a derived target: the old classes do not line up with the new ones
        before = ", ".join(f"{name} {count:,}" for name, count in summary.class_counts_before.items())
        st.caption(f"The target changed; classes before: {before}.")
    st.dataframe(pd.DataFrame(after).fillna(0).astype(int), key=f"pp_preview_counts_{dataset.name}")
    for note in summary.notes:
        st.caption(note)


def _preview(dataset: Dataset, spec: PreprocessSpec, split_seed: int, asked: bool) -> None:
    """The last preview, for as long as the spec, the seed and the data it was made for stay the same."""
    inputs = (dataset.provenance.sha256, spec.to_json(), split_seed)
    if asked:
        summary = explore_cache.preview_summary(*explore_cache.dataset_key(dataset), inputs[1], split_seed, dataset)
        store_preview(dataset, inputs, summary)
    stored = stored_preview(dataset)
    if stored is None:
        return
    if stored[0] == inputs:
        draw_preview(dataset, stored[1])
    else:
        st.caption(":material/update: The spec changed since the last preview: press 'Preview the effect' again.")


def _kept_status(dataset: Dataset, spec: PreprocessSpec) -> None:
    kept = kept_spec(dataset.name)
    if kept == spec:
        st.caption(":material/check_circle: This is the preprocessing kept for training.")
    elif kept is not None:
        left, right = st.columns([3, 1], vertical_alignment="center")
        fields = ", ".join(differing_fields(spec, kept))
        left.caption(f":material/edit: Not kept yet: differs from the kept preprocessing in {fields}.")
        right.button("Back to the kept spec", key="pp_revert", on_click=reset_builder, args=(dataset,))


def _spec_file(dataset: Dataset, spec: PreprocessSpec | None) -> None:
    """Download the builder's spec (when it makes one) and upload a spec file."""
    left, right = st.columns(2)
    if spec is not None:
        left.download_button(
            "Download the spec (JSON)",
            spec.to_json(),
            file_name=f"{dataset.name}-preprocess.json",
            mime="application/json",
            key="pp_download",
            icon=":material/download:",
        )
    key = _upload_key(dataset)
    right.file_uploader(
        "Load a spec (JSON) into the builder and keep it",
        type=["json"],
        key=key,
        on_change=_apply_upload,
        args=(dataset,),
        help="A file 'Download the spec' wrote, for this dataset.",
    )
    error = st.session_state.get(f"{key}_error")
    file = st.session_state.get(key)
    if error and file is not None and error[0] == file.file_id:
        right.error(error[1], icon=":material/error:")


@st.fragment
def preprocessing_section(dataset: Dataset, alerts, split_seed: int) -> None:
    """The builder and what goes with it. A TrainboardError (bad bin edges, a spec this dataset cannot take)
    shows as one line here: a rerun of this fragment alone would not reach the page's own error handling."""
    _rerun_page_if_asked()  # an upload's callback asked, before this run
    if TOAST_KEY in st.session_state:
        st.toast(st.session_state.pop(TOAST_KEY), icon=":material/check_circle:")
    try:
        spec = preprocess_builder(dataset, alerts)
    except TrainboardError as error:  # the builder's own choices; a spec file can still replace them
        st.error(str(error), icon=":material/error:")
        if kept_spec(dataset.name) is not None:
            st.button("Back to the kept spec", key="pp_revert", on_click=reset_builder, args=(dataset,))
        _spec_file(dataset, None)
        return
    left, right = st.columns(2)
    asked = left.button("Preview the effect", key="pp_preview")
    if right.button("Use this preprocessing for training", type="primary", key="pp_keep"):
        _keep(dataset, spec)
        _rerun_page_if_asked()
        st.toast(st.session_state.pop(TOAST_KEY), icon=":material/check_circle:")
    record_draft(dataset, spec)
    try:
        _preview(dataset, spec, split_seed, asked)
    except TrainboardError as error:  # e.g. classes too small to split, or to resample
        st.error(str(error), icon=":material/error:")
    _kept_status(dataset, spec)
    _spec_file(dataset, spec)
