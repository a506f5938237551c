"""Issue 5: training throughput of our Trainer against the plain DataLoader loop the reference study used,
in one run of one script: the same LeNet (classic, as published), batch size 256, SGD lr 0.9, the same
Fashion-MNIST training images, the same number of epochs. Target: at least 2x the examples per second.

The baseline is the reference study's loop (d2l's load_data_fashion_mnist): torchvision's FashionMNIST, whose
__getitem__ makes a PIL image of one uint8 array and applies ToTensor, fed through a DataLoader that collates
batches. torchvision is not a dependency, so its two steps are reproduced here line for line. A second
baseline skips PIL (numpy straight to a tensor), the cheapest a per-sample Dataset can be. Both are measured
with 0 worker processes and with 2 (the study used 4 on a bigger machine; this one has 2 cores).
Run: python bench/bench_torch_throughput.py [--images N] [--epochs E]   (needs dataset-fashion-mnist)
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace

from _cli import REPO, machine

sys.path.insert(0, str(REPO))
os.environ["TRAINBOARD_HOME"] = tempfile.mkdtemp(prefix="trainboard-bench-")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402
from torch import nn  # noqa: E402
from torch.utils.data import DataLoader, Dataset  # noqa: E402

from core.datasets import LoadRequest, load_dataset  # noqa: E402
from core.models import create_model  # noqa: E402
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


def trainer_loop(images, labels, epochs: int) -> tuple[float, bool]:
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
    return len(labels) * epochs / (time.perf_counter() - started), trainer.channels_last


BASELINES = {
    "torchvision-style (PIL + ToTensor)": TorchvisionStyleImages,
    "numpy per sample, no PIL": PerSampleImages,
}
WORKERS = (0, 2, 4)  # 4: the reference study's setting (d2l's get_dataloader_workers)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=60_000)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3, help="alternating measurements; medians are reported")
    args = parser.parse_args()
    dataset = load_dataset(LoadRequest("fashion-mnist"))
    images, labels = dataset.features[: args.images], dataset.target[: args.images]
    print(f"machine: {machine()}, torch {torch.__version__}, {torch.get_num_threads()} threads")
    print(
        f"LeNet-5 classic, batch 256, SGD lr 0.9, {len(labels):,} images x {args.epochs} epochs, "
        f"median of {args.repeats}"
    )
    # Alternating, so a slow spell of this shared machine hits every loop alike.
    rates: dict[str, list[float]] = {}
    for _ in range(args.repeats):
        ours, channels_last = trainer_loop(images, labels, args.epochs)
        rates.setdefault(f"Trainer (pre-loaded tensors, channels_last={channels_last})", []).append(ours)
        for title, dataset_class in BASELINES.items():
            for workers in WORKERS:
                rate = dataloader_loop(dataset_class(images, labels), args.epochs, workers)
                rates.setdefault(f"DataLoader, {title}, {workers} workers", []).append(rate)
    medians = {name: statistics.median(values) for name, values in rates.items()}
    ours = next(iter(medians.values()))
    for name, rate in medians.items():
        spread = f"{min(rates[name]):,.0f}-{max(rates[name]):,.0f}"
        ratio = "" if rate == ours else f"  ->  ours {ours / rate:.2f}x"
        print(f"  {name:<62} {rate:9,.0f} examples/s ({spread}){ratio}")


if __name__ == "__main__":
    main()
