"""The Playground's pictures: PNGs in the Playground's colours, laid out by the network's shape."""

import io

import numpy as np
from PIL import Image

from core.plots.playground import convergence_figure, cost_curves_figure
from core.plots.playground_pictures import (
    NEGATIVE,
    POSITIVE,
    ZERO,
    colour_image,
    loss_png,
    network_png,
    points_layer,
    surface_png,
)


def decode(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def rgb(colour: str) -> list[int]:
    return [int(colour[i : i + 2], 16) for i in (1, 3, 5)]


def test_the_colour_scale_runs_orange_white_blue_and_puts_row_zero_at_the_bottom():
    image = colour_image(np.array([[-1.0, 0.0, 1.0], [2.0, np.nan, -0.5]]))
    assert image[1].tolist()[:3] == [rgb(NEGATIVE), rgb(ZERO), rgb(POSITIVE)]  # row 0 of z is drawn last
    assert image[0, 0].tolist() == rgb(POSITIVE) and image[0, 1].tolist() == rgb(ZERO)


def test_the_surface_is_the_output_with_the_points_on_top():
    xs = ys = np.linspace(-6, 6, 20)
    output = np.tile(np.where(xs < 0, -1.0, 1.0), (20, 1))  # negative on the left half
    train = (np.array([[-3.0, 0.0], [3.0, 0.0]]), np.array([1.0, -1.0]))
    layer = points_layer(xs, ys, train)
    picture = decode(surface_png(output, layer))
    assert picture.shape[:2] == (layer.height, layer.width)
    left, right = picture[60, 80].astype(int), picture[60, 330].astype(int)
    assert left[0] > left[2] and right[2] > right[0], "orange on the left, blue on the right"
    # The train point at (-3, 0) is blue on the orange side.
    x, y = 28 + (3 / 12) * 359, 8 + 0.5 * 359
    point = picture[int(round(y)), int(round(x))].astype(int)
    assert point[2] > point[0]


def test_the_diagram_grows_with_the_network():
    r = 8
    small = decode(
        network_png(
            ["x1", "x2"],
            np.zeros((2, r, r)),
            [np.zeros((3, r, r))],
            np.zeros((r, r)),
            [np.ones((2, 3)), -np.ones((3, 1))],
            ["input", "layer 1", "output"],
        )
    )
    big = decode(
        network_png(
            ["x1", "x2"],
            np.zeros((2, r, r)),
            [np.zeros((8, r, r)), np.zeros((4, r, r))],
            np.zeros((r, r)),
            [np.ones((2, 8)), np.ones((8, 4)), np.full((4, 1), np.nan)],
            ["input", "layer 1", "layer 2", "output"],
        )
    )
    assert big.shape[0] > small.shape[0] and big.shape[1] > small.shape[1]
    pixels = small.astype(int)
    blue = (pixels[..., 2] > pixels[..., 0] + 80).sum()
    orange = (pixels[..., 0] > pixels[..., 2] + 80).sum()
    assert blue > 50 and orange > 50, "positive links blue, negative orange (nodes of 0 are grey)"
    no_negative = decode(
        network_png(
            ["x1", "x2"],
            np.zeros((2, r, r)),
            [np.zeros((3, r, r))],
            np.zeros((r, r)),
            [np.ones((2, 3)), np.ones((3, 1))],
            ["input", "layer 1", "output"],
        )
    )
    no_negative = no_negative.astype(int)
    assert (no_negative[..., 0] > no_negative[..., 2] + 80).sum() == 0


def test_the_loss_picture_and_the_exercise_charts():
    history = [(0, 0.5, 0.6), (1, 0.3, 0.4), (2, float("nan"), float("inf"))]
    assert decode(loss_png(history)).shape == (130, 388, 3)
    figure = cost_curves_figure([("a", [0.3, 0.2, 0.05], 3), ("b", [0.3, 0.25, 0.2], None)], 0.09, "AND")
    assert [trace.name for trace in figure.data] == ["a", "a: below 0.09 at epoch 3", "b"]
    losses = np.array([0.05, 0.1, np.nan, 0.3])
    figure = convergence_figure(losses, 0.177, 200, 0.5)
    assert "4 seeds: 50% reach 0.177; 1 diverged" in figure.layout.title.text
