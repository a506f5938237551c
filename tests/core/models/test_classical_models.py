"""The common test: every registered classical model, built with its defaults, fits tiny data end to end.
A model registered later is tested here the moment it is registered."""

import numpy as np
import pytest
from sklearn.datasets import load_digits, make_classification

from core.evaluate import evaluate
from core.models import create_model, list_models

CLASSICAL = list_models(family="classical")
IMAGE = [spec for spec in CLASSICAL if "image" in spec.kinds]


def fit_and_score(spec, X_train, y_train, X_test, y_test, n_classes):
    model = create_model(spec.name, n_classes=n_classes, n_features=X_train.shape[1], n_rows=len(X_train), seed=0)
    assert model.fit(X_train, y_train) is model
    proba = model.predict_proba(X_test)
    assert proba.shape == (len(X_test), n_classes)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-5)
    return evaluate(proba, y_test, [str(c) for c in range(n_classes)])


@pytest.fixture(scope="module")
def table():
    # Already standardised, so models tagged needs_scaling get what they expect.
    X, y = make_classification(n_samples=300, n_features=8, n_informative=4, n_classes=3, class_sep=1.5, random_state=0)
    return X[:200], y[:200], X[200:], y[200:]


@pytest.fixture(scope="module")
def digits():
    bunch = load_digits()
    X = bunch.images.reshape(len(bunch.images), -1) / 16.0  # flattened 8x8 images, pixels in 0..1
    return X[:500], bunch.target[:500], X[500:800], bunch.target[500:800]


@pytest.mark.parametrize("spec", CLASSICAL, ids=lambda spec: spec.name)
def test_fits_a_small_table(spec, table):
    metrics = fit_and_score(spec, *table, n_classes=3)
    assert metrics.n == 100
    assert metrics.accuracy > 0.6  # chance is 1/3
    assert metrics.roc_auc is not None and metrics.roc_auc > 0.7


@pytest.mark.parametrize("spec", IMAGE, ids=lambda spec: spec.name)
def test_fits_flattened_digits(spec, digits):
    metrics = fit_and_score(spec, *digits, n_classes=10)
    assert metrics.accuracy > 0.5  # chance is 1/10
    assert len(metrics.confusion_matrix) == 10


@pytest.mark.parametrize("spec", CLASSICAL, ids=lambda spec: spec.name)
def test_same_seed_same_probabilities(spec, table):
    X_train, y_train, X_test, _ = table
    runs = [
        create_model(spec.name, n_classes=3, n_features=8, n_rows=200, seed=1)
        .fit(X_train, y_train)
        .predict_proba(X_test)
        for _ in range(2)
    ]
    np.testing.assert_allclose(runs[0], runs[1])


def test_forest_caps_bootstrap_rows_only_on_big_tables():
    small = create_model("rf", n_classes=3, n_features=8, n_rows=5_000, seed=0)
    big = create_model("rf", n_classes=3, n_features=8, n_rows=400_000, seed=0)
    uncapped = create_model("rf", {"max_bootstrap_rows": None}, n_classes=3, n_features=8, n_rows=400_000, seed=0)
    assert small.max_samples is None and uncapped.max_samples is None
    assert big.max_samples == pytest.approx(100_000 / 400_000)
