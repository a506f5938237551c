import pytest

from core.datasets import get_loader, list_datasets
from core.datasets.registry import DatasetLoader, register_dataset
from core.errors import DataError

EXPECTED = {
    "fashion-mnist",
    "mnist",
    "la-collisions",
    "csv",
    "digits",
    "iris",
    "wine",
    "breast-cancer",
    "toy2d",
    "logic",
}


def test_every_dataset_of_the_issue_is_registered():
    assert EXPECTED <= {loader.name for loader in list_datasets()}


def test_duplicate_name_raises():
    with pytest.raises(ValueError, match="already registered"):
        register_dataset("iris")(DatasetLoader)


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(DataError, match="unknown dataset 'irsi'; known: .*iris"):
        get_loader("irsi")


@pytest.mark.parametrize("loader", list_datasets(), ids=lambda loader: loader.name)
def test_each_loader_describes_itself(loader):
    assert loader.title and loader.description and loader.sources
    assert loader.kind in ("tabular", "image")
    assert isinstance(loader.availability().offline, bool)
