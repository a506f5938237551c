"""One run's own controls, for every page that shows a run: its name, tags and note, Delete (after a
confirmation), the trained model to download, and new rows to score with it. Keys are `{key}_..._{run id}`, so
each run keeps its own widgets when the page switches between runs."""

from __future__ import annotations

import streamlit as st

from core.errors import TrainboardError
from core.runs.artifacts import MODEL_FILE
from core.runs.record import NAME_MAX, NOTE_MAX
from core.uploads import as_uploaded, save_uploads
from ui.number_table import number_table
from ui.run_store import run_store

TABLE_TYPES = ["csv", "tsv", "txt", "gz", "zip", "parquet"]
IMAGE_TYPES = ["png", "jpg", "jpeg", "bmp", "gif", "webp"]


def widget_key(key: str, what: str, record) -> str:
    return f"{key}_{what}_{record.id}"


def manage_run(record, key: str, known_tags=(), forget=()) -> None:
    """Name, tags and note (saved together) and Delete for `record`. `known_tags` are offered in the tag box (new
    ones may be typed); `forget` names session-state keys that hold this run's id, cleared when it is deleted."""
    store = run_store()

    def suffix(what: str) -> str:
        return widget_key(key, what, record)

    with st.expander(f"Name, tags and note of **{record.label}**", icon=":material/edit:"):
        st.caption(f"Run id `{record.id}`. Unnamed runs are shown by the last four characters of their id.")
        with st.form(suffix("form"), border=False):
            name = st.text_input(
                "Name", record.name, max_chars=NAME_MAX, key=suffix("name"), placeholder=record.id[-4:]
            )
            tags = st.multiselect(
                "Tags",
                sorted({*known_tags, *record.tags}),
                default=list(record.tags),
                accept_new_options=True,
                key=suffix("tags"),
                placeholder="Choose or type a tag",
            )
            note = st.text_area("Note", record.note, max_chars=NOTE_MAX, key=suffix("note"), height=80)
            if st.form_submit_button("Save", key=suffix("save")):
                try:
                    saved = store.annotate(record.id, name=name, tags=tags, note=note)
                except TrainboardError as error:
                    st.error(str(error), icon=":material/error:")
                else:
                    st.toast(f"Saved {saved.label}.")
                    st.rerun()
        delete_run(record, key, forget)


def delete_run(record, key: str, forget=()) -> None:
    """Delete behind a popover and a "yes" checkbox; a running run must be stopped first."""
    with st.popover("Delete this run", icon=":material/delete:", disabled=record.status == "running"):
        sure = st.checkbox(f"Yes, delete {record.label} and every file it saved", key=widget_key(key, "sure", record))
        if st.button("Delete", type="primary", disabled=not sure, key=widget_key(key, "delete", record)):
            try:
                run_store().delete(record.id)
            except TrainboardError as error:
                st.error(str(error), icon=":material/error:")
                return
            for name in forget:
                st.session_state.pop(name, None)
            st.toast(f"Deleted {record.label}.")
            st.rerun()
    if record.status == "running":
        st.caption("A running run cannot be deleted: stop it first.")


def model_box(record, key: str) -> None:
    """The trained model to download, and new rows (a table's rows, or pictures for an image run) to score."""
    from core.training.execute import PREPROCESS_FILE
    from core.training.network_run import MODEL_WEIGHTS

    run_dir = run_store().artifacts_dir(record.id)
    files = [
        (name, run_dir / name) for name in (MODEL_FILE, MODEL_WEIGHTS, PREPROCESS_FILE) if (run_dir / name).exists()
    ]
    if not files:
        st.info("This run saved no model (it did not finish).")
        return
    columns = st.columns(len(files))
    for column, (name, path) in zip(columns, files, strict=True):
        column.download_button(
            f"Download {name}",
            data=path.read_bytes,  # read when clicked: a forest's file can be hundreds of MB
            file_name=f"{record.model}-{record.id}-{name}",
            key=widget_key(key, f"download_{name}", record),
            on_click="ignore",
            icon=":material/download:",
        )
    st.caption(
        "`model.joblib`: the fitted scikit-learn estimator (`joblib.load`; joblib runs code when loading, so load "
        "only files you trust). `model.safetensors`: the network's weights (rebuild it from the run's "
        "configuration). `preprocess.joblib`: the fitted preprocessing that turns rows into the model's input."
    )
    score_box(record, key)


@st.cache_resource(max_entries=4, show_spinner="Reading the run's preprocessing...")
def _scorer(run_id: str):
    from core.scoring import load_scorer

    return load_scorer(run_store(), run_id)


def score_box(record, key: str) -> None:
    from core.datasets.tabular_file import read_table
    from core.scoring import PREDICTED, beside_rows, read_images

    st.markdown("**Score new rows**")
    try:
        scorer = _scorer(record.id)
    except TrainboardError as error:
        st.info(str(error))
        return
    images = scorer.image_shape is not None
    if images:
        size = " x ".join(map(str, scorer.image_shape))
        st.caption(f"Pictures are made {size} pixels and {'RGB' if len(scorer.image_shape) == 3 else 'grey'}.")
    else:
        st.caption(f"A CSV or parquet file with these columns (others are ignored): {', '.join(scorer.columns)}.")
    uploaded = st.file_uploader(
        "Pictures" if images else "Rows",
        type=IMAGE_TYPES if images else TABLE_TYPES,
        accept_multiple_files=images,
        key=widget_key(key, "score_file", record),
    )
    if not uploaded:
        return
    try:
        if images:
            files = [(f.name, f.getvalue()) for f in uploaded]
            scored = scorer.score_images(read_images(files, scorer.image_shape))
            scored.insert(0, "file", [name for name, _ in files])
        else:
            frame, _ = read_table(save_uploads([(uploaded.name, uploaded.getvalue())]))
            scored = beside_rows(frame, scorer.score_rows(frame))
    except TrainboardError as error:
        st.error(as_uploaded(str(error)), icon=":material/error:")
        return
    number_table(scored, key=widget_key(key, "scored", record))
    counts = scored[PREDICTED].value_counts()
    st.caption("Predicted: " + ", ".join(f"{name} {count:,}" for name, count in counts.items()))
    st.download_button(
        "Predictions CSV",
        scored.to_csv(index=False),
        f"predictions-{record.id}.csv",
        key=widget_key(key, "scored_csv", record),
        on_click="ignore",
    )
