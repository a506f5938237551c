"""The validation F1 (micro) and ROC AUC curves of the Neural Nets page, from plain history rows."""

import pytest

from core.plots import validation_scores_figure


def test_one_line_per_score_over_the_epochs():
    history = [
        {"epoch": 1, "val_f1_micro": 0.7, "val_roc_auc": 0.9},
        {"epoch": 2, "val_f1_micro": 0.8, "val_roc_auc": None},  # AUC undefined this epoch
        {"epoch": 3, "val_f1_micro": 0.85, "val_roc_auc": 0.95},
    ]
    figure = validation_scores_figure(history)
    lines = {trace.name: trace for trace in figure.data}
    assert set(lines) == {"validation F1 (micro)", "validation ROC AUC"}
    assert list(lines["validation F1 (micro)"].x) == [1, 2, 3]
    assert list(lines["validation F1 (micro)"].y) == pytest.approx([0.7, 0.8, 0.85])
    assert list(lines["validation ROC AUC"].y) == [0.9, None, 0.95]
    assert figure.layout.yaxis.tickformat.endswith("%")


def test_smoothing_follows_the_learning_curves():
    history = [{"val_f1_micro": 0.5}, {"val_f1_micro": 1.0}]
    (line,) = validation_scores_figure(history, smoothing=0.5).data
    assert list(line.y) == pytest.approx([0.5, 0.75])


@pytest.mark.parametrize("history", [[], [{"epoch": 1, "loss": 0.5}], [{"val_f1_micro": None}]])
def test_without_scores_it_says_there_is_nothing_yet(history):
    figure = validation_scores_figure(history)
    assert not figure.data and "nothing yet" in figure.layout.title.text
