"""Comparing runs: filters, split groups and the fairness note, the parameter table, and the statistics
(McNemar, paired bootstrap, the sentence, calibration, Pareto front) against hand-computed values and scipy."""

import dataclasses
import math

import numpy as np
import pytest
from scipy.stats import binomtest, chi2

from core.compare import (
    RUN_LABEL,
    bootstrap_difference,
    compare_predictions,
    describe_difference,
    fairness_note,
    group_by_split,
    label,
    load_predictions,
    mcnemar,
    parameter_table,
    pareto_front,
    reliability_curve,
    select_runs,
)
from core.errors import TrainboardError
from core.runs import artifacts
from core.runs.record import RunRecord
from core.runs.store import RunStore

BASE = RunRecord(
    id="20261122-000000-ab12", created_at="2026-11-22T10:00:00+00:00", started_at=None, finished_at=None,
    dataset="iris", split_hash="84e3288cffff", model="rf", family="classical", params={"n_estimators": 100},
    preprocess="{}", config={"limit": None, "training": {}}, seed=0, tags=[], status="finished", stage=None,
    fraction=None, message=None, eta_seconds=None, timings=None, metrics=None, versions=None, error=None,
    worker_pid=None, stop_requested=False, elapsed_seconds=None,
)  # fmt: skip


def run(suffix: str, accuracy: float | None = None, **changes) -> RunRecord:
    metrics = {"test": {"accuracy": accuracy}} if accuracy is not None else None
    return dataclasses.replace(BASE, id=f"20261122-000000-{suffix}", metrics=metrics, **changes)


def correctness(both: int, only_a: int, only_b: int, neither: int) -> tuple[np.ndarray, np.ndarray]:
    a = [True] * both + [True] * only_a + [False] * only_b + [False] * neither
    b = [True] * both + [False] * only_a + [True] * only_b + [False] * neither
    return np.array(a), np.array(b)


# -- runs ------------------------------------------------------------------------------------------------


def test_label_is_model_and_id_end():
    assert label(run("cd34", model="mlp")) == "mlp · cd34" == RUN_LABEL(run("cd34", model="mlp"))


def test_select_runs_filters():
    runs = [
        run("0001", dataset="iris", family="classical", status="finished", tags=["baseline"]),
        run("0002", dataset="iris", family="torch", status="failed", tags=["net", "try"]),
        run("0003", dataset="digits", family="torch", status="finished", created_at="2026-11-25T01:00:00+00:00"),
        run("0004", dataset="iris", family="classical", status="finished", created_at="2026-11-20T23:59:00+00:00"),
    ]
    ids = lambda chosen: [r.id[-4:] for r in chosen]  # noqa: E731
    assert ids(select_runs(runs)) == ["0001", "0002", "0003", "0004"]
    assert ids(select_runs(runs, dataset="iris")) == ["0001", "0002", "0004"]
    assert ids(select_runs(runs, families=["torch"])) == ["0002", "0003"]
    assert ids(select_runs(runs, statuses=["finished"], families=["torch"])) == ["0003"]
    assert ids(select_runs(runs, tags=["try", "baseline"])) == ["0001", "0002"]
    assert ids(select_runs(runs, since="2026-11-22")) == ["0001", "0002", "0003"]
    assert ids(select_runs(runs, since="2026-11-21", until="2026-11-22")) == ["0001", "0002"]
    assert ids(select_runs(runs, until="2026-11-20")) == ["0004"]
    assert select_runs(runs, families=[]) == []


def test_group_by_split_largest_group_first_best_run_first():
    runs = [
        run("a001", 0.80, split_hash="h1"),
        run("b001", 0.70, split_hash="h2"),
        run("a002", 0.95, split_hash="h1"),
        run("c001", 0.60, split_hash="h3"),
        run("c002", 0.90, split_hash="h3"),
        run("dead", None, split_hash=None, status="failed"),
        run("a003", 0.85, split_hash="h1"),
    ]
    groups = group_by_split(runs)
    assert [g.split_hash for g in groups] == ["h1", "h3", "h2", None]
    ids = [[r.id[-4:] for r in g.runs] for g in groups]
    assert ids == [["a002", "a003", "a001"], ["c002", "c001"], ["b001"], ["dead"]]


def test_fairness_note_names_the_runs_of_each_split():
    same = [run("ab12", 0.9, split_hash="84e3288cffff"), run("cd34", 0.8, split_hash="84e3288cffff", model="mlp"),
            run("dead", None, split_hash=None, status="failed")]  # fmt: skip
    assert fairness_note(group_by_split(same)) is None
    assert fairness_note([]) is None
    mixed = same + [run("ef56", 0.7, split_hash="1a2b3c4d5e6f", model="knn")]
    assert fairness_note(group_by_split(mixed)) == (
        "rf · ab12 and mlp · cd34 saw split 84e3288c; knn · ef56 saw split 1a2b3c4d (different rows). "
        "Compared within each group."
    )


def test_parameter_table_columns_and_only_differing():
    rf = run("ab12", params={"n_estimators": 100, "max_depth": None})
    rf_deep = run("cd34", params={"n_estimators": 300, "max_depth": None}, preprocess='{"scaling": "minmax"}')
    mlp = run("ef56", model="mlp", family="torch", params={"hidden": [64, 32]},
              config={"limit": 500, "training": {"epochs": 5, "lr": 0.001}})  # fmt: skip
    table = parameter_table([rf, rf_deep, mlp])
    assert table.index.tolist() == ["rf · ab12", "rf · cd34", "mlp · ef56"]
    assert table.columns.tolist() == ["model", "family", "seed", "limit", "param hidden", "param max_depth",
                                      "param n_estimators", "train epochs", "train lr", "preprocess"]  # fmt: skip
    assert table.loc["mlp · ef56", "param hidden"] == "[64, 32]"
    assert table.loc["mlp · ef56", "train epochs"] == 5
    assert table.loc["rf · cd34", "preprocess"] == "scaling=minmax"
    assert table.loc["rf · ab12", "preprocess"] == "defaults"

    two_forests = parameter_table([rf, rf_deep], only_differing=True)
    assert two_forests.columns.tolist() == ["param n_estimators", "preprocess"]
    assert two_forests["param n_estimators"].tolist() == [100, 300]
    assert parameter_table([rf, mlp], only_differing=True).columns.tolist() == [
        "model",
        "family",
        "limit",
        "param hidden",
        "param n_estimators",
        "train epochs",
        "train lr",
    ]  # fmt: skip (max_depth: None for rf and absent for mlp counts as equal)


def test_load_predictions_reads_the_run_folder_or_gives_none(tmp_path):
    from core.runs.artifacts import PREDICTIONS_FILE  # the name record_results writes

    store = RunStore(tmp_path / "runs" / "runs.db")
    with_file = store.create({}, dataset="iris", model="rf", family="classical", params={}, preprocess="{}", seed=0)
    without = store.create({}, dataset="iris", model="rf", family="classical", params={}, preprocess="{}", seed=0)
    proba = np.array([[0.9, 0.1], [0.2, 0.8]], dtype=np.float32)
    artifacts.write_arrays(store.artifacts_dir(with_file), PREDICTIONS_FILE, rows=np.array([4, 7]),
                           y_true=np.array([0, 1]), proba=proba)  # fmt: skip
    loaded = load_predictions(store, store.get(with_file))
    assert sorted(loaded) == ["proba", "rows", "y_true"] and np.array_equal(loaded["proba"], proba)
    assert load_predictions(store, store.get(without)) is None


# -- statistics ------------------------------------------------------------------------------------------


def test_mcnemar_exact_branch_by_hand_and_scipy():
    a, b = correctness(both=50, only_a=7, only_b=2, neither=5)
    result = mcnemar(a, b)
    assert (result.only_a_right, result.only_b_right, result.exact) == (7, 2, True)
    # Two-sided: 2 * P(X >= 7) for X ~ Binomial(9, 1/2) = 2 * (36 + 9 + 1) / 512.
    assert result.p_value == pytest.approx(92 / 512)
    assert result.p_value == pytest.approx(binomtest(7, 9, 0.5).pvalue)
    assert mcnemar(b, a).p_value == pytest.approx(result.p_value)


def test_mcnemar_chi_square_branch_by_hand():
    a, b = correctness(both=100, only_a=30, only_b=10, neither=10)
    result = mcnemar(a, b)
    assert (result.only_a_right, result.only_b_right, result.exact) == (30, 10, False)
    assert result.statistic == pytest.approx((20 - 1) ** 2 / 40)  # 9.025
    assert result.p_value == pytest.approx(chi2.sf(9.025, 1))
    assert result.p_value == pytest.approx(0.002663, rel=1e-3)


def test_mcnemar_without_disagreements_is_p_one():
    a, _ = correctness(both=10, only_a=0, only_b=0, neither=3)
    assert mcnemar(a, a).p_value == 1.0


def test_bootstrap_identical_predictions_give_zero():
    a, _ = correctness(both=40, only_a=0, only_b=0, neither=10)
    assert bootstrap_difference(a, a) == (0.0, 0.0, 0.0)


def test_bootstrap_clear_difference_excludes_zero_and_is_reproducible():
    a, b = correctness(both=100, only_a=60, only_b=5, neither=35)
    observed, low, high = bootstrap_difference(a, b, seed=3)
    assert observed == pytest.approx((160 - 105) / 200)
    assert 0 < low < observed < high
    assert bootstrap_difference(a, b, seed=3) == (observed, low, high)
    # Close to the normal approximation: per-row differences are 60 ones and 5 minus ones in 200 rows.
    standard_error = math.sqrt((65 / 200 - 0.275**2) / 200)
    assert (low, high) == (pytest.approx(0.275 - 1.96 * standard_error, abs=0.015),
                           pytest.approx(0.275 + 1.96 * standard_error, abs=0.015))  # fmt: skip
    # A wider interval at a higher confidence.
    _, low_99, high_99 = bootstrap_difference(a, b, seed=3, confidence=0.99)
    assert low_99 <= low and high_99 >= high


def test_describe_difference_names_the_better_run_first():
    sentence = "rf · ab12 beats logreg · cd34 by 2.1 points, 95% CI +1.4 to +2.8, p<0.001"
    assert describe_difference("rf · ab12", "logreg · cd34", 0.021, 0.014, 0.028, 0.0004) == sentence
    assert describe_difference("logreg · cd34", "rf · ab12", -0.021, -0.028, -0.014, 0.0004) == sentence


def test_describe_difference_when_the_interval_contains_zero():
    assert describe_difference("rf · ab12", "logreg · cd34", 0.003, -0.005, 0.011, 0.4213) == (
        "rf · ab12 and logreg · cd34 are not distinguishable on these rows: "
        "difference 0.3 points, 95% CI -0.5 to +1.1, p=0.42"
    )


def predictions(rows, y_true, predicted, classes=3) -> dict:
    proba = np.full((len(rows), classes), 0.1, dtype=np.float32)
    proba[np.arange(len(rows)), predicted] = 0.8
    return {"rows": np.asarray(rows), "y_true": np.asarray(y_true), "proba": proba}


def test_compare_predictions_scores_both_runs():
    y = np.arange(30) % 3
    good = predictions(range(30), y, y)  # all right
    poor = predictions(range(30), y, np.where(np.arange(30) < 12, (y + 1) % 3, y))  # 12 wrong
    result = compare_predictions("logreg · cd34", poor, "rf · ab12", good)
    assert (result.accuracy_a, result.accuracy_b) == (pytest.approx(0.6), 1.0)
    assert result.difference == pytest.approx(-0.4) and result.high < 0
    assert (result.mcnemar.only_a_right, result.mcnemar.only_b_right) == (0, 12)
    assert result.sentence.startswith("rf · ab12 beats logreg · cd34 by 40.0 points")


def test_compare_predictions_refuses_different_rows():
    y = np.arange(6) % 3
    with pytest.raises(TrainboardError, match="did not predict the same test rows"):
        compare_predictions("a", predictions(range(6), y, y), "b", predictions(range(1, 7), y, y))
    with pytest.raises(TrainboardError, match="same split hash"):
        compare_predictions("a", predictions(range(6), y, y), "b", predictions(range(5), y[:5], y[:5]))


def test_reliability_curve_by_hand():
    proba = np.array([[0.95, 0.05], [0.85, 0.15], [0.35, 0.65], [0.62, 0.38]])
    y_true = np.array([0, 1, 1, 1])  # right, wrong, right, wrong
    curve = reliability_curve(proba, y_true, bins=10)
    assert curve["count"] == [2, 1, 1]  # bins [0.6, 0.7), [0.8, 0.9), [0.9, 1.0]
    assert curve["confidence"] == pytest.approx([0.635, 0.85, 0.95])
    assert curve["accuracy"] == pytest.approx([0.5, 0.0, 1.0])
    assert curve["ece"] == pytest.approx((2 * 0.135 + 0.85 + 0.05) / 4)


def test_reliability_curve_puts_full_confidence_in_the_last_bin():
    curve = reliability_curve(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([0, 1]), bins=5)
    assert curve["count"] == [2] and curve["ece"] == 0.0
    assert math.isnan(reliability_curve(np.zeros((0, 2)), np.zeros(0, dtype=int))["ece"])


def test_pareto_front_on_a_hand_made_set():
    costs = [1.0, 2.0, 3.0, 2.0, None, 0.5, 0.2]
    scores = [0.80, 0.90, 0.85, 0.90, 0.99, 0.70, None]
    # (3, 0.85) is beaten by (2, 0.9); ties (2, 0.9) do not beat each other; None is never on the front.
    assert pareto_front(costs, scores) == [True, True, False, True, False, True, False]
    assert pareto_front([], []) == []
    assert pareto_front([1.0, 1.0], [0.5, 0.6]) == [False, True]


def test_keep_selection_keeps_what_still_matches_and_adds_what_has_just_come_to_match():
    from core.compare import keep_selection

    assert keep_selection(["a", "b"], ["b", "c"], ["a", "b"]) == ["b", "c"]  # a left, c is new
    assert keep_selection(["a"], ["x", "y"], ["a", "b"]) == ["x", "y"]  # another dataset: its runs
    assert keep_selection([], ["a", "b"], None) == ["a", "b"]  # the first visit: every matching run
    assert keep_selection(["a"], ["a", "b"], ["a", "b"]) == ["a"]  # the user's own choice stays
