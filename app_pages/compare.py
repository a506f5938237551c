"""Compare page: any runs side by side, within groups that saw the same rows, and the comparison to take away."""

import datetime as dt

import streamlit as st

from core.compare import (
    fairness_note,
    group_by_split,
    keep_selection,
    left_out,
    parameter_table,
    select_runs,
    unique_labels,
)
from core.errors import TrainboardError
from core.models.registry import FAMILIES
from core.report.comparison import comparison_report, leaderboard_csv, leaderboard_json, leaderboard_with_best
from core.report.repro import repro_pack
from ui.comparison_views import figures
from ui.leaderboard_table import show_leaderboard
from ui.number_table import number_table
from ui.run_manage import manage_run
from ui.run_store import run_store
from ui.run_warnings import run_warnings


def filters(records) -> list:
    """Dataset, family, status, tag and date filters; returns the matching runs."""
    datasets = sorted({r.dataset for r in records})
    tags = sorted({t for r in records for t in r.tags})
    first, second, third = st.columns(3)
    dataset = first.selectbox("Dataset", datasets, key="cmp_dataset")
    families = second.multiselect("Family", list(FAMILIES), default=list(FAMILIES), key="cmp_family")
    statuses = third.multiselect(
        "Status", ["finished", "stopped", "diverged", "failed"], default=["finished"], key="cmp_status"
    )
    first, second = st.columns(2)
    chosen_tags = first.multiselect("Tags (any of)", tags, key="cmp_tags", disabled=not tags)
    dates = second.date_input("Created between", value=(), key="cmp_dates")
    since, until = (d.isoformat() for d in dates) if len(dates) == 2 else (None, None)
    return select_runs(
        records,
        dataset=dataset,
        families=families,
        statuses=statuses,
        tags=chosen_tags or None,
        since=since,
        until=until,
    )


def leaderboard_view(runs) -> None:
    for record in runs:
        run_warnings(record, f"{record.label} ({record.id}): ")
    table, best = leaderboard_with_best(runs)

    def bold_best(styler):
        for column, value in best.items():
            styler = styler.map(lambda v, target=value: "font-weight: bold; background-color: #e8f4ea" if v == target
                                else "", subset=[column])  # fmt: skip
        return styler

    show_leaderboard(table, "cmp_board", restyle=bold_best)
    st.caption("Best value of each column in bold (lowest for loss, time and size). Click a column to sort.")


def manage_box(records, matching) -> None:
    """Name, tag, annotate or delete any run (of any status), the first matching one chosen to start with."""
    by_id = {r.id: r for r in [*matching, *records]}
    left, right = st.columns([1, 2], vertical_alignment="bottom")
    chosen = left.selectbox(
        "Manage a run", list(by_id), key="cmp_manage_run", format_func=lambda i: f"{by_id[i].label} ({by_id[i].status})"
    )
    with right:
        tags = {tag for r in records for tag in r.tags}
        manage_run(by_id[chosen], "cmp", known_tags=tags, forget=("cmp_manage_run", "cmp_runs"))


def downloads(runs, store) -> None:
    st.subheader("Take it away")
    stamp = dt.date.today().isoformat()
    if st.button("Prepare the report and the reproducibility pack", key="cmp_prepare"):
        with st.spinner("Building the report..."):
            st.session_state["cmp_files"] = {
                "ids": [r.id for r in runs],
                "html": comparison_report(runs, store).encode(),
                "zip": repro_pack(runs, store),
            }
    files = st.session_state.get("cmp_files")
    columns = st.columns(4)
    columns[0].download_button("Leaderboard CSV", leaderboard_csv(runs), f"leaderboard-{stamp}.csv", key="cmp_csv")
    columns[1].download_button("Leaderboard JSON", leaderboard_json(runs), f"leaderboard-{stamp}.json", key="cmp_json")
    if files and files["ids"] == [r.id for r in runs]:
        columns[2].download_button("HTML report", files["html"], f"comparison-{stamp}.html", key="cmp_html")
        columns[3].download_button("Repro pack (zip)", files["zip"], f"repro-{stamp}.zip", key="cmp_zip")


st.title("Compare")
try:
    store = run_store()
    records = store.list()
    if not records:
        st.info("No runs yet: train some on the Baselines or Neural Nets page, then compare them here.")
        st.stop()
    matching = filters(records)
    by_id = {r.id: r for r in matching}
    labels = unique_labels(matching)
    # A multiselect drops chosen values that are no longer options and keeps the rest: after a change of dataset
    # it chose nothing while four runs matched. Re-choose from what matches whenever the options change.
    if st.session_state.get("cmp_runs_options") != list(by_id):
        st.session_state["cmp_runs"] = keep_selection(
            st.session_state.get("cmp_runs", []), by_id, st.session_state.get("cmp_runs_options")
        )
        st.session_state["cmp_runs_options"] = list(by_id)
    chosen = st.multiselect("Runs", list(by_id), key="cmp_runs", format_func=labels.get)
    manage_box(records, matching)
    runs = [by_id[i] for i in chosen if i in by_id]
    if not matching:
        st.info("No run matches these filters.")
        st.stop()
    if not runs:
        st.info(f"{len(matching)} runs match these filters: choose the ones to compare under Runs.")
        st.stop()
    for record, why in left_out(runs):
        st.caption(f"Not in the comparison: **{labels[record.id]}**, {why}.")
    groups = [g for g in group_by_split(runs) if g.split_hash]
    note = fairness_note(group_by_split(runs))
    if note:
        st.warning(note, icon=":material/balance:")
    if not groups:
        st.info("None of these runs has finished, so there is nothing to compare yet.")
        st.stop()
    group = groups[0]
    if len(groups) > 1:
        index = st.radio(
            "Compare within",
            range(len(groups)),
            format_func=lambda i: f"split {groups[i].split_hash[:8]} ({len(groups[i].runs)} runs)",
            horizontal=True,
            key="cmp_group",
        )
        group = groups[index]
    shown = list(group.runs)
    st.subheader("Leaderboard")
    leaderboard_view(shown)
    st.subheader("Parameters")
    only_differing = st.toggle("Only parameters that differ", value=True, key="cmp_params_diff")
    number_table(parameter_table(shown, only_differing), key="cmp_params", hide_index=False)
    figures(shown, store)
    downloads(shown, store)
except TrainboardError as error:
    st.error(str(error), icon=":material/error:")
