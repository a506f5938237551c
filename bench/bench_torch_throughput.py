"""Issue 5: training throughput of our Trainer against the plain DataLoader loop the reference study used,
in one run of one script: the same LeNet (classic, as published), batch size 256, SGD lr 0.9, the same
Fashion-MNIST training images, the same number of epochs. Target: at least 2x the examples per second.

The baseline is the reference study's loop (d2l's load_data_fashion_mnist): torchvision's FashionMNIST, whose
__getitem__ makes a PIL image of one uint8 array and applies ToTensor, fed through a DataLoader that collates
batches. torchvision is not a dependency, so its two steps are reproduced here line for line. A second
baseline skips PIL (numpy straight to a tensor), the cheapest a per-sample Dataset can be. Both are measured
with 0, 2 and 4 worker processes (the study used 4).

Every measurement runs in a fresh Python process, so no loop inherits another's state: the Trainer sets the
C library's malloc to keep freed memory for reuse (core/training/allocator.py), which is process-wide; the
reference loops run with the allocator as it comes. Two extra rows show where the gain comes from: the
Trainer without that setting, and the reference loop with it.
Run: python bench/bench_torch_throughput.py [--images N] [--epochs E] [--repeats R] [--json]
(needs dataset-fashion-mnist; --json ends with the target's result: the ratio of medians against the reference loop)
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import replace

from _cli import REPO, machine, scratch_home
from record import Result, print_json_if_asked
from targets import TARGETS

sys.path.insert(0, str(REPO))
if "--measure" not in sys.argv:  # the measuring processes share the parent's cache folder
    os.environ["TRAINBOARD_HOME"] = scratch_home()

import numpy as np  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402
from torch import nn  # noqa: E402
from torch.utils.data import DataLoader, Dataset  # noqa: E402

from core.datasets import LoadRequest, load_dataset  # noqa: E402
from core.models import create_model  # noqa: E402
from core.training import trainer as trainer_module  # noqa: E402
from core.training.allocator import keep_freed_memory  # noqa: E402
from core.training.data import as_tensors  # noqa: E402
from core.training.options import TrainOptions  # noqa: E402
from core.training.trainer import Trainer  # noqa: E402

SHAPE = (1, 28, 28)
# Untimed batches before each measurement: the first calls of a shape build oneDNN kernels (tenths of a second),
# which would otherwise be charged to whichever loop runs first.
WARM_UP_BATCHES = 3


class PerSampleImages(Dataset):
    """One image at a time, without PIL: uint8 -> float in [0, 1], 1 x 28 x 28."""

    def __init__(self, images: np.ndarray, labels: np.ndarray):
        self.images, self.labels = images, labels

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, index: int):
        image = torch.from_numpy(self.images[index]).float().div(255).unsqueeze(0)
        return image, int(self.labels[index])


class TorchvisionStyleImages(PerSampleImages):
    """torchvision.datasets.FashionMNIST.__getitem__ with transforms.ToTensor(), reproduced: a PIL image per
    sample, then ToTensor's array -> view -> permute -> contiguous -> float -> div(255)."""

    def __getitem__(self, index: int):
        picture = Image.fromarray(self.images[index], mode="L")
        array = np.array(picture, np.uint8, copy=True)
        image = torch.from_numpy(array).view(picture.size[1], picture.size[0], 1).permute(2, 0, 1).contiguous()
        return image.float().div(255), int(self.labels[index])


def lenet() -> nn.Module:
    return create_model("lenet", {"variant": "classic"}, n_classes=10, n_features=784, n_rows=1, input_shape=SHAPE)


def dataloader_loop(dataset: Dataset, epochs: int, workers: int) -> float:
    """Examples per second of the tutorial loop."""
    model = lenet()  # the same initial weights as the Trainer's: create_model seeds the build
    optimizer = torch.optim.SGD(model.parameters(), lr=0.9)
    loss_fn = nn.CrossEntropyLoss()
    loader = DataLoader(dataset, batch_size=256, shuffle=True, num_workers=workers)
    model.train()
    for _, (X, y) in zip(range(WARM_UP_BATCHES), loader, strict=False):  # first calls set up oneDNN kernels
        loss_fn(model(X), y).backward()
    started = time.perf_counter()
    for _ in range(epochs):
        for X, y in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(X), y)
            loss.backward()
            optimizer.step()
    return len(dataset) * epochs / (time.perf_counter() - started)


def trainer_loop(images, labels, epochs: int) -> float:
    """Examples per second of our Trainer (no validation, no callbacks: the same work as the tutorial loop)."""
    # float32 like the baseline: the comparison is about the loop, not the arithmetic.
    options = TrainOptions(
        epochs=epochs, batch_size=256, optimizer="sgd", lr=0.9, amp="off", histograms=False, tensorboard=False
    )
    device = torch.device("cpu")
    trainer = Trainer(lenet(), options, classes=tuple(map(str, range(10))), device=device)
    pixels = images.reshape(len(images), -1).astype(np.float32) / 255
    X, y = as_tensors(pixels, labels, SHAPE, device, channels_last=trainer.channels_last)
    warm = Trainer(lenet(), replace(options, epochs=1), classes=trainer.classes, device=device)
    warm.fit(X[: 256 * WARM_UP_BATCHES], y[: 256 * WARM_UP_BATCHES])  # the same untimed warm-up as the baseline
    started = time.perf_counter()
    trainer.fit(X, y)
    assert trainer.channels_last, "the Trainer's row says channels-last"
    return len(labels) * epochs / (time.perf_counter() - started)


BASELINES = {
    "torchvision-style (PIL + ToTensor)": TorchvisionStyleImages,
    "numpy per sample, no PIL": PerSampleImages,
}
WORKERS = (0, 2, 4)  # 4: the reference study's setting (d2l's get_dataloader_workers)
TRAINER = "Trainer (pre-loaded tensors, channels-last, freed memory kept)"
REFERENCE = f"DataLoader, {next(iter(BASELINES))}, 4 workers"  # the reference study's loop: the target's
CHEAPEST = f"DataLoader, {list(BASELINES)[1]}, 0 workers"


def measurements() -> dict[str, dict]:
    """Every loop to time, by the name printed for it: what runs and whether malloc keeps freed memory."""
    loops = {TRAINER: {"loop": "trainer", "keep_freed_memory": True}}
    for title in BASELINES:
        for workers in WORKERS:
            loops[f"DataLoader, {title}, {workers} workers"] = {"loop": title, "workers": workers}
    # Where the gain comes from: each side with the other's allocator setting.
    loops["  the Trainer without keeping freed memory"] = {"loop": "trainer", "keep_freed_memory": False}
    loops[f"  {REFERENCE}, freed memory kept"] = {**loops[REFERENCE], "keep_freed_memory": True}
    return loops


def measure(spec: dict, images_count: int, epochs: int) -> float:
    """Examples per second of one loop, in this process."""
    dataset = load_dataset(LoadRequest("fashion-mnist"))
    images, labels = dataset.features[:images_count], dataset.target[:images_count]
    if spec["loop"] == "trainer":
        if not spec["keep_freed_memory"]:
            trainer_module.keep_freed_memory = lambda: False  # the Trainer as it was before the setting
        return trainer_loop(images, labels, epochs)
    if spec.get("keep_freed_memory"):
        keep_freed_memory()
    return dataloader_loop(BASELINES[spec["loop"]](images, labels), epochs, spec["workers"])


def measure_in_fresh_process(spec: dict, args: argparse.Namespace) -> float:
    command = [sys.executable, __file__, "--measure", json.dumps(spec), "--images", str(args.images)]
    done = subprocess.run([*command, "--epochs", str(args.epochs)], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"bench: measuring {spec} failed: {done.stderr.strip()}")
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=60_000)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3, help="alternating measurements; medians are reported")
    parser.add_argument("--json", action="store_true", help="end with the target's result as one JSON line")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # internal: time one loop (JSON spec), print the rate
    args = parser.parse_args()
    if args.measure:
        print(measure(json.loads(args.measure), args.images, args.epochs))
        return
    print(f"machine: {machine()}, torch {torch.__version__}, {torch.get_num_threads()} threads")
    print(
        f"LeNet-5 classic, batch 256, SGD lr 0.9, {args.images:,} images x {args.epochs} epochs, "
        f"median of {args.repeats}, each measurement in a fresh process"
    )
    # Alternating, so a slow spell of this shared machine hits every loop alike.
    loops = measurements()
    rates: dict[str, list[float]] = {name: [] for name in loops}
    for _ in range(args.repeats):
        for name, spec in loops.items():
            rates[name].append(measure_in_fresh_process(spec, args))
    medians = {name: statistics.median(values) for name, values in rates.items()}
    ours = medians[TRAINER]
    print(f"  {'loop':<78} {'examples/s: median (range)':>28}   ours vs it: ratio of medians; paired median (range)")
    for name, rate in medians.items():
        spread = f"{min(rates[name]):,.0f}-{max(rates[name]):,.0f}"
        ratio = "" if name == TRAINER else f"   {ours / rate:.2f}x; {paired_ratios(rates[TRAINER], rates[name])}"
        print(f"  {name:<78} {rate:9,.0f} ({spread:>15}){ratio}")
    detail = (
        f"Trainer {ours:,.0f} examples/s, reference {medians[REFERENCE]:,.0f} (median of {args.repeats}); paired "
        f"{paired_ratios(rates[TRAINER], rates[REFERENCE])}; against the cheapest loop {ours / medians[CHEAPEST]:.2f}x"
    )
    print_json_if_asked("torch_throughput", [Result(TARGETS["trainer-throughput"], ours / medians[REFERENCE], detail)])


def paired_ratios(ours: list[float], theirs: list[float]) -> str:
    """Ours over theirs repeat by repeat (measured a minute apart, so a slow spell of the machine cancels out)."""
    ratios = [a / b for a, b in zip(ours, theirs, strict=True)]
    return f"{statistics.median(ratios):.2f}x ({min(ratios):.2f}-{max(ratios):.2f})"


if __name__ == "__main__":
    main()
