"""Training figures of the Neural Nets page, on small hand-made histories and histogram records."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from core.errors import TrainboardError
from core.plots import (
    gradient_norms_figure,
    layer_histogram_figure,
    learning_curves_figure,
    learning_rate_figure,
    overlay_learning_curves_figure,
    per_class_accuracy_figure,
)
from core.plots.training import best_epoch, exponential_moving_average

HISTORY = [
    {"epoch": 1, "loss": 1.0, "accuracy": 0.5, "val_loss": 1.2, "val_accuracy": 0.4, "lr": 0.1},
    {"epoch": 2, "loss": 0.6, "accuracy": 0.7, "val_loss": 0.9, "val_accuracy": 0.8, "lr": 0.01},
    {"epoch": 3, "loss": 0.4, "accuracy": 0.8, "val_loss": 1.0, "val_accuracy": 0.8, "lr": 0.001},
]


def _records() -> list[dict]:
    def layer(norm, counts, grad=True):
        entry = {"weight_norm": 1.0, "weights": {"counts": counts, "edges": [-1.0, 0.0, 1.0, 2.0]}}
        if grad:
            entry |= {"grad_norm": norm, "gradients": {"counts": [3, 0, 0], "edges": [-0.1, 0.0, 0.1, 0.2]}}
        return entry

    return [
        {"epoch": 1, "layers": {"fc1.weight": layer(1e-2, [1, 2, 3]), "fc1.bias": layer(None, [0, 6, 0], grad=False)}},
        {"epoch": 2, "layers": {"fc1.weight": layer(1e-5, [2, 2, 2]), "fc1.bias": layer(0.5, [1, 4, 1])}},
    ]


def _by_name(figure: go.Figure, name: str):
    return next(trace for trace in figure.data if trace.name == name)


def _is_empty(figure: go.Figure) -> bool:
    return len(figure.data) == 0 and "nothing yet" in figure.layout.title.text


def test_ema_starts_at_the_first_value_and_skips_gaps():
    assert exponential_moving_average([1, 0, 0], 0.5) == pytest.approx([1, 0.5, 0.25])
    assert exponential_moving_average([None, 2, None, 0], 0.5) == [None, 2, None, 1]
    assert exponential_moving_average([3, 1], 0.0) == [3, 1]
    with pytest.raises(TrainboardError, match="smoothing"):
        exponential_moving_average([1], 0.99)


def test_learning_curves_plot_each_metric_per_epoch_and_mark_the_best_epoch():
    figure = learning_curves_figure(HISTORY)
    assert len(figure.data) == 5  # train and validation loss, train and validation accuracy, best-epoch star
    loss = _by_name(figure, "train")
    assert list(loss.x) == [1, 2, 3] and list(loss.y) == [1.0, 0.6, 0.4]
    assert loss.xaxis == "x" and loss.line.dash == "solid"
    val_accuracy = [t for t in figure.data if t.name == "validation" and t.xaxis == "x2"][0]
    assert list(val_accuracy.y) == [0.4, 0.8, 0.8] and val_accuracy.line.dash == "dash"
    star = _by_name(figure, "best epoch (2)")  # the earliest of the tied best epochs
    assert list(star.x) == [2] and list(star.y) == [0.8]
    assert best_epoch(HISTORY) == 2


def test_smoothing_draws_raw_points_faint_behind_the_smoothed_line():
    history = [{"epoch": e, "loss": v} for e, v in enumerate([1.0, 0.0, 0.0], start=1)]
    figure = learning_curves_figure(history, smoothing=0.5)
    raw, smoothed = _by_name(figure, "train (raw)"), _by_name(figure, "train")
    assert list(raw.y) == [1.0, 0.0, 0.0] and raw.opacity < 0.5
    assert list(smoothed.y) == pytest.approx([1.0, 0.5, 0.25])
    assert len(figure.data) == 2  # no validation rows: no validation lines and no best-epoch star


def test_learning_curves_survive_missing_and_none_values():
    history = [{"epoch": 1, "loss": None, "accuracy": 0.5}, {"loss": float("nan")}, {"epoch": 3, "loss": 0.2}]
    figure = learning_curves_figure(history, smoothing=0.3)
    assert list(_by_name(figure, "train").x)[-1] == 3
    assert _is_empty(learning_curves_figure([]))
    assert _is_empty(learning_curves_figure([{"epoch": 1, "loss": None}]))


BATCHES = [  # what BatchCurve writes: two points within each of the first two epochs
    {"epoch": 0.5, "seconds": 2.0, "loss": 1.4, "accuracy": 0.3},
    {"epoch": 1.0, "seconds": 4.0, "loss": 0.8, "accuracy": 0.6},
    {"epoch": 1.5, "seconds": 7.0, "loss": 0.7, "accuracy": None},
    {"epoch": 2.0, "seconds": 9.0, "loss": 0.5, "accuracy": 0.75},
]


def test_batch_points_are_a_thin_line_under_the_epoch_markers():
    figure = learning_curves_figure(HISTORY, batches=BATCHES)
    within = [t for t in figure.data if t.name == "train, within epochs"]
    assert [t.xaxis for t in within] == ["x", "x2"], "one in each panel"
    assert [t.showlegend for t in within] == [True, False], "one legend entry for both"
    loss, accuracy = within
    assert list(loss.x) == [0.5, 1.0, 1.5, 2.0] and list(loss.y) == [1.4, 0.8, 0.7, 0.5]
    assert list(accuracy.y) == [0.3, 0.6, None, 0.75]
    assert loss.mode == "lines" and loss.line.width == 1
    names = [t.name for t in figure.data]
    assert names.index("train, within epochs") < names.index("train"), "drawn first, so the epochs lie on top"
    assert list(_by_name(figure, "train").x) == [1, 2, 3] and _by_name(figure, "train").marker.size == 8
    assert "each epoch's mean" in figure.layout.title.subtitle.text, "why the epoch markers sit off the thin line"


def test_the_time_axis_places_epochs_at_their_elapsed_seconds():
    history = [row | {"elapsed_seconds": seconds} for row, seconds in zip(HISTORY, [4.5, 9.5, 14.0], strict=True)]
    figure = learning_curves_figure(history, batches=BATCHES, x_axis="time")
    assert list(_by_name(figure, "train, within epochs").x) == [2.0, 4.0, 7.0, 9.0]
    assert list(_by_name(figure, "train").x) == [4.5, 9.5, 14.0]
    assert list(_by_name(figure, "best epoch (2)").x) == [9.5]
    assert figure.layout.xaxis.title.text == "seconds since training began"
    # Rows of runs from before elapsed_seconds: the epochs' training seconds added up.
    older = [row | {"seconds": 3.0} for row in HISTORY]
    assert list(_by_name(learning_curves_figure(older, x_axis="time"), "train").x) == [3.0, 6.0, 9.0]
    with pytest.raises(TrainboardError, match="x_axis"):
        learning_curves_figure(HISTORY, x_axis="batches")


def test_batch_points_alone_show_curves_before_the_first_epoch_ends():
    figure = learning_curves_figure([], batches=BATCHES[:1])
    assert not _is_empty(figure)
    assert [t.name for t in figure.data] == ["train, within epochs"] * 2
    assert figure.layout.xaxis.dtick is None, "fractional epochs get ticks between the whole ones"
    assert _is_empty(learning_curves_figure([], batches=[{"epoch": 0.1, "loss": None}]))
    assert learning_curves_figure(HISTORY).layout.xaxis.dtick == 1


def test_overlay_draws_one_line_per_run():
    other = [{"epoch": 1, "val_accuracy": 0.3}, {"epoch": 2, "val_accuracy": None}]
    figure = overlay_learning_curves_figure({"mlp": HISTORY, "cnn": other, "none yet": []})
    assert [t.name for t in figure.data] == ["mlp", "cnn"]
    assert list(figure.data[0].y) == [0.4, 0.8, 0.8] and list(figure.data[1].y) == [0.3, None]
    assert "Validation accuracy" in figure.layout.title.text
    assert len(overlay_learning_curves_figure({"mlp": HISTORY}, metric="loss", smoothing=0.5).data) == 2
    assert _is_empty(overlay_learning_curves_figure({}))


def test_identical_runs_stay_distinguishable_when_overlaid():
    # numpy-mlp and mlp trained step for step give the same curve: both must still be visible on it
    figure = overlay_learning_curves_figure({"numpy-mlp": HISTORY, "mlp": HISTORY})
    first, second = figure.data
    assert list(first.y) == list(second.y)
    assert first.line.dash != second.line.dash and first.marker.symbol != second.marker.symbol
    assert first.line.color != second.line.color


def test_learning_rate_is_on_a_log_axis_unless_a_rate_is_zero():
    figure = learning_rate_figure([0.1, 0.01, 0.001])
    assert list(figure.data[0].x) == [1, 2, 3] and list(figure.data[0].y) == [0.1, 0.01, 0.001]
    assert figure.layout.yaxis.type == "log"
    assert learning_rate_figure([0.1, 0.0]).layout.yaxis.type == "linear"
    assert _is_empty(learning_rate_figure([]))


def test_gradient_norms_one_line_per_parameter_tensor():
    figure = gradient_norms_figure(_records())
    assert [t.name for t in figure.data] == ["fc1.weight", "fc1.bias"]
    assert list(figure.data[0].x) == [1, 2] and list(figure.data[0].y) == [1e-2, 1e-5]
    assert list(figure.data[1].y) == [None, 0.5]  # no gradient at epoch 1
    assert "fc1.bias" in figure.data[1].hovertemplate
    assert figure.layout.yaxis.type == "log"
    assert _is_empty(gradient_norms_figure([]))
    assert _is_empty(gradient_norms_figure([{"epoch": 1, "layers": {"w": {"weight_norm": 1.0}}}]))


def test_layer_histogram_one_step_line_per_epoch_from_light_to_dark():
    figure = layer_histogram_figure(_records(), "fc1.weight")
    assert [t.name for t in figure.data] == ["epoch 1", "epoch 2"]
    assert list(figure.data[0].x) == [-1.0, 0.0, 1.0, 2.0] and list(figure.data[0].y) == [1, 2, 3, 3]
    assert figure.data[0].line.shape == "hv" and figure.data[0].line.color != figure.data[1].line.color
    grads = layer_histogram_figure(_records(), "fc1.bias", which="grad")
    assert [t.name for t in grads.data] == ["epoch 2"]  # epoch 1 had no gradient
    assert _is_empty(layer_histogram_figure(_records(), "missing.layer"))
    assert _is_empty(layer_histogram_figure([], "fc1.weight", which="grad"))
    with pytest.raises(TrainboardError, match="which"):
        layer_histogram_figure(_records(), "fc1.weight", which="bias")


def test_layer_histogram_reads_the_older_key_names_too():
    records = [{"epoch": 4, "layers": {"w": {"weight_hist": {"counts": [5], "edges": [0.0, 1.0]}}}}]
    assert list(layer_histogram_figure(records, "w").data[0].y) == [5, 5]


def test_per_class_accuracy_is_diagonal_over_row_sums_weakest_first():
    matrix = [[8, 2, 0], [1, 3, 0], [0, 0, 5]]
    figure = per_class_accuracy_figure(matrix, ["cat", "dog", "frog"])
    bars = figure.data[0]
    assert list(bars.y) == ["dog", "cat", "frog"]
    assert list(bars.x) == pytest.approx([3 / 4, 8 / 10, 5 / 5])
    assert figure.layout.yaxis.autorange == "reversed"  # the first (weakest) class is drawn on top
    overall = figure.layout.shapes[0]
    assert overall.x0 == pytest.approx(16 / 19)
    assert _is_empty(per_class_accuracy_figure([], []))
    assert list(per_class_accuracy_figure([[1, 0], [0, 0]], ["a", "b"]).data[0].y) == ["a"]  # b has no rows
