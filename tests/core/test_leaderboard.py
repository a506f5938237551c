import numpy as np

from core.evaluate import evaluate
from core.leaderboard import leaderboard
from core.runs.record import RunRecord


def metrics_with_accuracy(correct: int) -> dict:
    """Real evaluate() output on 10 rows of which `correct` are predicted right."""
    y = np.arange(10) % 2
    predicted = np.where(np.arange(10) < correct, y, 1 - y)
    proba = np.eye(2)[predicted] * 0.8 + 0.1
    return evaluate(proba, y, ["a", "b"]).to_dict()


def record(run_id, model, status, correct=None, error=None):
    metrics = timings = None
    if correct is not None:
        metrics = {"val": metrics_with_accuracy(correct), "test": metrics_with_accuracy(correct)}
        timings = {"fit_seconds": 1.5, "predict_seconds": 0.1, "examples_per_second": 20.0, "model_size_bytes": 2e6}
    return RunRecord(
        id=run_id, created_at="2026-11-22T00:00:00+00:00", started_at=None, finished_at=None, dataset="d",
        split_hash="abcdef1234", model=model, family="classical", params={}, preprocess="{}", config={}, seed=0,
        tags=[], status=status, stage=None, fraction=None, message=None, eta_seconds=None, timings=timings,
        metrics=metrics, versions=None, error=error, worker_pid=None, stop_requested=False, elapsed_seconds=None,
    )  # fmt: skip


def test_best_test_accuracy_first_and_failures_kept():
    table = leaderboard([record("1", "rf", "finished", 8), record("2", "svc", "failed", error="too big"),
                         record("3", "hgb", "finished", 9)])  # fmt: skip
    assert table["model"].tolist() == ["hgb", "rf", "svc"]
    assert table["test accuracy"].tolist()[:2] == [0.9, 0.8]
    assert table.columns[:6].tolist() == ["label", "model", "family", "status", "test accuracy", "val accuracy"]
    assert table["label"].tolist() == ["hgb · 3", "rf · 1", "svc · 2"]
    assert table.loc[2, "error"] == "too big" and table.loc[0, "size MB"] == 2.0
    assert table.loc[0, "split"] == "abcdef12"
