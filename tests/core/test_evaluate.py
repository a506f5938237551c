"""evaluate() against sklearn.metrics called directly here, on fixed probabilities."""

import json
import pickle

import numpy as np
import pytest
from sklearn import metrics as skm

from core.evaluate import CURVE_POINTS, Metrics, Timings, evaluate, model_size_bytes

BINARY_PROBA = np.array(
    [[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4], [0.2, 0.8], [0.45, 0.55], [0.1, 0.9], [0.7, 0.3]]
)
BINARY_Y = np.array([0, 0, 1, 1, 1, 0, 1, 0])


def multiclass(n=60, c=4, seed=0):
    rng = np.random.default_rng(seed)
    y = np.arange(n) % c
    logits = rng.normal(size=(n, c)) + 1.5 * np.eye(c)[y]  # informative but imperfect
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return proba, y


def expected_scalars(proba, y):
    """The headline numbers computed straight from sklearn, independently of core.evaluate."""
    c = proba.shape[1]
    pred = proba.argmax(axis=1)
    labels = list(range(c))
    out = {
        "accuracy": skm.accuracy_score(y, pred),
        "log_loss": skm.log_loss(y, proba, labels=labels),
        "kappa": skm.cohen_kappa_score(y, pred),
        "mcc": skm.matthews_corrcoef(y, pred),
    }
    for avg in ("macro", "micro", "weighted"):
        p, r, f, _ = skm.precision_recall_fscore_support(y, pred, labels=labels, average=avg, zero_division=0)
        out |= {f"precision_{avg}": p, f"recall_{avg}": r, f"f1_{avg}": f}
    return out


def assert_matches(metrics, expected):
    for name, value in expected.items():
        assert getattr(metrics, name) == pytest.approx(value, abs=1e-12), name


def test_binary_matches_sklearn():
    m = evaluate(BINARY_PROBA, BINARY_Y, ["no", "yes"])
    assert_matches(m, expected_scalars(BINARY_PROBA, BINARY_Y))
    assert m.accuracy == pytest.approx(6 / 8)
    assert m.balanced_accuracy == pytest.approx(skm.balanced_accuracy_score(BINARY_Y, BINARY_PROBA.argmax(1)))
    assert m.roc_auc == pytest.approx(skm.roc_auc_score(BINARY_Y, BINARY_PROBA[:, 1]))
    assert m.confusion_matrix == [[3, 1], [1, 3]]
    assert m.n == 8 and m.classes == ["no", "yes"]
    # Binary: one ROC curve, for the positive class; PR curves for both.
    assert list(m.roc_curves) == ["yes"]
    assert m.roc_curves["yes"]["auc"] == pytest.approx(m.roc_auc)
    assert set(m.pr_curves) == {"no", "yes"}
    assert m.pr_curves["yes"]["ap"] == pytest.approx(skm.average_precision_score(BINARY_Y, BINARY_PROBA[:, 1]))
    assert m.report["yes"]["support"] == 4


def test_multiclass_matches_sklearn():
    proba, y = multiclass()
    classes = ["a", "b", "c", "d"]
    m = evaluate(proba, y, classes)
    assert_matches(m, expected_scalars(proba, y))
    assert m.roc_auc == pytest.approx(skm.roc_auc_score(y, proba, multi_class="ovr", average="macro"))
    assert m.confusion_matrix == skm.confusion_matrix(y, proba.argmax(1)).tolist()
    assert set(m.roc_curves) == set(classes) == set(m.pr_curves)
    for k, name in enumerate(classes):
        assert m.roc_curves[name]["auc"] == pytest.approx(skm.roc_auc_score(y == k, proba[:, k]))
        assert m.pr_curves[name]["ap"] == pytest.approx(skm.average_precision_score(y == k, proba[:, k]))
    expected_report = skm.classification_report(y, proba.argmax(1), target_names=classes, output_dict=True)
    assert m.report["c"]["f1-score"] == pytest.approx(expected_report["c"]["f1-score"])
    assert m.report["macro avg"]["recall"] == pytest.approx(m.recall_macro)


@pytest.mark.filterwarnings("error")  # degenerate data is handled, not warned about
def test_class_never_predicted_counts_as_zero_precision():
    proba, y = multiclass()
    proba[:, 2] = 0.0  # class 2 is in y_true but never the argmax
    proba /= proba.sum(axis=1, keepdims=True)
    m = evaluate(proba, y, ["a", "b", "c", "d"])
    assert_matches(m, expected_scalars(proba, y))
    assert [row[2] for row in m.confusion_matrix] == [0, 0, 0, 0]
    assert m.report["c"]["precision"] == 0.0
    assert m.roc_auc is not None  # every class is still present in y_true


@pytest.mark.filterwarnings("error")  # degenerate data is handled, not warned about
def test_class_absent_from_y_true_leaves_auc_undefined():
    proba, y = multiclass()
    keep = y != 3
    proba, y = proba[keep], y[keep]
    m = evaluate(proba, y, ["a", "b", "c", "d"])
    assert m.roc_auc is None
    assert_matches(m, expected_scalars(proba, y))
    assert len(m.confusion_matrix) == 4 and all(len(row) == 4 for row in m.confusion_matrix)
    assert m.confusion_matrix[3] == [0, 0, 0, 0]
    assert "d" not in m.roc_curves and "d" not in m.pr_curves  # undefined without positives
    assert set(m.roc_curves) == {"a", "b", "c"}
    json.dumps(m.to_dict(), allow_nan=False)


@pytest.mark.filterwarnings("error")  # degenerate data is handled, not warned about
def test_one_class_only_in_binary_y_true():
    m = evaluate(BINARY_PROBA[BINARY_Y == 1], BINARY_Y[BINARY_Y == 1], ["no", "yes"])
    assert m.roc_auc is None and m.roc_curves == {}
    assert m.accuracy == pytest.approx(3 / 4)
    json.dumps(m.to_dict(), allow_nan=False)


def test_to_dict_round_trip_is_json_safe():
    proba, y = multiclass()
    m = evaluate(proba, y, ["a", "b", "c", "d"])
    text = json.dumps(m.to_dict(), allow_nan=False)
    back = Metrics.from_dict(json.loads(text))
    assert back == m
    assert Metrics.from_dict({**m.to_dict(), "added_by_a_newer_version": 1}) == m
    assert set(m.headline()) >= {"accuracy", "f1_macro", "roc_auc", "kappa", "mcc", "log_loss"}
    assert all(v is None or isinstance(v, float) for v in m.headline().values())


def test_nan_becomes_none_in_to_dict():
    m = evaluate(BINARY_PROBA, BINARY_Y, ["no", "yes"])
    m.kappa = float("nan")
    assert m.to_dict()["kappa"] is None


def test_curves_run_from_zero_to_one_and_are_thinned():
    rng = np.random.default_rng(1)
    n = 5000
    y = rng.integers(0, 3, n)
    proba = rng.dirichlet(np.ones(3), n)
    m = evaluate(proba, y, ["a", "b", "c"])
    for k, name in enumerate(["a", "b", "c"]):
        roc = m.roc_curves[name]
        assert len(roc["fpr"]) == len(roc["tpr"]) <= CURVE_POINTS + 1
        assert (roc["fpr"][0], roc["tpr"][0]) == (0.0, 0.0)
        assert (roc["fpr"][-1], roc["tpr"][-1]) == (1.0, 1.0)
        assert np.all(np.diff(roc["fpr"]) >= 0) and np.all(np.diff(roc["tpr"]) >= 0)
        # The area is that of the full curve, not the thinned one.
        assert roc["auc"] == pytest.approx(skm.roc_auc_score(y == k, proba[:, k]))
        pr = m.pr_curves[name]
        assert len(pr["precision"]) == len(pr["recall"]) <= CURVE_POINTS + 1
        assert pr["recall"][0] == 1.0 and pr["recall"][-1] == 0.0 and pr["precision"][-1] == 1.0


def test_float32_softmax_rounding_is_accepted():
    proba, y = multiclass()
    m = evaluate((proba * 1.0000005).astype(np.float32), y, ["a", "b", "c", "d"])
    assert m.accuracy == pytest.approx(skm.accuracy_score(y, proba.argmax(1)))


@pytest.mark.parametrize(
    "proba, y, classes, message",
    [
        (np.array([0.2, 0.8]), np.array([1]), ["a", "b"], "2-D"),
        (BINARY_PROBA, BINARY_Y, ["a", "b", "c"], "2 columns but 3 classes"),
        (BINARY_PROBA, BINARY_Y[:5], ["a", "b"], "expected 8 labels"),
        (BINARY_PROBA, BINARY_Y.reshape(-1, 1), ["a", "b"], "expected 8 labels"),
        (BINARY_PROBA, BINARY_Y + 1, ["a", "b"], r"codes must lie in 0..1"),
        (BINARY_PROBA, BINARY_Y - 1, ["a", "b"], r"codes must lie in 0..1"),
        (BINARY_PROBA, BINARY_Y + 0.5, ["a", "b"], "integer class codes"),
        (BINARY_PROBA, BINARY_Y.astype(str), ["a", "b"], "integer class codes"),
        (BINARY_PROBA * 2, BINARY_Y, ["a", "b"], "row 0 sums to 2"),
        (BINARY_PROBA - 0.5, BINARY_Y, ["a", "b"], "non-negative"),
        (np.full((8, 2), np.nan), BINARY_Y, ["a", "b"], "finite"),
        (np.zeros((0, 2)), np.zeros(0, int), ["a", "b"], "no rows"),
        (np.ones((3, 1)), np.zeros(3, int), ["a"], "at least 2 classes"),
        (BINARY_PROBA, BINARY_Y, ["a", "a"], "unique"),
    ],
)
def test_bad_inputs_raise_naming_the_problem(proba, y, classes, message):
    with pytest.raises(ValueError, match=message):
        evaluate(proba, y, classes)


def test_timings_and_model_size():
    t = Timings(fit_seconds=1.5, predict_seconds=0.25, examples_per_second=400.0, model_size_bytes=1234)
    assert json.loads(json.dumps(t.to_dict())) == {
        "fit_seconds": 1.5,
        "predict_seconds": 0.25,
        "examples_per_second": 400.0,
        "model_size_bytes": 1234,
    }
    big, small = {"w": list(range(10_000))}, {"w": [1]}
    assert model_size_bytes(big) == len(pickle.dumps(big, protocol=5)) > model_size_bytes(small)
