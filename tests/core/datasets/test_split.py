import numpy as np
import pandas as pd
import pytest

from core.datasets import LoadRequest, load_dataset, make_split
from core.datasets.dataset import Dataset, Provenance, RareClassesError, content_sha256, split_hash, tabular_dataset
from core.errors import DataError


def table(labels: list[str]) -> Dataset:
    frame = pd.DataFrame({"x": np.arange(len(labels), dtype=float), "y": labels})
    return tabular_dataset("t", frame, "y", {"source": "test", "location": "memory"})


def test_same_seed_same_split_and_hash():
    dataset = load_dataset(LoadRequest("wine"))
    a, b = make_split(dataset, seed=3), make_split(dataset, seed=3)
    for part in ("train", "val", "test"):
        np.testing.assert_array_equal(getattr(a, part), getattr(b, part))
    assert a.hash == b.hash
    assert make_split(dataset, seed=4).hash != a.hash


def test_parts_are_disjoint_cover_everything_and_are_stratified():
    dataset = table(["a"] * 600 + ["b"] * 300 + ["c"] * 100)
    split = make_split(dataset, seed=0, val_fraction=0.1, test_fraction=0.2)
    together = np.concatenate([split.train, split.val, split.test])
    assert sorted(together) == list(range(1000))
    assert split.sizes() == {"train": 700, "val": 100, "test": 200}
    # each part keeps the 60/30/10 class shares
    assert dataset.class_counts(split.test) == {"a": 120, "b": 60, "c": 20}
    assert dataset.class_counts(split.val) == {"a": 60, "b": 30, "c": 10}


def test_hash_is_sha256_of_dataset_hash_and_indices():
    dataset = table(["a", "b"] * 20)
    split = make_split(dataset, seed=1)
    assert split.hash == split_hash(dataset.provenance.sha256, split.train, split.val, split.test)
    other = table(["a", "b"] * 19 + ["b", "a"])  # same sizes, different content
    assert make_split(other, seed=1).hash != split.hash


def test_content_hash_follows_content_only():
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0]})
    target = np.array([0, 1, 0])
    assert content_sha256(frame, target, ("a", "b")) == content_sha256(frame.copy(), target.copy(), ("a", "b"))
    assert content_sha256(frame, target, ("a", "b")) != content_sha256(frame, np.array([0, 1, 1]), ("a", "b"))


def test_class_too_small_to_stratify_names_the_class():
    with pytest.raises(DataError, match="target 'y': 1 class too small .* 'rare' \\(2 rows\\)"):
        make_split(table(["a"] * 50 + ["rare"] * 2))


def test_single_class_is_refused():
    with pytest.raises(DataError, match="single class"):
        make_split(table(["a"] * 30))


def test_rows_with_missing_target_are_dropped_and_noted():
    frame = pd.DataFrame({"x": [1, 2, 3, 4], "y": ["a", None, "b", "a"]})
    dataset = tabular_dataset("t", frame, "y", {"source": "test", "location": "memory"})
    assert dataset.rows == 3 and dataset.features["x"].tolist() == [1, 3, 4]
    assert any("1 rows with no 'y'" in note for note in dataset.provenance.notes)


def test_mismatched_lengths_are_refused():
    provenance = Provenance(source="test", location="memory", sha256="0", rows=2)
    with pytest.raises(DataError, match="3 feature rows but 2 labels"):
        Dataset("t", "tabular", pd.DataFrame({"x": [1, 2, 3]}), np.array([0, 1]), ("a", "b"), {}, provenance)


@pytest.mark.parametrize("labels", [["x"], ["a", "b"], ["a"] * 4 + ["b"]])
def test_too_few_rows_for_any_fix_are_refused_as_such(labels):
    """One row (or five) cannot be split whatever is merged: the error says so instead of offering the merge."""
    with pytest.raises(DataError, match="too few rows to classify") as caught:
        make_split(table(labels))
    assert not isinstance(caught.value, RareClassesError)
