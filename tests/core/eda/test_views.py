import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency

from core.datasets import LoadRequest, load_dataset
from core.eda import views as eda_views


def cramers_v_by_hand(a: pd.Series, b: pd.Series) -> float:
    table = pd.crosstab(a, b).to_numpy()
    chi2 = chi2_contingency(table, correction=False)[0]
    return float(np.sqrt(chi2 / (table.sum() * (min(table.shape) - 1))))


@pytest.fixture
def frame():
    rng = np.random.default_rng(0)
    x = rng.normal(size=500)
    colour = rng.choice(["red", "green", "blue"], 500)
    shade = np.where(rng.random(500) < 0.8, colour, "grey")  # strongly tied to colour
    return pd.DataFrame(
        {
            "x": x,
            "y": 2 * x + rng.normal(size=500),
            "code": rng.integers(1, 5, 500),
            "constant": 1.0,
            "colour": colour,
            "shade": shade,
            "size": rng.choice(["S", "L"], 500),
        }
    )


def test_pearson_spearman_follow_pandas_and_skip_constants(frame):
    for method in ("pearson", "spearman"):
        matrix = eda_views.correlation_matrix(frame, method)
        assert "constant" not in matrix.columns
        expected = frame[["x", "y", "code"]].corr(method=method)
        pd.testing.assert_frame_equal(matrix, expected)


def test_kinds_keep_codes_out_of_correlations(frame):
    kinds = {"x": "numeric", "y": "numeric", "code": "categorical", "colour": "categorical", "shade": "categorical"}
    assert list(eda_views.correlation_matrix(frame, "pearson", kinds).columns) == ["x", "y"]
    assert "code" in eda_views.categorical_columns(frame, kinds)


def test_cramers_v_matches_the_formula(frame):
    matrix = eda_views.correlation_matrix(frame, "cramer")
    assert list(matrix.columns) == ["colour", "shade", "size"]
    assert matrix.loc["colour", "shade"] == pytest.approx(cramers_v_by_hand(frame["colour"], frame["shade"]))
    assert matrix.loc["colour", "shade"] > 0.7 > matrix.loc["colour", "size"]
    assert np.allclose(np.diag(matrix), 1.0)


def test_missing_counts_and_sample_rows(frame):
    frame.loc[:9, "x"] = np.nan
    assert eda_views.missing_counts(frame)["x"] == 10
    sample = eda_views.sample_rows(frame, rows=100)
    assert len(sample) == 100 and sample.equals(eda_views.sample_rows(frame, rows=100))


def test_grouped_distribution_shares_sum_to_one(frame):
    shares = eda_views.grouped_distribution(frame, "size", "colour")
    assert np.allclose(shares.sum(axis=1), 1.0)
    boxes = eda_views.grouped_distribution(frame, "x", "colour")
    assert list(boxes.columns) == ["colour", "x"] and len(boxes) == 500


def test_time_patterns_and_coordinates_on_la():
    dataset = load_dataset(LoadRequest("la-collisions", source="synthetic", rows=3000))
    frame = dataset.features
    patterns = eda_views.time_patterns(frame)
    assert patterns["hour"].sum() == frame["Hour Occurred"].notna().sum()
    assert patterns["hour"].index.tolist() == list(range(24))
    expected_weekdays = frame["Date Occurred"].dropna().dt.day_name().value_counts()
    assert patterns["weekday"].to_dict() == {day: expected_weekdays.get(day, 0) for day in eda_views.WEEKDAYS}
    assert eda_views.coordinate_columns(frame) == ("Latitude", "Longitude")
    assert eda_views.coordinate_columns(pd.DataFrame({"latitud": [1.0], "longitud": [2.0]})) == ("latitud", "longitud")


def test_image_statistics_against_numpy():
    dataset = load_dataset(LoadRequest("digits"))
    means = eda_views.mean_images(dataset)
    np.testing.assert_allclose(means["3"], dataset.features[dataset.target == 3].mean(axis=0))
    counts = eda_views.pixel_histogram(dataset)
    assert counts.sum() == dataset.features.size and counts[0] == (dataset.features == 0).sum()


@pytest.mark.parametrize("method", ["pca", "tsne"])
def test_projection_is_seeded_and_labelled(method):
    dataset = load_dataset(LoadRequest("digits"))
    points = eda_views.projection(dataset, method, rows=300, seed=2)
    assert len(points) == 300 and set(points["class"]) <= set(dataset.classes)
    np.testing.assert_array_equal(np.asarray(dataset.classes)[dataset.target[points["row"]]], points["class"])
    again = eda_views.projection(dataset, method, rows=300, seed=2)
    np.testing.assert_allclose(points[["x", "y"]], again[["x", "y"]])
