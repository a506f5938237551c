"""In Chromium: bad input as a user gives it, through the real pages. Every mistake must end in one readable line
that names the file or field (no exception box, no traceback, no "internal error"), must leave the dataset in use
as it was, and must leave the app working: the other pages open and train afterwards.

One tab goes through it all in order, on one server (tests/e2e/conftest.py): the LA synthetic stand-in is loaded
first; then junk, empty, header-only, one-row and one-class CSVs are uploaded on the Data page; a network that
diverges is trained on Neural Nets; a sweep with an empty range is tried on Sweeps; a CSV with a class of 2 rows
is loaded (by design it is then in use: its table is fine to look at, only training needs the fix its error
offers), the fix is pressed, Explore opens and Baselines trains on it.
Run: python -m pytest tests/e2e/test_bad_input.py
"""

import random

import pytest

from tests.e2e.conftest import open_session
from tests.e2e.journey_steps import fill_number, pick

GOOD = "la-collisions"
UNREADABLE = ("Traceback", "internal error", "Exception", 'File "')


@pytest.fixture(scope="module")
def session(server, browser):
    session = open_session(browser, server, "bad-input")
    yield session
    session.page.context.close()


def messages(session, kind: str = "error") -> list[str]:
    """The text of each alert of `kind` (error, info, ...), without its icon's name."""
    boxes = session.page.get_by_test_id("stAlert").filter(
        has=session.page.locator(f"[data-testid='stAlertContent{kind.title()}']")
    )
    return [box.get_by_test_id("stMarkdownContainer").inner_text().strip() for box in boxes.all()]


def readable(message: str, names: str) -> None:
    assert "\n" not in message, f"not one line: {message!r}"
    assert names in message, f"does not name {names!r}: {message!r}"
    assert not any(word in message for word in UNREADABLE), f"not written for a user: {message!r}"


def dataset_in_use(session) -> str:
    """The Data page's heading of the dataset in use (the results column's first subheader)."""
    return session.page.locator("h3").first.inner_text().split()[0]  # then the synthetic badge, if any


def upload(session, path) -> None:
    session.key("data_upload_csv").locator("input[type=file]").set_input_files(str(path))
    session.settle()


def write_files(folder) -> dict:
    rng = random.Random(0)
    files = {
        "prose.csv": b"It was a dark and stormy night; the rain fell in torrents.\nExcept at occasional intervals.\n",
        "noise.csv": bytes(rng.randrange(1, 256) for _ in range(3000)),  # binary, with no NUL byte to give it away
        "empty.csv": b"",
        "header.csv": b"a,b,label\n",
        "one-row.csv": b"a,b,label\n1,2,x\n",
        "one-class.csv": b"a,b,label\n" + b"".join(f"{i},{i * 2},x\n".encode() for i in range(40)),
        "rare.csv": b"a,b,label\n"
        + b"".join(f"{i},{i % 7},{'cat' if i % 2 else 'dog'}\n".encode() for i in range(60))
        + b"100,1,bird\n101,2,bird\n",
    }
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return {name: folder / name for name in files}


def test_a_good_dataset_loads_first(session):
    pick(session, "data_name", f"LA traffic collisions ({GOOD})")
    session.key(f"data_source_{GOOD}").get_by_text("Synthetic generator").click()
    session.settle()
    fill_number(session, f"data_rows_{GOOD}", 2000)
    session.key("data_load").get_by_role("button").click()
    session.settle()
    session.page.locator("h3", has_text=GOOD).first.wait_for()
    assert dataset_in_use(session) == GOOD
    session.shot("good dataset")
    session.assert_no_exception("loading the good dataset")


# (file, what the one line must name, what it must say): refused as the file is read (the form says it at once)
# or as it is loaded (the error then names the dataset still in use).
BAD_FILES = [
    ("prose.csv", "csv:prose", "too few rows to classify (1 row)"),
    ("noise.csv", "noise.csv", "not a text table"),
    ("empty.csv", "empty.csv", "empty"),
    ("header.csv", "header.csv", "a header but no rows"),
    ("one-row.csv", "csv:one-row", "too few rows to classify (1 row)"),
    ("one-class.csv", "csv:one-class", "has a single class"),
]


@pytest.mark.parametrize(("name", "names", "says"), BAD_FILES, ids=[f[0] for f in BAD_FILES])
def test_a_bad_file_is_refused_in_one_line_and_the_dataset_stays(session, tmp_path, name, names, says):
    path = write_files(tmp_path)[name]
    if session.key("data_upload_csv").count() == 0:
        pick(session, "data_name", "(csv)", exact=False)
    upload(session, path)
    if session.key("data_load").count() and not messages(session):  # it read: the load is what refuses it
        session.key("data_load").get_by_role("button").click()
        session.settle()
    errors = messages(session)
    session.shot(f"refused {name}")
    session.assert_no_exception(name)
    assert len(errors) == 1, errors
    readable(errors[0], names)
    assert says in errors[0], errors[0]
    assert dataset_in_use(session) == GOOD, "a refused file changed the dataset in use"
    if not errors[0].startswith(name):  # refused at load: the line says what is still in use
        assert errors[0].endswith(f"(still using {GOOD})"), errors[0]


def test_a_diverging_network_ends_as_diverged_with_its_reason(session):
    session.open("Neural Nets")
    assert session.page.get_by_text("chosen on the Data page").first.inner_text().startswith(GOOD)
    session.page.get_by_text("Optimizer and schedule").click()
    pick(session, "nn_train_optimizer", "sgd")
    fill_number(session, "nn_train_lr", 10)  # the box's top; with momentum 0.9 the loss passes the cap at once
    fill_number(session, "nn_train_epochs", 1)
    fill_number(session, "nn_limit", 1000)
    session.key("nn_train").get_by_role("button").click()
    session.settle()
    diverged = session.page.get_by_text("This run diverged:")
    diverged.wait_for()
    session.settle()
    reason = messages(session)
    session.shot("diverged run")
    session.assert_no_exception("the diverged run")
    (line,) = [m for m in reason if m.startswith("This run diverged:")]
    readable(line, "training loss")
    run = session.page.get_by_text("Name, tags and note of ").first.inner_text().rsplit(" of ", 1)[1].strip()
    assert run.startswith("mlp · "), run
    status = session.page.get_by_test_id("stCaptionContainer").filter(has_text="Status:").first
    assert status.inner_text().strip() == "Status: diverged"
    page = session.page
    board = page.get_by_test_id("stDataFrame").filter(has=page.locator("table", has_text="status")).last
    row = board.locator("tr", has_text=run)
    assert "diverged" in row.inner_text(), board.inner_text()


def test_a_sweep_with_an_empty_range_or_no_choices_starts_nothing(session):
    session.open("Sweeps")
    start = session.key("sw_start").get_by_role("button")
    fill_number(session, "sw_dim_dropout_low", 0.5)
    fill_number(session, "sw_dim_dropout_high", 0.1)
    errors = messages(session)
    session.shot("sweep empty range")
    assert len(errors) == 1, errors
    readable(errors[0], "'dropout'")
    assert "empty" in errors[0] and start.is_disabled()
    fill_number(session, "sw_dim_dropout_high", 0.6)
    assert not messages(session) and start.is_enabled(), "a mended range is accepted"
    session.key("sw_dim_optimizer_choices").get_by_role("button", name="Clear all").click()
    session.settle()
    errors = messages(session)
    session.shot("sweep no choices")
    assert len(errors) == 1, errors
    readable(errors[0], "'optimizer'")
    assert "no choices" in errors[0] and start.is_disabled()
    assert any("No study yet" in m for m in messages(session, "info")), "no study was started"
    session.assert_no_exception("sweeps")


def test_a_class_of_two_rows_is_named_and_its_fix_lets_it_train(session, tmp_path):
    session.open("Data")
    pick(session, "data_name", "(csv)", exact=False)
    upload(session, write_files(tmp_path)["rare.csv"])
    session.key("data_load").get_by_role("button").click()
    session.settle()
    errors = messages(session)
    session.shot("rare class")
    assert len(errors) == 1, errors
    readable(errors[0], "'bird' (2 rows)")
    assert "merge them into 'other'" in errors[0]
    # The table itself is fine to look at: it is in use, and training applies the fix offered.
    assert dataset_in_use(session) == "csv:rare"
    session.key("data_merge_rare").get_by_role("button", name="Merge").click()
    session.settle()
    assert not messages(session), messages(session)
    (kept,) = messages(session, "info")
    assert "merges the classes under 3 rows ('bird') into 'other'" in kept, kept
    session.shot("rare class fixed")
    session.assert_no_exception("the rare-class fix")


def test_the_other_pages_still_open_and_train(session):
    session.open("Explore")
    session.assert_no_exception("Explore")
    session.shot("explore")
    session.open("Baselines")
    session.key("bl_models").get_by_role("button", name="Clear all").click()
    session.settle()
    models = session.key("bl_models").locator("input")
    models.fill("logreg")
    models.press("Enter")
    models.press("Escape")  # the list stays open over the form otherwise
    session.settle()
    session.shot("baselines logreg")
    session.key("bl_train").get_by_role("button").click()
    session.settle()
    session.page.locator("h3", has_text="Run details").wait_for()
    session.settle()
    session.shot("baselines trained")
    session.assert_no_exception("Baselines")
    assert not messages(session), messages(session)
    session.watch.assert_clean()
