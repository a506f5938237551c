"""Figures about the network and its mistakes, on small hand-made analyses and random images."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from core.plots import analysis_figure, misclassified_figure


def _is_empty(figure: go.Figure) -> bool:
    return len(figure.data) == 0 and "nothing yet" in figure.layout.title.text


@pytest.mark.parametrize("shape", [(3, 6, 5), (3, 6, 5, 3), (3, 6, 5, 1)])
def test_misclassified_one_annotation_per_image_with_its_labels(shape):
    images = np.random.default_rng(0).integers(0, 256, shape, dtype=np.uint8)
    figure = misclassified_figure(images, ["3", "7", "1"], ["8", "1", "7"], [0.93, 0.5, 0.61], columns=2)
    texts = [a.text for a in figure.layout.annotations]
    assert len(texts) == 3
    assert texts[0] == "true 3<br>predicted 8 (93%)"
    assert all(f"true {t}" in text and f"predicted {p}" in text for t, p, text in zip("371", "817", texts, strict=True))
    z = np.asarray(figure.data[0].z, dtype=float)
    band = round(figure.layout.annotations[0].y + 0.5)  # the first label sits on the first image's top edge
    tile = z[: shape[1] + band, :5]  # first tile: the label band, then the image
    np.testing.assert_array_equal(tile[band:].reshape(images[0].shape), images[0].astype(float))


def test_misclassified_labels_never_run_into_their_neighbours():
    """Seen: eight columns of 'predicted Ankle boot (93%)' overlapping each other on Fashion-MNIST."""
    from core.plots.network import LABEL_CHAR_PX, PAGE_PX

    images = np.zeros((16, 28, 28), dtype=np.uint8)
    predicted = ["Ankle boot", "T-shirt/top"] * 8
    figure = misclassified_figure(images, ["Sneaker"] * 16, predicted, [0.93] * 16)
    centres = sorted({a.x for a in figure.layout.annotations})
    screen_px_per_unit = PAGE_PX / (len(centres) * (centres[1] - centres[0]))  # one cell's width, in screen px
    label_px = LABEL_CHAR_PX * len("predicted T-shirt/top (93%)")
    assert (centres[1] - centres[0]) * screen_px_per_unit > label_px
    short = misclassified_figure(images, ["1"] * 16, ["7"] * 16, [0.9] * 16)
    assert len({a.x for a in short.layout.annotations}) > len(centres)  # short labels leave room for more columns


def test_misclassified_empty_and_many_images():
    empty = misclassified_figure(np.zeros((0, 28, 28)), [], [], [])
    assert "No misclassified images" in empty.layout.annotations[0].text
    images = np.zeros((64, 28, 28), dtype=np.uint8)
    figure = misclassified_figure(images, ["a"] * 64, ["b"] * 64, [])  # no confidences: labels only
    assert len(figure.layout.annotations) == 64 and figure.layout.annotations[0].text == "true a<br>predicted b"


def test_analysis_shares_sum_to_100_in_network_order():
    analysis = {
        "layers": [
            {"name": "conv1", "kind": "Conv2d", "macs": 300, "activation_bytes": 600},
            {"name": "relu", "kind": "ReLU", "macs": 0, "activation_bytes": 300},
            {"name": "fc", "kind": "Linear", "macs": 100, "activation_bytes": None},
        ],
        "total_params": 10,
    }
    figure = analysis_figure(analysis)
    memory, compute = figure.data
    assert list(memory.x) == ["1. conv1 (Conv2d)", "2. relu (ReLU)", "3. fc (Linear)"]
    assert list(memory.y) == pytest.approx([200 / 3, 100 / 3, 0]) and sum(memory.y) == pytest.approx(100)
    assert list(compute.y) == pytest.approx([75, 0, 25])
    assert figure.layout.barmode == "group"
    assert _is_empty(analysis_figure({}))
    assert _is_empty(analysis_figure({"layers": [{"name": "x"}]}))
