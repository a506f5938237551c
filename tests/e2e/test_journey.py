"""In Chromium: the journey a new user takes, page by page, on Fashion-MNIST, on the LA collisions stand-in and on
the real LA sample uploaded as a CSV.

Load the data, look at it on Explore, train logreg on Baselines and a 1-epoch mlp on Neural Nets (each waited
for by what the page shows), compare the two, and, for Fashion-MNIST, take the HTML report away and open it
with the network cut off, play the Playground and run a 3-trial sweep. On every page: no exception box, a
screenshot; at the end no console error, no page error and no request off 127.0.0.1.
Run: python -m pytest tests/e2e/test_journey.py (about 3 minutes on 2 busy cores: 2 min 45 s here)
"""

import pytest

from tests.e2e import journey_steps as steps
from tests.e2e.conftest import ARTIFACTS, REPO, open_session

ROWS = 3000  # rows each run trains on: small enough for seconds per run, enough for every class
REAL_LA_SAMPLE = REPO.parent / "shared" / "data" / "la_collisions_jan2013_real_sample.csv"
LA_TITLE = "LA traffic collisions (la-collisions)"
CSV_TITLE = "Your CSV or parquet file (csv)"
MIN_REDRAWS_PER_SECOND = 10


def train_and_compare(session, dataset: str) -> list[str]:
    """Baselines (logreg), Neural Nets (mlp), then both on Compare; returns the two runs' labels."""
    logreg = steps.train_logreg(session, ROWS)
    mlp = steps.train_mlp(session, ROWS)
    labels = [logreg["label"], mlp["label"]]
    steps.compare(session, dataset, labels)
    return labels


def test_fashion_journey(server, browser, tmp_path):
    session = open_session(browser, server, "journey-fashion")
    try:
        assert steps.load_dataset(session) == "fashion-mnist"
        steps.explore(session)
        labels = train_and_compare(session, "fashion-mnist")

        report = steps.download_report(session, tmp_path)
        steps.assert_report_renders_offline(browser, report, labels, ARTIFACTS / "journey-fashion-report-offline.png")

        rate = steps.playground_rate(session)
        assert rate >= MIN_REDRAWS_PER_SECOND, f"Playground: {rate:.1f} epochs a second while playing"

        text = steps.sweep_logreg(session, trials=3, limit=ROWS)
        assert text.startswith("3 of 3 trials")
        session.watch.assert_clean()
    finally:
        session.page.context.close()


def test_la_standin_journey(server, browser):
    session = open_session(browser, server, "journey-la-standin")
    try:
        name = steps.load_dataset(session, title=LA_TITLE, source="Synthetic generator", rows=ROWS)
        assert name.startswith("la-collisions")
        assert session.page.get_by_text("This is a generated stand-in").is_visible()
        steps.explore(session, tab="Distributions", figure_key="explore_target")
        train_and_compare(session, "la-collisions")
        session.watch.assert_clean()
    finally:
        session.page.context.close()


def test_real_la_upload_journey(server, browser):
    if not REAL_LA_SAMPLE.exists():
        pytest.skip(f"the real LA sample is not on this machine: {REAL_LA_SAMPLE} (the shared data folder)")
    session = open_session(browser, server, "journey-la-real")
    try:
        # Not in the portal's raw schema (its README): it goes through the generic CSV loader, target picked.
        name = steps.load_dataset(session, title=CSV_TITLE, upload=REAL_LA_SAMPLE, target="Area_Name")
        dataset = "csv:la_collisions_jan2013_real_sample"
        assert name == dataset, name
        steps.explore(session, tab="Distributions", figure_key="explore_target")
        train_and_compare(session, dataset)
        session.watch.assert_clean()
    finally:
        session.page.context.close()
