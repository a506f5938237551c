"""Issue 12: the NumPy engine's epoch time against PyTorch's on the same network and settings, in one run of
one script. Targets: numpy-mlp (784-128-128-128-10, batch 64, Adam, float32) at most 2x the torch mlp's epoch;
numpy-cnn (LeNet-5 sized) at most 5x the torch lenet (modern variant, the same layers) epoch.

Every run goes through the real run path (`python -m core train fashion-mnist ...`, all 54,000 training images)
and the epoch time is the Trainer's own (history.json "seconds": the training loop, without validation). Each
pair runs `--rounds` times, torch and NumPy alternating, and the ratio is taken of the medians over every epoch
of every round, so that the machine's load moves both sides alike. Both sides train in float32 with mixed
precision off (on a CPU with bfloat16, torch's "auto" would train in bfloat16, a different computation; that
figure is printed too) and without histograms or TensorBoard files.
Run: python bench/bench_numpy_speed.py [--epochs 3] [--rounds 2] [--json]   (needs dataset-fashion-mnist; ~5 minutes)
"""

import argparse
import json
import statistics
from pathlib import Path

from _cli import machine, run_cli_timed, scratch_home
from record import Result, print_json_if_asked
from targets import TARGETS

COMMON = ("--optimizer", "adam", "--batch-size", "64", "--histograms", "false", "--tensorboard", "false")
PAIRS = {
    "mlp": (("numpy-mlp", "mlp"), ("--param", "hidden=128,128,128", "--param", "activation=relu"), "numpy-mlp-speed"),
    "cnn": (("numpy-cnn", "lenet"), (), "numpy-cnn-speed"),
}
TORCH_EXTRA = {"lenet": ("--param", "variant=modern")}


def epoch_seconds(home: str, model: str, params: tuple, epochs: int, amp: str = "off") -> tuple[list[float], float]:
    """Seconds of each training epoch of one run, and its test accuracy."""
    result, _ = run_cli_timed(
        "train", "fashion-mnist", "--model", model, *params, *TORCH_EXTRA.get(model, ()), *COMMON,
        "--epochs", str(epochs), "--amp", amp, env_extra={"TRAINBOARD_HOME": home},
    )  # fmt: skip
    history = json.loads((Path(home) / "runs" / result["run_id"] / "history.json").read_text())
    return [row["seconds"] for row in history], result["metrics"]["test"]["accuracy"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="end with the results as one JSON line")
    args = parser.parse_args()
    home = scratch_home()
    print(f"machine: {machine()}")
    met = True
    results = []
    for name, ((ours, theirs), params, target_id) in PAIRS.items():
        target = TARGETS[target_id].limit
        times = {ours: [], theirs: []}
        accuracy = {}
        for _ in range(args.rounds):
            for model in (theirs, ours):
                seconds, accuracy[model] = epoch_seconds(home, model, params, args.epochs)
                times[model] += seconds
        numpy_s, torch_s = statistics.median(times[ours]), statistics.median(times[theirs])
        ratio = numpy_s / torch_s
        met &= ratio <= target
        print(
            f"{name}: {ours} {numpy_s:.2f} s/epoch (test acc {accuracy[ours]:.4f}), {theirs} {torch_s:.2f} s/epoch "
            f"(test acc {accuracy[theirs]:.4f}); ratio {ratio:.2f}x (target at most {target:g}x); "
            f"epochs: {ours} {[round(s, 2) for s in times[ours]]}, {theirs} {[round(s, 2) for s in times[theirs]]}"
        )
        auto, _ = epoch_seconds(home, theirs, params, args.epochs, amp="auto")
        auto_s = statistics.median(auto)
        print(f"  for the record: {theirs} with amp auto (bfloat16 where the CPU has it) {auto_s:.2f} s/epoch")
        detail = (
            f"{ours} {numpy_s:.2f} s/epoch, {theirs} {torch_s:.2f} (float32, medians of {args.rounds} x "
            f"{args.epochs} epochs); test acc {accuracy[ours]:.4f} / {accuracy[theirs]:.4f}"
        )
        results.append(Result(TARGETS[target_id], ratio, detail))
    print("targets met" if met else "target NOT met")
    print_json_if_asked("numpy_speed", results)


if __name__ == "__main__":
    main()
