"""Issue 12: numpy-mlp with the reference study's kind of configuration (3 hidden layers of 128, ReLU, Adam or
Nadam, batch 64, 10 epochs) reaches at least 0.88 Fashion-MNIST test accuracy, through the real run path
(`python -m core train fashion-mnist --model numpy-mlp ...`); the test set is the official 10,000 images.
Run: python bench/bench_numpy_accuracy.py [--optimizer adam|nadam] [--init xavier_uniform] [--json]
(needs dataset-fashion-mnist; ~2 minutes per optimizer)
"""

import argparse

from _cli import machine, run_cli_timed, scratch_home
from record import Result, print_json_if_asked
from targets import TARGETS

TARGET = TARGETS["numpy-mlp-accuracy"]
TARGET_ACCURACY = TARGET.limit


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--optimizer", action="append", help="adam and/or nadam (default: both)")
    parser.add_argument("--init", default="xavier_uniform")
    parser.add_argument("--seed", default="0")
    parser.add_argument(
        "--json", action="store_true", help="end with the result (the lowest accuracy) as one JSON line"
    )
    args = parser.parse_args()
    home = scratch_home()
    print(f"machine: {machine()}")
    met = True
    accuracies = {}
    for optimizer in args.optimizer or ["adam", "nadam"]:
        result, wall = run_cli_timed(
            "train", "fashion-mnist", "--model", "numpy-mlp", "--param", "hidden=128,128,128",
            "--param", "activation=relu", "--optimizer", optimizer, "--lr", "0.001", "--batch-size", "64",
            "--epochs", "10", "--init", args.init, "--seed", args.seed, env_extra={"TRAINBOARD_HOME": home},
        )  # fmt: skip
        test, timings = result["metrics"]["test"], result["timings"]
        accuracies[optimizer] = test["accuracy"]
        met &= test["accuracy"] >= TARGET_ACCURACY
        print(
            f"numpy-mlp 784-128-128-128-10, {optimizer}, lr 0.001, batch 64, 10 epochs, init {args.init}: "
            f"test accuracy {test['accuracy']:.4f} (target {TARGET_ACCURACY}), macro F1 {test['f1_macro']:.4f}; "
            f"training {timings['fit_seconds']:.0f} s, wall {wall:.0f} s"
        )
    print("target met" if met else "target NOT met")
    detail = (
        ", ".join(f"{name} {value:.4f}" for name, value in accuracies.items()) + f" (seed {args.seed}, {args.init})"
    )
    print_json_if_asked("numpy_accuracy", [Result(TARGET, min(accuracies.values()), detail)])


if __name__ == "__main__":
    main()
