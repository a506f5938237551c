"""scikit-learn's bundled sets and the playground generators."""

import operator

import numpy as np
import pytest

from core.datasets import LoadRequest, load_dataset
from core.datasets.toy2d import RADIUS
from core.errors import DataError


def test_digits_are_8x8_uint8_images_scaled_to_255():
    from sklearn.datasets import load_digits

    dataset = load_dataset(LoadRequest("digits"))
    bunch = load_digits()
    assert dataset.kind == "image" and dataset.features.shape == (1797, 8, 8)
    assert dataset.features.dtype == np.uint8 and dataset.features.max() == 255
    np.testing.assert_array_equal(dataset.features == 0, bunch.images == 0)
    np.testing.assert_array_equal(dataset.target, bunch.target)


@pytest.mark.parametrize(("name", "rows", "n_classes"), [("iris", 150, 3), ("wine", 178, 3), ("breast-cancer", 569, 2)])
def test_sklearn_tables(name, rows, n_classes):
    dataset = load_dataset(LoadRequest(name))
    assert dataset.rows == rows and len(dataset.classes) == n_classes
    assert "target" not in dataset.features.columns
    assert set(dataset.feature_types.values()) == {"numeric"}


@pytest.mark.parametrize("pattern", ["circle", "xor", "gaussian", "spiral"])
def test_toy2d_patterns_are_balanced_and_seeded(pattern):
    request = LoadRequest("toy2d", rows=400, seed=5, options=(("pattern", pattern),))
    a, b = load_dataset(request), load_dataset(request)
    assert a.features.shape == (400, 2) and a.class_counts() == {"0": 200, "1": 200}
    assert a.provenance.sha256 == b.provenance.sha256
    assert (
        load_dataset(LoadRequest("toy2d", rows=400, seed=6, options=(("pattern", pattern),))).provenance.sha256
        != a.provenance.sha256
    )


def test_noise_free_circle_and_xor_labels_follow_their_rule():
    circle = load_dataset(LoadRequest("toy2d", rows=300, options=(("pattern", "circle"), ("noise", "0"))))
    radius = np.hypot(circle.features["x1"], circle.features["x2"])
    np.testing.assert_array_equal(circle.target, (radius < 0.6 * RADIUS).astype(int))
    xor = load_dataset(LoadRequest("toy2d", rows=300, options=(("pattern", "xor"), ("noise", "0"))))
    np.testing.assert_array_equal(xor.target, (xor.features["x1"] * xor.features["x2"] > 0).astype(int))


@pytest.mark.parametrize(("gate", "rule"), [("AND", operator.and_), ("OR", operator.or_), ("XOR", operator.xor)])
def test_logic_gates_match_the_truth_table(gate, rule):
    dataset = load_dataset(LoadRequest("logic", rows=40, options=(("gate", gate),)))
    inputs = dataset.features.to_numpy().astype(int)
    expected = [rule(int(a), int(b)) for a, b in inputs]
    np.testing.assert_array_equal(dataset.target, expected)
    assert len({tuple(row) for row in inputs}) == 4


def test_bad_options_are_named():
    with pytest.raises(DataError, match="option 'pattern': 'moons' is not one of circle, xor, gaussian, spiral"):
        load_dataset(LoadRequest("toy2d", options=(("pattern", "moons"),)))
    with pytest.raises(DataError, match="option 'noise': 'lots' is not a float"):
        load_dataset(LoadRequest("toy2d", options=(("noise", "lots"),)))
    with pytest.raises(DataError, match="unknown option 'colour'"):
        load_dataset(LoadRequest("logic", options=(("colour", "red"),)))
    with pytest.raises(DataError, match="source 'download' is not offered"):
        load_dataset(LoadRequest("toy2d", source="download"))
    with pytest.raises(DataError, match="over the limit"):
        load_dataset(LoadRequest("toy2d", rows=10**7))
