"""The dataset layer: named loaders, the Dataset with its provenance, and the seeded Split."""

from core.datasets.dataset import Dataset, Provenance, Split, make_split
from core.datasets.registry import LoadRequest, get_loader, list_datasets, load_dataset

__all__ = ["Dataset", "LoadRequest", "Provenance", "Split", "get_loader", "list_datasets", "load_dataset", "make_split"]
