"""The comparison report read back as a browser would: every run and section there, nothing from the network,
user text escaped; and the leaderboard exports."""

import io
import json
from html.parser import HTMLParser

import pandas as pd
import pytest
from plotly.offline import get_plotlyjs

from core.compare import compare_predictions, label, load_predictions
from core.report.comparison import (
    comparison_report,
    leaderboard_csv,
    leaderboard_json,
    leaderboard_with_best,
    write_comparison_report,
)
from core.report.comparison_sections import SECTIONS
from tests.core.report.conftest import NASTY


class Page(HTMLParser):
    """Tags with their attributes, the text of each h2, all text, and whether a <script> holds code."""

    def __init__(self):
        super().__init__()
        self.tags, self.h2, self.text, self._in_h2, self.bold = [], [], [], False, []
        self._in_bold = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_h2 = self._in_h2 or tag == "h2"
        self._in_bold = self._in_bold or tag == "b"

    def handle_endtag(self, tag):
        self._in_h2 = self._in_h2 and tag != "h2"
        self._in_bold = self._in_bold and tag != "b"

    def handle_data(self, data):
        self.text.append(data)
        if self._in_h2:
            self.h2.append(data)
        if self._in_bold:
            self.bold.append(data)


@pytest.fixture(scope="module")
def report(compared):
    store, runs = compared
    text = comparison_report(list(runs.values()), store, title=f"Runs on {NASTY}")
    page = Page()
    page.feed(text)
    return text, page, runs


def test_every_run_and_section_is_there(report):
    _, page, runs = report
    text = "".join(page.text)
    for record in runs.values():
        assert label(record) in text
    assert page.h2 == list(SECTIONS)


def test_the_page_loads_nothing_from_the_network(report):
    text, page, _ = report
    assert text.count(get_plotlyjs()[:200]) == 1  # plotly.js inlined once
    scripts = [attrs for tag, attrs in page.tags if tag == "script"]
    assert scripts and not any("src" in attrs for attrs in scripts)
    assert not [tag for tag, _ in page.tags if tag in ("link", "iframe", "img")]
    for _, attrs in page.tags:
        for name in ("src", "href"):
            assert not (attrs.get(name) or "").lower().startswith(("http:", "https:", "//"))
    assert "@import" not in text


def test_what_users_typed_is_escaped(report):
    text, page, _ = report
    assert NASTY not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert NASTY in "".join(page.text)  # shown as text: the title, the failed run's dataset and its tag


def test_runs_on_another_split_are_named(report):
    _, page, runs = report
    text = "".join(page.text)
    assert "different rows" in text
    assert f"{label(runs['other split'])} saw split {runs['other split'].split_hash[:8]}" in text


def test_significance_states_the_best_run_against_the_others(report, compared):
    store, runs = compared
    _, page, _ = report
    text = " ".join(page.text)
    same_split = sorted((runs[n] for n in ("logreg", "rf", "mlp")), key=lambda r: -r.metrics["test"]["accuracy"])
    best = same_split[0]
    for other in same_split[1:]:
        pair = compare_predictions(
            label(best), load_predictions(store, best), label(other), load_predictions(store, other)
        )
        assert pair.sentence in text


def test_leaderboard_best_values(compared):
    _, runs = compared
    records = list(runs.values())
    table, best = leaderboard_with_best(records)
    finished = [r for r in records if r.status == "finished"]
    assert best["test accuracy"] == max(r.metrics["test"]["accuracy"] for r in finished)
    assert best["test log_loss"] == min(r.metrics["test"]["log_loss"] for r in finished)
    assert best["fit s"] == min(r.timings["fit_seconds"] for r in finished)
    assert best["size MB"] == min(r.timings["model_size_bytes"] / 1e6 for r in finished)
    assert "split" not in best and "run" not in best
    assert len(table) == len(records)


def test_best_values_are_bold_in_the_report(report):
    _, page, runs = report
    best_accuracy = max(r.metrics["test"]["accuracy"] for r in runs.values() if r.metrics)
    assert f"{best_accuracy:,.4g}" in page.bold


def test_csv_and_json_have_one_row_per_run(compared):
    _, runs = compared
    records = list(runs.values())
    table = pd.read_csv(io.StringIO(leaderboard_csv(records)))
    assert sorted(table["run"]) == sorted(r.id for r in records)
    rows = json.loads(leaderboard_json(records))
    assert sorted(row["run"] for row in rows) == sorted(r.id for r in records)
    by_id = {row["run"]: row for row in rows}
    assert by_id[runs["rf"].id]["test accuracy"] == pytest.approx(runs["rf"].metrics["test"]["accuracy"])
    assert by_id[runs["failed"].id]["test accuracy"] is None


def test_written_report_and_an_empty_one(compared, tmp_path):
    store, runs = compared
    path = write_comparison_report([runs["rf"]], store, tmp_path / "one.html")
    assert label(runs["rf"]) in path.read_text(encoding="utf-8")
    page = Page()
    page.feed(comparison_report([], store))
    assert page.h2 == list(SECTIONS)
