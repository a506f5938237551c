"""The Playground's points: every pattern seeded, labelled as its rule says, noise flipping labels near the
boundary only, and the split."""

import numpy as np
import pytest

from core.errors import TrainboardError
from core.playground.data import N_POINTS, PATTERNS, generate, patterns_for, split


@pytest.mark.parametrize("name", list(PATTERNS))
def test_every_pattern_is_seeded_and_labelled_for_its_problem(name):
    points = generate(name, noise=0, seed=3)
    again = generate(name, noise=0, seed=3)
    assert points.points.shape == (N_POINTS, 2) and np.array_equal(points.points, again.points)
    # Another seed, other points (the spiral's points lie on its curve: only its noise is random).
    assert not np.array_equal(generate(name, 10, 3).points, generate(name, 10, 4).points)
    assert np.abs(points.points).max() <= 6.5
    if points.problem == "classification":
        assert set(np.unique(points.labels)) == {-1.0, 1.0}
        assert 0.25 < np.mean(points.labels > 0) < 0.75
    else:
        assert np.abs(points.labels).max() <= 1.25 and np.std(points.labels) > 0.1


def test_labels_follow_the_rules_without_noise():
    circle = generate("circle", 0, 0)
    assert np.array_equal(circle.labels > 0, np.hypot(*circle.points.T) < 2.5)
    xor = generate("xor", 0, 0)
    assert np.array_equal(xor.labels > 0, xor.points[:, 0] * xor.points[:, 1] >= 0)
    sine = generate("sine", 0, 0)
    assert np.array_equal(sine.labels > 0, sine.points[:, 1] > np.sin(sine.points[:, 0]))
    absolute = generate("abs", 0, 0)
    assert np.array_equal(absolute.labels > 0, absolute.points[:, 1] > np.abs(absolute.points[:, 0]) - 3)
    plane = generate("plane", 0, 0)
    np.testing.assert_allclose(plane.labels, plane.points.sum(axis=1) / 10)


def test_noise_flips_labels_near_the_boundary_not_far_from_it():
    clean, noisy = generate("xor", 0, 1), generate("xor", 30, 1)
    flipped = clean.labels != np.where(noisy.points[:, 0] * noisy.points[:, 1] >= 0, 1.0, -1.0)
    assert not flipped.any(), "without noise the labels follow the rule"
    rule = np.where(noisy.points[:, 0] * noisy.points[:, 1] >= 0, 1.0, -1.0)
    wrong = noisy.labels != rule
    assert 0.02 < wrong.mean() < 0.4
    near = np.minimum(np.abs(noisy.points[:, 0]), np.abs(noisy.points[:, 1]))
    assert near[wrong].mean() < near[~wrong].mean()


def test_split_keeps_every_point_once_in_the_chosen_ratio():
    points = generate("spiral", 10, 0)
    data = split(points, 30, seed=0)
    assert len(data.train_labels) == 150 and len(data.test_labels) == 350
    together = np.vstack([data.train_points, data.test_points])
    assert sorted(map(tuple, together)) == sorted(map(tuple, points.points))


def test_problem_lists_and_bad_values():
    assert "plane" in patterns_for("regression") and "spiral" in patterns_for("classification")
    with pytest.raises(TrainboardError, match="noise 60: must be 0-50"):
        generate("circle", 60, 0)
    with pytest.raises(TrainboardError, match="dataset 'moons'"):
        generate("moons", 0, 0)
    with pytest.raises(TrainboardError, match="train ratio 95%"):
        split(generate("circle", 0, 0), 95, 0)
