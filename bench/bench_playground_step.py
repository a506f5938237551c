"""Issue 13: one Playground frame on this CPU, that is one training step (an epoch: every training point once, in
batches) plus the redraw of everything the page shows while playing, for the default network (2 features, two
hidden layers of 4, batch 10, 500 points). Target: under 100 ms.

A frame is what app_pages/playground.py's live view does: Playground.step(1); the plane at 50 x 50 for the
output and at 16 x 16 for every neuron; the output picture (the points layer is drawn once per data, as on the
page), the network diagram and the loss picture as PNGs. The largest network the page allows (every input, six
layers of eight) is timed too. The median and the 95th percentile of `--frames` frames are reported, and each
against the 100 ms budget as a ratio.
Run: python bench/bench_playground_step.py [--frames 300] [--json]   (a few seconds)
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _cli import machine  # noqa: E402
from record import Result, print_json_if_asked  # noqa: E402
from targets import TARGETS  # noqa: E402

from core.playground.features import FEATURES  # noqa: E402
from core.playground.session import Playground  # noqa: E402
from core.playground.setup import Setup  # noqa: E402
from core.plots.playground_pictures import loss_png, network_png, points_layer, surface_png  # noqa: E402

TARGET = TARGETS["playground-frame"]
BUDGET_MS = TARGET.limit
SETUPS = {
    "default: x1, x2; 4-4 tanh; batch 10": Setup(),
    "largest: 7 inputs; 8-8-8-8-8-8 tanh; batch 10": Setup(
        features=tuple(FEATURES), hidden=(8,) * 6, activations=("tanh",) * 6
    ),
}


def frame_ms(playground: Playground, layer) -> float:
    start = time.perf_counter()
    playground.step(1)
    big, small = playground.surface(50), playground.surface(16)
    titles = ["input"] + [f"layer {n}" for n in range(1, len(playground.setup.hidden) + 1)] + ["output"]
    labels = [FEATURES[name].plain for name in playground.setup.features]
    network_png(labels, small.features, small.neurons, small.output, playground.weights(), titles)
    surface_png(big.output, layer)
    loss_png(playground.history)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--json", action="store_true", help="end with the default network's result as one JSON line")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    met = True
    results = []
    for name, setup in SETUPS.items():
        playground = Playground(setup)
        surface = playground.surface(50)
        data = playground.data
        layer = points_layer(surface.xs, surface.ys, (data.train_points, data.train_labels))
        for _ in range(10):  # warm up: first calls load fonts, allocate buffers
            frame_ms(playground, layer)
        times = sorted(frame_ms(playground, layer) for _ in range(args.frames))
        median, p95 = statistics.median(times), times[int(0.95 * len(times)) - 1]
        verdict = "met" if median < BUDGET_MS else "NOT met"
        met &= median < BUDGET_MS or not name.startswith("default")
        print(
            f"{name}: median {median:.1f} ms ({median / BUDGET_MS:.2f}x budget), p95 {p95:.1f} ms -> {verdict}; "
            f"after {playground.epoch} epochs test loss {playground.history[-1][2]:.3f}"
        )
        if name.startswith("default"):  # the target's network; the largest one is a record
            results.append(Result(TARGET, median, f"p95 {p95:.1f} ms over {args.frames} frames"))
        else:
            results = [Result(r.target, r.measured, f"{r.detail}; largest network {median:.1f} ms") for r in results]
    print_json_if_asked("playground_step", results)
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
