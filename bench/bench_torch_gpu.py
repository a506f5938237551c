"""Issue 5, on a GPU machine: training examples per second of lenet, alexnet28 and resnet18 on Fashion-MNIST
with and without mixed precision (the dataset resident on the GPU, as the Trainer keeps it). On a machine
without CUDA it measures the CPU instead (bfloat16 where the CPU has it), so the script itself stays tested; with
--json (the runner's way) it measures only on CUDA and otherwise reports the target as not run.
Run: python bench/bench_torch_gpu.py [--images N] [--epochs E] [--json]
"""

import argparse
import os
import sys
import time

from _cli import REPO, machine, scratch_home
from record import Result, not_run, print_json_if_asked
from targets import TARGETS

sys.path.insert(0, str(REPO))
os.environ["TRAINBOARD_HOME"] = scratch_home()

import numpy as np  # noqa: E402
import torch  # noqa: E402

from core.datasets import LoadRequest, load_dataset  # noqa: E402
from core.errors import TrainboardError  # noqa: E402
from core.models import create_model  # noqa: E402
from core.training.data import as_tensors  # noqa: E402
from core.training.devices import describe_device, mixed_precision_dtype, resolve_device  # noqa: E402
from core.training.options import TrainOptions  # noqa: E402
from core.training.trainer import Trainer  # noqa: E402

SHAPE = (1, 28, 28)
MODELS = {"lenet": 256, "alexnet28": 128, "resnet18": 256}  # batch sizes of the reference study's settings
TARGET = TARGETS["gpu-throughput"]


def examples_per_second(model: str, batch: int, amp: str, X, y, epochs: int, device) -> float:
    network = create_model(model, n_classes=10, n_features=784, n_rows=len(y), input_shape=SHAPE)
    options = TrainOptions(
        epochs=epochs, batch_size=batch, optimizer="sgd", lr=0.01, amp=amp, histograms=False, tensorboard=False
    )
    trainer = Trainer(network, options, classes=tuple(map(str, range(10))), device=device)
    trainer.fit(X[: batch * 2], y[: batch * 2])  # warm-up: kernels chosen, memory pools filled
    trainer.epochs = epochs
    if device.type == "cuda":
        torch.cuda.synchronize()
    started = time.perf_counter()
    trainer.fit(X, y)
    if device.type == "cuda":
        torch.cuda.synchronize()
    return len(y) * epochs / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=60_000)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="CUDA only: end with the result as one JSON line")
    args = parser.parse_args()
    device = resolve_device("auto")
    if args.json and device.type != "cuda":  # a CPU figure is not what the issue asks for
        print(f"machine: {machine()}: no CUDA GPU, not measured")
        print_json_if_asked("torch_gpu", [not_run(TARGET, "no CUDA GPU")])
        return
    dataset = load_dataset(LoadRequest("fashion-mnist"))
    images = dataset.features[: args.images].reshape(args.images, -1).astype(np.float32) / 255
    X, y = as_tensors(images, dataset.target[: args.images], SHAPE, device)
    print(f"machine: {machine()}, device {describe_device(device)}, torch {torch.__version__}")
    try:
        mixed_precision_dtype(device, "on")
        amp_modes = ("off", "on")
    except TrainboardError:  # a CPU without bfloat16: float32 only
        amp_modes = ("off",)
    rates = {}
    for model, batch in MODELS.items():
        for amp in amp_modes:
            rate = rates[model, amp] = examples_per_second(model, batch, amp, X, y, args.epochs, device)
            print(f"  {model:<10} batch {batch:<4} mixed precision {amp:<3}: {rate:10,.0f} examples/s", flush=True)
    detail = f"{describe_device(device)}; " + ", ".join(f"{m} amp {a} {r:,.0f}" for (m, a), r in rates.items())
    print_json_if_asked("torch_gpu", [Result(TARGET, rates["lenet", amp_modes[-1]], detail)])


if __name__ == "__main__":
    main()
