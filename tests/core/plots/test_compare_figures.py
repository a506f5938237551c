"""Figures comparing runs, on small hand-made curves, matrices and points (and one real Metrics, to check the
figures read what core.evaluate writes)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from core.errors import TrainboardError
from core.evaluate import evaluate
from core.plots import (
    calibration_figure,
    confusion_difference_figure,
    confusion_matrices_figure,
    cost_accuracy_figure,
    per_class_f1_figure,
    pr_overlay_figure,
    roc_overlay_figure,
)
from core.plots.compare import GRID_POINTS, macro_average_curve

ROC = {"fpr": [0.0, 0.5, 1.0], "tpr": [0.0, 0.8, 1.0], "auc": 0.7}
ROC_STEEP = {"fpr": [0.0, 0.5, 1.0], "tpr": [0.0, 1.0, 1.0], "auc": 0.75}
PR = {"precision": [1.0, 0.5, 0.25], "recall": [0.0, 0.5, 1.0], "ap": 0.6}


def _by_name(figure: go.Figure, name: str):
    return next(trace for trace in figure.data if trace.name == name)


def _is_empty(figure: go.Figure) -> bool:
    return len(figure.data) == 0 and figure.layout.title.text.endswith("nothing yet")


def test_binary_roc_overlay_draws_one_line_per_run_and_the_chance_diagonal():
    figure = roc_overlay_figure({"rf · ab12": {"1": ROC}, "knn · cd34": {"1": ROC_STEEP}})
    assert len(figure.data) == 3
    rf = _by_name(figure, "rf · ab12 (AUC 0.700)")
    assert list(rf.x) == ROC["fpr"] and list(rf.y) == ROC["tpr"]
    assert list(_by_name(figure, "knn · cd34 (AUC 0.750)").y) == ROC_STEEP["tpr"]
    chance = figure.data[-1]
    assert list(chance.x) == [0, 1] and list(chance.y) == [0, 1]
    assert rf.line.color != _by_name(figure, "knn · cd34 (AUC 0.750)").line.color


def test_macro_average_of_identical_curves_is_the_curve_on_the_grid():
    grid, tpr = macro_average_curve({"a": ROC, "b": dict(ROC)}, "fpr", "tpr")
    assert len(grid) == GRID_POINTS and grid[0] == 0 and grid[-1] == 1
    assert tpr == pytest.approx(np.interp(grid, ROC["fpr"], ROC["tpr"]))
    assert tpr[25] == pytest.approx(0.4)  # halfway to fpr 0.5, where the curve reaches 0.8


def test_multiclass_roc_overlay_averages_classes_or_shows_the_chosen_one():
    curves = {"setosa": ROC, "versicolor": ROC_STEEP, "virginica": ROC}
    figure = roc_overlay_figure({"rf": curves})
    macro = _by_name(figure, f"rf (AUC {(0.7 + 0.75 + 0.7) / 3:.3f})")
    assert macro.y[50] == pytest.approx((0.8 + 1.0 + 0.8) / 3)  # fpr 0.5
    assert "macro average" in figure.layout.title.text

    chosen = roc_overlay_figure({"rf": curves, "old run": {"setosa": ROC}}, class_name="versicolor")
    assert len(chosen.data) == 2  # the run without a versicolor curve is left out; the chance line stays
    assert list(chosen.data[0].y) == ROC_STEEP["tpr"] and "versicolor" in chosen.layout.title.text


def test_pr_overlay_puts_recall_on_x_and_averages_on_a_recall_grid():
    falling = {"precision": PR["precision"][::-1], "recall": PR["recall"][::-1], "ap": 0.6}  # as sklearn returns it
    figure = pr_overlay_figure({"mlp": {"a": falling, "b": PR, "c": PR}})
    line = _by_name(figure, "mlp (AP 0.600)")
    assert line.y == pytest.approx(np.interp(np.linspace(0, 1, GRID_POINTS), PR["recall"], PR["precision"]))
    assert figure.layout.xaxis.title.text == "recall" and len(figure.data) == 1  # no chance diagonal for PR

    binary = pr_overlay_figure({"rf": {"no": falling, "yes": PR}})  # binary runs carry both classes: draw "yes"
    assert list(binary.data[0].x) == PR["recall"] and list(binary.data[0].y) == PR["precision"]


def test_overlays_read_what_core_evaluate_writes():
    rng = np.random.default_rng(0)
    y = np.arange(60) % 3
    proba = rng.dirichlet(np.ones(3), size=60)
    metrics = evaluate(proba, y, ["a", "b", "c"]).to_dict()
    assert len(roc_overlay_figure({"run": metrics["roc_curves"]}).data) == 2
    assert len(pr_overlay_figure({"run": metrics["pr_curves"]}, class_name="b").data) == 1
    binary = evaluate(rng.dirichlet(np.ones(2), size=40), np.arange(40) % 2, ["no", "yes"]).to_dict()
    pr = pr_overlay_figure({"run": binary["pr_curves"]})
    assert list(pr.data[0].y) == binary["pr_curves"]["yes"]["precision"]


def test_confusion_matrices_sit_side_by_side_on_one_colour_scale():
    matrices = {f"run {i}": [[i, 1], [2, 3]] for i in range(5)}
    figure = confusion_matrices_figure(matrices, ["cat", "dog"])
    assert len(figure.data) == 5
    assert {trace.coloraxis for trace in figure.data} == {"coloraxis"}
    assert figure.layout.coloraxis.cmax == 4  # the largest count of any run
    assert np.array_equal(figure.data[4].z, [[4, 1], [2, 3]]) and list(figure.data[4].x) == ["cat", "dog"]
    assert figure.data[3].xaxis == "x4" and figure.data[4].xaxis == "x5"  # four per row, the fifth below
    assert figure.layout.xaxis5.domain[0] == figure.layout.xaxis.domain[0]

    shares = confusion_matrices_figure({"a": [[3, 1], [0, 0]]}, ["cat", "dog"], normalised=True)
    assert np.allclose(shares.data[0].z, [[0.75, 0.25], [0, 0]]) and shares.layout.coloraxis.cmax == 1


def test_confusion_difference_is_a_minus_b_centred_at_zero():
    a, b = [[8, 2], [1, 9]], [[5, 5], [3, 7]]
    counts = confusion_difference_figure(a, b, ["x", "y"], "rf", "knn", normalised=False)
    assert np.array_equal(counts.data[0].z, [[3, -3], [-2, 2]])
    assert counts.data[0].zmid == 0 and counts.data[0].zmin == -3 and counts.data[0].zmax == 3
    assert "rf minus knn (positive: more in rf)" in counts.layout.title.text
    assert "rf is more often right" in counts.layout.title.subtitle.text

    shares = confusion_difference_figure([[8, 2], [1, 9]], [[10, 10], [3, 7]], ["x", "y"], "rf", "knn")
    assert np.allclose(shares.data[0].z, [[0.3, -0.3], [-0.2, 0.2]])
    with pytest.raises(TrainboardError, match="differ in size"):
        confusion_difference_figure(a, [[1, 2, 3]] * 3, ["x", "y"], "rf", "knn")


def test_cost_accuracy_joins_only_the_front_points_with_a_step_line():
    points = [
        {"label": "slow good", "accuracy": 0.95, "cost": 100.0, "front": True},
        {"label": "fast", "accuracy": 0.80, "cost": 1.0, "front": True},
        {"label": "dominated", "accuracy": 0.75, "cost": 50.0, "front": False},
        {"label": "no time", "accuracy": 0.99, "cost": None, "front": False},
    ]
    figure = cost_accuracy_figure(points)
    assert len(figure.data) == 2
    others, front = figure.data
    assert list(others.text) == ["dominated"] and "lines" not in others.mode
    assert list(front.text) == ["fast", "slow good"]  # cheapest first
    assert list(front.x) == [1.0, 100.0] and list(front.y) == [0.80, 0.95] and front.line.shape == "hv"
    assert figure.layout.xaxis.type == "log" and "training time (s)" in figure.layout.xaxis.title.text

    linear = cost_accuracy_figure([{"label": "a", "accuracy": 0.5, "cost": 0.0, "front": True}], "size (MB)")
    assert linear.layout.xaxis.type != "log" and len(linear.data) == 1


def test_per_class_f1_groups_one_bar_per_run_for_each_class():
    reports = {
        "rf": {"cat": {"f1-score": 0.9}, "dog": {"f1-score": 0.7}, "accuracy": 0.8},
        "knn": {"cat": {"f1-score": 0.6}},
    }
    figure = per_class_f1_figure(reports, ["cat", "dog"])
    assert figure.layout.barmode == "group" and [trace.name for trace in figure.data] == ["rf", "knn"]
    assert list(figure.data[0].y) == [0.9, 0.7] and list(figure.data[1].y) == [0.6, None]
    assert list(figure.data[0].x) == ["cat", "dog"]


def test_calibration_draws_each_run_against_the_diagonal_with_ece_in_the_legend():
    curve = {"confidence": [0.35, 0.65, 0.95], "accuracy": [0.3, 0.5, 0.9], "count": [1, 4, 16], "ece": 0.0812}
    figure = calibration_figure({"rf": curve})
    line = _by_name(figure, "rf (ECE 0.081)")
    assert list(line.x) == curve["confidence"] and list(line.y) == curve["accuracy"]
    sizes = list(line.marker.size)
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]  # bigger markers for bins with more rows
    assert list(_by_name(figure, "perfectly calibrated").y) == [0, 1]


@pytest.mark.parametrize(
    "draw",
    [
        lambda: roc_overlay_figure({}),
        lambda: roc_overlay_figure({"rf": {}}),
        lambda: roc_overlay_figure({"rf": {"a": ROC}}, class_name="b"),
        lambda: pr_overlay_figure({}),
        lambda: confusion_matrices_figure({}, ["a", "b"]),
        lambda: confusion_difference_figure([], [], [], "a", "b"),
        lambda: cost_accuracy_figure([]),
        lambda: cost_accuracy_figure([{"label": "queued", "accuracy": None, "cost": None, "front": False}]),
        lambda: per_class_f1_figure({}, ["a"]),
        lambda: calibration_figure({}),
        lambda: calibration_figure({"rf": {"confidence": [], "accuracy": [], "count": [], "ece": 0.0}}),
    ],
)
def test_empty_input_gives_a_figure_that_says_nothing_to_show(draw):
    assert _is_empty(draw())
