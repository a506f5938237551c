"""A run on a table where one feature alone gives the target away carries a warning: in its metrics, the CLI's
summary, the leaderboard and the comparison report; a clean table carries none."""

import numpy as np
import pandas as pd

from core.datasets import LoadRequest
from core.leaderboard import leaderboard
from core.report.comparison import comparison_report
from core.runs import RunStore, jobs
from core.training.config import RunConfig, create_run


def table(tmp_path, leak: bool) -> LoadRequest:
    rng = np.random.default_rng(0)
    n = 400
    y = rng.choice(["yes", "no"], n)
    frame = pd.DataFrame({"noise": rng.normal(size=n), "other": rng.integers(0, 5, n), "y": y})
    if leak:
        frame["code"] = np.where(y == "yes", "Y1", "N0")  # recorded with the outcome
    path = tmp_path / ("leaky.csv" if leak else "clean.csv")
    frame.to_csv(path, index=False)
    return LoadRequest("csv", source="file", path=str(path), target="y")


def test_a_leaking_feature_is_carried_to_the_run_and_everything_that_shows_it(tmp_path):
    store = RunStore(tmp_path / "runs.db")
    leaky = jobs.run_inline(create_run(store, RunConfig.build(table(tmp_path, True), "logreg")), store)
    clean = jobs.run_inline(create_run(store, RunConfig.build(table(tmp_path, False), "logreg")), store)
    assert leaky.status == clean.status == "finished"
    (warning,) = leaky.metrics["warnings"]
    assert warning.startswith("code alone predicts y with 100.0% accuracy") and "a leak" in warning
    assert leaky.metrics["test"]["accuracy"] == 1.0
    assert "warnings" not in clean.metrics
    board = leaderboard([leaky, clean]).set_index("run")
    assert board.loc[leaky.id, "leak"] == "⚠ leak" and board.loc[clean.id, "leak"] == ""
    html = comparison_report([leaky, clean], store)
    assert "code alone predicts y with 100.0% accuracy" in html
