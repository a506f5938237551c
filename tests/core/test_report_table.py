"""The classification report as a table: accuracy under f1-score with its support, not copied into every column
(what a DataFrame of sklearn's dict did: accuracy under support)."""

import math

import numpy as np
from sklearn.metrics import classification_report

from core.evaluate import evaluate


def test_accuracy_sits_under_f1_score_with_the_rows_as_support():
    proba = np.array([[0.8, 0.2], [0.3, 0.7], [0.6, 0.4], [0.1, 0.9], [0.4, 0.6]])
    y = np.array([0, 1, 1, 1, 0])
    table = evaluate(proba, y, ["a", "b"]).report_table()
    expected = classification_report(y, proba.argmax(axis=1), target_names=["a", "b"], output_dict=True)
    assert list(table.index) == ["a", "b", "accuracy", "macro avg", "weighted avg"]
    assert table.loc["accuracy", "f1-score"] == expected["accuracy"] and table.loc["accuracy", "support"] == 5
    assert math.isnan(table.loc["accuracy", "precision"]) and math.isnan(table.loc["accuracy", "recall"])
    assert table.loc["b", "recall"] == expected["b"]["recall"] and table.loc["a", "support"] == 2
