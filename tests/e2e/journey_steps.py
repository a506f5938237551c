"""The steps of a new user's journey through the app, as tests/e2e/test_journey.py takes them in Chromium.

Each step drives the page as a user would (the widgets' st-key-<key> classes, visible texts) and checks what the
user sees: a figure with drawn marks, a leaderboard row with its status and accuracy, a counter that moves.
Tables are read from the accessible <table role="grid"> Streamlit's data grid keeps inside its canvas.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

from tests.e2e.conftest import Session, sync_api

TRAIN_TIMEOUT_S = 180  # one small run on 2 busy cores: 15-30 s, the first one also starts a worker
# Marks Plotly has drawn: a trace's shapes in SVG (bars, lines, heatmaps and images), or a WebGL canvas.
DRAWN_MARKS = "g.trace path, g.trace rect, .overplot image, canvas.gl-canvas"


def wait_until(session: Session, check: Callable[[], object], what: str, timeout_s: float = TRAIN_TIMEOUT_S):
    """Poll `check` (which reads the page) every half second until it returns something truthy; return that.
    Fails naming `what` and the last page shot when it never does."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            shot = session.shot(f"timeout-{what}")
            raise AssertionError(f"{session.name}: {what} did not happen within {timeout_s:.0f} s (see {shot})")
        session.page.wait_for_timeout(500)


# ---- widgets ---------------------------------------------------------------------------------------------------


def fill_number(session: Session, key: str, value: float) -> None:
    box = session.key(key).locator("input")
    box.fill(str(value))
    box.press("Enter")
    session.settle()


def chosen(session: Session, key: str) -> str:
    """What the select box created with key=`key` shows."""
    return session.key(key).get_by_role("combobox").input_value()


def pick(session: Session, key: str, option: str, exact: bool = True) -> None:
    """Choose `option` (its shown text; with exact=False, the first option holding it) in the select box created
    with key=`key`."""
    box = session.key(key).get_by_role("combobox")
    wanted = session.page.get_by_role("option", name=option, exact=exact).first
    for _ in range(3):  # a rerun still drawing the page can close the list as it opens: open it again
        box.click()
        box.fill(option)  # typed, as a user does in a long list: the list draws only the options in view
        try:
            wanted.wait_for(timeout=10_000)
            break
        except sync_api.TimeoutError:
            session.settle()
    wanted.click()
    session.settle()
    shows = chosen(session, key)
    assert shows == option if exact else option in shows, f"{key}: shows {shows!r} after choosing {option!r}"


def keep_only(session: Session, key: str, option: str) -> None:
    """In a multiselect, remove every chosen value but `option` (its shown text) with its x, as a user would."""
    box = session.key(key)
    tags = box.get_by_role("group", name="Selected values").locator("[data-tag]")
    for name in tags.evaluate_all("tags => tags.map(t => t.getAttribute('aria-label'))"):
        if name != option:
            box.get_by_role("button", name=f"Remove {name}", exact=True).click()
            session.settle()
    left = tags.evaluate_all("tags => tags.map(t => t.getAttribute('aria-label'))")
    assert left == [option], f"{key}: chose {left}, not {option} alone"


def open_tab(session: Session, name: str) -> None:
    session.page.get_by_role("tab", name=name).first.click()  # a substring: "Alerts" matches "Alerts (3)"
    session.settle()


# ---- what the user sees ----------------------------------------------------------------------------------------


def assert_figure_drawn(session: Session, where, what: str) -> None:
    """`where` (a locator) holds a Plotly figure with drawn marks, not an empty frame."""
    figure = where.locator(".js-plotly-plot").first
    figure.wait_for(state="visible")
    figure.scroll_into_view_if_needed()
    wait_until(session, lambda: figure.locator(DRAWN_MARKS).count() > 0, f"{what}: a figure with drawn marks", 30)


def table_rows(grid) -> list[dict[str, str]]:
    """The rows of a data grid as {column header: cell text}, from the accessible table in its canvas (the
    rows and columns it has drawn: the leading ones)."""
    headers = grid.locator("thead th").all_text_contents()
    rows = grid.locator("tbody tr").all()
    return [dict(zip(headers, row.locator("td").all_text_contents(), strict=False)) for row in rows]


def leaderboard_rows(session: Session) -> list[dict[str, str]]:
    """Rows of the visible leaderboard-shaped tables (those with 'label' and 'status' columns)."""
    rows = []
    for grid in session.page.get_by_test_id("stDataFrame").all():
        if grid.is_visible():
            headers = grid.locator("thead th").all_text_contents()
            if "label" in headers and "status" in headers:
                rows += table_rows(grid)
    return rows


def finished_row(session: Session, model: str) -> dict[str, str] | None:
    """The leaderboard row of `model` once it reads finished with a test accuracy in [0, 1] (None before: the grid
    may draw a row before all its leading columns); a run that ended otherwise fails at once."""
    for row in leaderboard_rows(session):
        if row.get("model") != model:
            continue
        if row["status"] in ("failed", "diverged", "interrupted", "stopped"):
            raise AssertionError(f"{session.name}: the {model} run ended {row['status']}: {row}")
        if row["status"] == "finished" and row.get("test accuracy"):
            accuracy = float(row["test accuracy"])
            assert 0.0 <= accuracy <= 1.0, row
            return row
        print(f"{session.name}: waiting for the {model} row: {row}")  # shown by pytest when the wait fails
    return None


# ---- the steps ---------------------------------------------------------------------------------------------------


def load_dataset(session: Session, *, title: str | None = None, source: str | None = None,
                 rows: int | None = None, upload: Path | None = None, target: str | None = None) -> str:  # fmt: skip
    """On the Data page: choose the dataset (its shown title), the source, the rows, or upload a file and pick its
    target column; press Load.
    Returns the dataset name the page then shows as its heading."""
    if title:
        pick(session, "data_name", title)
    name = re.search(r"\(([^()]+)\)$", chosen(session, "data_name"))
    loader = name.group(1) if name else "fashion-mnist"
    if source:
        session.page.get_by_test_id("stRadio").get_by_text(source, exact=True).click()
        session.settle()
    if rows is not None:
        fill_number(session, f"data_rows_{loader}", rows)
    if upload is not None:
        session.key(f"data_upload_{loader}").locator("input[type='file']").set_input_files(str(upload))
        session.settle()
        session.page.get_by_text("Name in runs and reports").wait_for()
    if target is not None:
        pick(session, f"data_target_{loader}", target)
    session.key("data_load").click()
    session.settle()
    session.assert_no_exception("Data")
    metric = session.page.get_by_test_id("stMetric").filter(has_text="Rows").first
    metric.wait_for()
    if rows is not None:  # every row asked for, or the rest named in the provenance as dropped (no target)
        shown = int(re.search(r"[\d,]+", metric.inner_text().replace("Rows", "")).group().replace(",", ""))
        if shown != rows:
            session.page.get_by_text(f"{rows - shown:,} rows with no").wait_for(timeout=5000)
    heading = session.page.locator("h3").first.inner_text().strip()
    assert_figure_drawn(session, session.page.locator(".st-key-data_balance"), "Data: the class balance")
    session.shot("data-loaded")
    return heading


def explore(session: Session, tab: str | None = None, figure_key: str = "explore_grid") -> None:
    session.open("Explore")
    session.assert_no_exception("Explore")
    if tab:
        open_tab(session, tab)
        session.assert_no_exception(f"Explore {tab}")
    assert_figure_drawn(session, session.key(figure_key), f"Explore: {figure_key}")
    session.shot("explore")


def train_logreg(session: Session, limit: int) -> dict[str, str]:
    """Baselines: logreg alone on `limit` rows; waits for its leaderboard row to read finished."""
    session.open("Baselines")
    session.assert_no_exception("Baselines")
    keep_only(session, "bl_models", "Logistic regression (logreg)")
    fill_number(session, "bl_limit", limit)
    session.key("bl_train").click()
    session.settle()
    row = wait_until(session, lambda: finished_row(session, "logreg"), "Baselines: logreg finished")
    session.assert_no_exception("Baselines after training")
    session.page.get_by_text("Run details").wait_for()
    assert_figure_drawn(session, session.page.locator(".st-key-bl_cm"), "Baselines: the confusion matrix")
    session.shot("baselines-finished")
    return row


def train_mlp(session: Session, limit: int) -> dict[str, str]:
    """Neural Nets: a 1-epoch mlp on `limit` rows; waits for its status, then checks its curves and row."""
    session.open("Neural Nets")
    session.assert_no_exception("Neural Nets")
    assert chosen(session, "nn_model").endswith("(mlp)"), chosen(session, "nn_model")
    fill_number(session, "nn_train_epochs", 1)
    fill_number(session, "nn_limit", limit)
    session.key("nn_train").click()
    session.settle()
    status = session.page.get_by_text(re.compile(r"^Status: (finished|failed|diverged|stopped|interrupted)$"))
    status.first.wait_for(timeout=TRAIN_TIMEOUT_S * 1000)
    session.settle()
    assert status.first.inner_text().strip() == "Status: finished", status.first.inner_text()
    session.assert_no_exception("Neural Nets after training")
    assert_figure_drawn(session, session.key("nn_curves"), "Neural Nets: the learning curves")
    row = wait_until(session, lambda: finished_row(session, "mlp"), "Neural Nets: mlp row finished", 30)
    session.shot("neural-nets-finished")
    return row


def compare(session: Session, dataset: str, labels: list[str]) -> None:
    """Compare: the dataset's runs; every one of `labels` chosen and in the leaderboard, a figure drawn."""
    session.open("Compare")
    session.assert_no_exception("Compare")
    if chosen(session, "cmp_dataset") != dataset:
        pick(session, "cmp_dataset", dataset)
    runs = session.key("cmp_runs").get_by_role("group", name="Selected values").inner_text()
    for label in labels:
        assert label in runs, f"Compare: {label} not chosen under Runs: {runs!r}"
    shown = {row["label"]: row for row in wait_until(session, lambda: leaderboard_rows(session), "Compare board", 30)}
    for label in labels:
        assert label in shown, f"Compare: {label} not in the leaderboard: {sorted(shown)}"
        assert shown[label]["status"] == "finished", shown[label]
    open_tab(session, "ROC / PR")
    assert_figure_drawn(session, session.key("cmp_roc"), "Compare: the ROC overlay")
    session.assert_no_exception("Compare")
    session.shot("compare")


def download_report(session: Session, folder: Path) -> Path:
    """On Compare: prepare the report, download it; returns the saved file."""
    session.key("cmp_prepare").click()
    session.settle()
    session.assert_no_exception("Compare report")
    with session.page.expect_download() as download:
        session.key("cmp_html").locator("button").click()
    path = folder / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".html" and path.stat().st_size > 0, path
    return path


def assert_report_renders_offline(browser, report: Path, labels: list[str], shot_to: Path) -> None:
    """Open the saved report in a fresh context that may load file:// only: its title, sections, run names and
    figures must all be there."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    blocked, errors = [], []

    def only_files(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_files)
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)[:300]))
        page.on("console", lambda m: errors.append(m.text[:300]) if m.type == "error" else None)
        page.goto(report.as_uri())
        page.locator("h1", has_text="Trainboard comparison").wait_for()
        for section in ("Leaderboard", "Learning curves", "Confusion matrices"):
            page.locator("h2", has_text=section).first.wait_for()
        text = page.locator("body").inner_text()
        for label in labels:
            assert label in text, f"report: {label} missing"
        page.locator(".plotly-graph-div .main-svg").first.wait_for()
        drawn = page.locator(f".plotly-graph-div :is({DRAWN_MARKS})").count()
        assert drawn > 0, "report: the figures drew no marks offline"
        page.screenshot(path=str(shot_to), full_page=True)
    finally:
        context.close()
    assert not blocked, f"the report asked the network for: {blocked}"
    assert not errors, f"the report's page errors offline: {errors}"


def epoch_of(session: Session) -> int:
    text = session.page.locator("h4", has_text="Epoch").first.inner_text()
    return int(re.search(r"Epoch ([\d,]+)", text).group(1).replace(",", ""))


def playground_rate(session: Session, seconds: float = 4.0) -> float:
    """Playground: press Play, count epochs over `seconds` from the first redraw, press Pause; returns epochs
    (one per redraw at 1 epoch per redraw) per second. Checks the counter stops after Pause."""
    session.open("Playground")
    session.assert_no_exception("Playground")
    first = epoch_of(session)
    session.key("pg_play").click()
    wait_until(session, lambda: epoch_of(session) > first, "Playground: the counter moves after Play", 30)
    started, start = time.monotonic(), epoch_of(session)
    session.page.wait_for_timeout(seconds * 1000)  # the measuring window, not a wait for a state
    end = epoch_of(session)
    elapsed = time.monotonic() - started
    session.key("pg_play").click()
    session.key("pg_play").get_by_role("button", name="Play").wait_for(timeout=10_000)
    session.settle()
    session.assert_no_exception("Playground after Pause")
    print(f"{session.name}: Playground epoch {start} to {end} in {elapsed:.2f} s")  # shown when the test fails
    paused = epoch_of(session)
    session.page.wait_for_timeout(1000)
    assert epoch_of(session) == paused, f"Playground: the counter moved on from {paused} after Pause"
    session.shot("playground")
    return (end - start) / elapsed


def sweep_logreg(session: Session, trials: int, limit: int) -> str:
    """Sweeps: a `trials`-trial study of logreg on `limit` rows; waits until the page says they all finished."""
    session.open("Sweeps")
    session.assert_no_exception("Sweeps")
    pick(session, "sw_model", "Logistic regression (logreg)")
    fill_number(session, "sw_trials", trials)
    fill_number(session, "sw_limit", limit)
    session.key("sw_start").click()
    session.settle()
    session.assert_no_exception("Sweeps started")
    done = re.compile(rf"^{trials} of {trials} trials \({trials} complete\)")
    progress = session.page.get_by_test_id("stProgress").filter(has_text=re.compile(r"of \d+ trials"))

    def finished():
        texts = progress.all_inner_texts()
        if any("failed" in text for text in texts):
            raise AssertionError(f"Sweeps: a trial failed: {texts}")
        return next((text for text in texts if done.search(text.strip())), None)

    text = wait_until(session, finished, f"Sweeps: {trials} trials finished", TRAIN_TIMEOUT_S * 2)
    session.page.get_by_text("Done: its budget is spent.").wait_for()
    session.assert_no_exception("Sweeps done")
    session.shot("sweeps-done")
    return text
