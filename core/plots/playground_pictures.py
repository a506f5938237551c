"""The Playground's two live pictures, drawn as PNG images with Pillow: the output over the plane with the
points, and the network diagram (each neuron a small picture of what it computes, links coloured and sized
by weight), in TensorFlow Playground's colours.

Pictures, not plotly figures, because they are redrawn up to ten or more times a second while playing: a
browser swaps an image in a millisecond, where re-rendering a chart with hundreds of markers and links takes
it tens (measured: a plotly diagram and surface held Play to about 4 updates a second; bench/RESULTS.md).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFont

NEGATIVE, POSITIVE, ZERO = "#f59322", "#0877bd", "#e8eaeb"
INK, GRID = (60, 60, 60), (200, 200, 200)
PALE = 0.45  # how far the output plane is blended towards white
LINK_WIDTHS = (1, 2, 4, 6)  # pixels, for weights up to 1/4, 1/2, 3/4 and all of the largest
NODE, COLUMN_GAP, ROW_GAP = 34, 112, 42  # pixels
LEFT, TOP = 64, 26  # room for the input names and the column titles


def _hex(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.float64)


def colour_image(z: np.ndarray, top: float = 1.0) -> np.ndarray:
    """z (rows x columns, row 0 at the bottom of the plane) as RGB (row 0 at the top) on the orange-white-blue
    scale over [-top, top]; NaN (a diverged network) shows as 0."""
    t = np.clip(np.nan_to_num(np.asarray(z, dtype=np.float64) / top), -1, 1)[::-1, :, None]
    ends = np.where(t < 0, _hex(NEGATIVE), _hex(POSITIVE))
    return (_hex(ZERO) + (ends - _hex(ZERO)) * np.abs(t)).astype(np.uint8)


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)  # Pillow's own scalable font: the same on every machine


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)  # speed over a few kilobytes
    return buffer.getvalue()


SURFACE_SIZE, SURFACE_MARGIN, SURFACE_TOP = 360, 28, 8  # pixels: the plane, room for tick labels, room above


def _pixels(points: np.ndarray, xs: np.ndarray, ys: np.ndarray, size: int) -> np.ndarray:
    px = SURFACE_MARGIN + (points[:, 0] - xs[0]) / (xs[-1] - xs[0]) * (size - 1)
    py = SURFACE_TOP + (1 - (points[:, 1] - ys[0]) / (ys[-1] - ys[0])) * (size - 1)
    return np.c_[px, py]


def points_layer(
    xs: np.ndarray,
    ys: np.ndarray,
    train: tuple[np.ndarray, np.ndarray],
    test: tuple[np.ndarray, np.ndarray] | None = None,
    size: int = SURFACE_SIZE,
) -> Image.Image:
    """What lies on top of the output plane and does not change while it learns: the train points with a white
    rim, the test points (when given) with a black one, each filled by its label's colour, and the axis ticks
    (every 2 units). Transparent elsewhere; draw it once per data, lay it on every frame."""
    layer = Image.new("RGBA", (size + SURFACE_MARGIN + 10, SURFACE_TOP + size + SURFACE_MARGIN), (255, 255, 255, 0))
    draw = ImageDraw.Draw(layer)
    for part, rim in ((train, "white"), (test, "black")):
        if part is None:
            continue
        points, labels = part
        fills = colour_image(np.clip(labels, -1, 1)[None, :])[0]
        for (px, py), fill in zip(_pixels(points, xs, ys, size), fills, strict=True):
            draw.ellipse((px - 3.5, py - 3.5, px + 3.5, py + 3.5), fill=tuple(fill), outline=rim, width=1)
    font = _font(11)
    for tick in range(int(np.ceil(xs[0] / 2) * 2), int(xs[-1]) + 1, 2):
        x = _pixels(np.array([[tick, ys[0]]]), xs, ys, size)[0, 0]
        draw.text((x, SURFACE_TOP + size + 4), str(tick), fill=INK, font=font, anchor="mt")
    for tick in range(int(np.ceil(ys[0] / 2) * 2), int(ys[-1]) + 1, 2):
        y = _pixels(np.array([[xs[0], tick]]), xs, ys, size)[0, 1]
        draw.text((SURFACE_MARGIN - 4, y), str(tick), fill=INK, font=font, anchor="rm")
    return layer


def surface_png(output: np.ndarray, layer: Image.Image, *, discretize: bool = False) -> bytes:
    """The output (rows follow the plane's y, upwards) over the plane, its sign with `discretize`, paler than the
    points so that a point on its own side still shows; `layer` (points_layer) on top."""
    size = layer.height - SURFACE_MARGIN - SURFACE_TOP
    z = np.sign(output) if discretize else np.clip(output, -1, 1)
    pale = (colour_image(z) * (1 - PALE) + 255 * PALE).astype(np.uint8)
    plane = Image.fromarray(pale).resize((size, size), Image.NEAREST if discretize else Image.BILINEAR)
    image = Image.new("RGB", layer.size, "white")
    image.paste(plane, (SURFACE_MARGIN, SURFACE_TOP))
    image.paste(layer, (0, 0), layer)
    return _png(image)


def network_png(
    feature_labels: Sequence[str],
    feature_maps: np.ndarray,
    neuron_maps: Sequence[np.ndarray],
    output_map: np.ndarray,
    weights: Sequence[np.ndarray],
    column_titles: Sequence[str],
) -> bytes:
    """The network from inputs to output. `feature_maps` (features x r x r), `neuron_maps` (one array per hidden
    layer: neurons x r x r) and `output_map` (r x r) are what each node computes over the plane, each drawn on
    the scale [-1, 1] (or its own largest size, when bigger); `weights[k]` (inputs x neurons) are the links into
    column k + 1: blue positive, orange negative, wider for larger (relative to the largest weight)."""
    maps = [list(feature_maps), *[list(m) for m in neuron_maps], [output_map]]
    tallest = max(len(column) for column in maps)
    width = LEFT + (len(maps) - 1) * COLUMN_GAP + NODE + 12
    height = TOP + tallest * ROW_GAP + 4
    centres = [
        [
            (LEFT + c * COLUMN_GAP + NODE / 2, TOP + (tallest - len(column)) * ROW_GAP / 2 + r * ROW_GAP + NODE / 2)
            for r in range(len(column))
        ]
        for c, column in enumerate(maps)
    ]
    image = Image.new("RGB", (width, height), "white")
    links = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw_links = ImageDraw.Draw(links)
    finite = [np.abs(w[np.isfinite(w)]) for w in weights]
    largest = max((float(f.max()) for f in finite if f.size), default=1.0) or 1.0
    for k, matrix in enumerate(weights):
        for i, (x0, y0) in enumerate(centres[k]):
            for j, (x1, y1) in enumerate(centres[k + 1]):
                w = float(matrix[i, j])
                if not np.isfinite(w):
                    continue
                width_px = LINK_WIDTHS[min(int(abs(w) / largest * len(LINK_WIDTHS)), len(LINK_WIDTHS) - 1)]
                colour = tuple(int(v) for v in _hex(POSITIVE if w >= 0 else NEGATIVE)) + (200,)
                draw_links.line((x0 + NODE / 2, y0, x1 - NODE / 2, y1), fill=colour, width=width_px)
    image.paste(links, (0, 0), links)
    draw = ImageDraw.Draw(image)
    font = _font(12)
    for c, (column, column_centres) in enumerate(zip(maps, centres, strict=True)):
        draw.text((column_centres[0][0], 4), column_titles[c], fill=INK, font=font, anchor="mt")
        for r, (z, (x, y)) in enumerate(zip(column, column_centres, strict=True)):
            values = np.abs(z[np.isfinite(z)])
            top = max(1.0, float(values.max()) if values.size else 1.0)
            picture = Image.fromarray(colour_image(z, top)).resize((NODE, NODE), Image.BILINEAR)
            image.paste(picture, (int(x - NODE / 2), int(y - NODE / 2)))
            draw.rectangle((x - NODE / 2 - 1, y - NODE / 2 - 1, x + NODE / 2, y + NODE / 2), outline=GRID)
            if c == 0:
                draw.text((x - NODE / 2 - 6, y), feature_labels[r], fill=INK, font=font, anchor="rm")
    return _png(image)


def loss_png(history: Sequence[tuple[int, float, float]], width: int = 388, height: int = 130) -> bytes:
    """Train (dark) and test (grey) loss per epoch, from epoch 0, on a scale from 0 to the largest finite loss;
    the latest values written on top, as in the Playground."""
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = _font(12)
    left, top, right, bottom = 34, 22, width - 8, height - 18
    epochs = np.array([row[0] for row in history], dtype=np.float64)
    series = np.array([[row[1], row[2]] for row in history], dtype=np.float64)
    finite = series[np.isfinite(series)]
    highest = float(finite.max()) if finite.size else 1.0
    highest = highest if highest > 0 else 1.0
    draw.line((left, bottom, right, bottom), fill=GRID)
    draw.text((left - 4, top), f"{highest:.2g}", fill=INK, font=font, anchor="rm")
    draw.text((left - 4, bottom), "0", fill=INK, font=font, anchor="rm")
    last = max(float(epochs[-1]), 1.0)
    draw.text((right, bottom + 3), f"epoch {int(epochs[-1]):,}", fill=INK, font=font, anchor="ra")
    for column, colour in ((1, (170, 170, 170)), (0, INK)):  # test under train
        values = np.nan_to_num(series[:, column], nan=highest, posinf=highest)
        xs = left + epochs / last * (right - left)
        ys = bottom - np.clip(values / highest, 0, 1) * (bottom - top)
        if len(xs) > 1:
            draw.line(list(zip(xs.tolist(), ys.tolist(), strict=True)), fill=colour, width=2)
    train_loss, test_loss = series[-1]
    draw.text((left, 3), f"Test loss {test_loss:.3f}", fill=(130, 130, 130), font=font)
    draw.text((left + 150, 3), f"Training loss {train_loss:.3f}", fill=INK, font=font)
    return _png(image)
