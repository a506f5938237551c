"""Issue 5: a preset reaches at least 93.0% Fashion-MNIST test accuracy within 10 minutes of wall time on this
machine, through the real run path (`python -m core train fashion-mnist --preset P`): the wall time includes
Python start-up, loading, preprocessing, training with validation every epoch, and the final evaluation.
Reference figures: the study's LeNet 84.0%, its ResNet-18 92.6% (GPU, 96x96); published 2-conv + 3-dense 93.2%.
Run: python bench/bench_torch_accuracy.py [--preset fashion-93]   (needs dataset-fashion-mnist; ~10 minutes)
"""

import argparse
import os
import tempfile

from _cli import machine, run_cli_timed

TARGET_ACCURACY, TARGET_SECONDS = 0.930, 600


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--preset", default="fashion-93")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="trainboard-bench-")
    result, wall = run_cli_timed("train", "fashion-mnist", "--preset", args.preset, env_extra={"TRAINBOARD_HOME": home})
    test = result["metrics"]["test"]
    timings = result["timings"]
    print(f"machine: {machine()}")
    print(
        f"preset {args.preset}: test accuracy {test['accuracy']:.4f} (target {TARGET_ACCURACY}), "
        f"macro F1 {test['f1_macro']:.4f}; wall {wall:.0f} s (target {TARGET_SECONDS}), "
        f"training {timings['fit_seconds']:.0f} s over {timings['epochs_run']} epochs, "
        f"{timings['train_examples_per_second']:,.0f} training examples/s"
    )
    met = test["accuracy"] >= TARGET_ACCURACY and wall <= TARGET_SECONDS
    print("target met" if met else "target NOT met")
    print(f"run folder: {os.path.join(home, 'runs', result['run_id'])}")


if __name__ == "__main__":
    main()
