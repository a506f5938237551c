"""scikit-learn's bundled datasets: digits (as 8x8 images), iris, wine and breast cancer (tables)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.datasets.dataset import Dataset, Provenance, content_sha256, tabular_dataset
from core.datasets.registry import DatasetLoader, LoadRequest, Progress, register_dataset


@register_dataset(
    "digits",
    kind="image",
    title="Digits (8x8)",
    description="1,797 real 8x8 handwritten digits bundled with scikit-learn; small and always offline.",
)
class DigitsLoader(DatasetLoader):
    def load(self, request: LoadRequest, progress: Progress) -> Dataset:
        from sklearn.datasets import load_digits

        bunch = load_digits()
        # Pixels are 0..16 intensities; scaled to 0..255 so every image dataset is uint8 alike.
        images = np.rint(bunch.images * (255 / 16)).astype(np.uint8)
        labels = bunch.target.astype(np.int64)
        classes = tuple(str(c) for c in bunch.target_names)
        provenance = Provenance(
            source="scikit-learn",
            location="sklearn.datasets.load_digits",
            sha256=content_sha256(images, labels, classes),
            rows=len(labels),
            notes=("pixel values 0..16 scaled to 0..255",),
        )
        return Dataset(self.name, "image", images, labels, classes, {"pixels": "image"}, provenance)


@dataclass
class SklearnTableLoader(DatasetLoader):
    """A bundled scikit-learn table; the class names become the target's values."""

    loader: str = ""  # name of the function in sklearn.datasets, imported on load (sklearn is slow to import)

    def load(self, request: LoadRequest, progress: Progress) -> Dataset:
        from sklearn import datasets

        bunch = getattr(datasets, self.loader)(as_frame=True)
        frame = bunch.frame.copy()
        frame["target"] = np.asarray(bunch.target_names)[bunch.target.to_numpy()]
        location = f"sklearn.datasets.{self.loader}"
        return tabular_dataset(self.name, frame, "target", {"source": "scikit-learn", "location": location})


_TABLES = {
    "iris": ("Iris", "150 flowers, 4 measurements, 3 species.", "load_iris"),
    "wine": ("Wine", "178 wines, 13 chemical measurements, 3 cultivars.", "load_wine"),
    "breast-cancer": (
        "Breast cancer (Wisconsin)",
        "569 tumours, 30 features, benign or malignant.",
        "load_breast_cancer",
    ),
}
for _name, (_title, _description, _loader) in _TABLES.items():
    register_dataset(_name, kind="tabular", title=_title, description=_description, loader=_loader)(SklearnTableLoader)
