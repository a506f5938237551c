"""Every performance target the issues set, with its limit as the issue words it. The scripts measure against these
and bench/run_all.py lists them, so a limit is written once."""

from record import RECORD_ONLY, Target

TARGETS = {
    target.id: target
    for target in (
        Target("fashion-second-load", 2, "Fashion-MNIST second load (cache), load_seconds", "<", 0.5, "s"),
        Target(
            "la-synthetic-info", 2, "`data info la-collisions --source synthetic --rows 620000`, wall", "<", 15, "s"
        ),
        Target("eda-620k", 3, "profile + alerts on 620,000 LA rows", "<", 5, "s"),
        Target("explore-page-620k", 3, "Explore page interactive (first full run) on 620,000 LA rows", "<", 10, "s"),
        Target(
            "baselines-620k",
            15,
            "rf + logreg + hgb + xgboost on 620,000 LA rows, started as the page does",
            "<",
            60,
            "s",
        ),
        Target(
            "trainer-throughput", 5, "Trainer examples/s over the reference DataLoader loop (4 workers)", ">=", 2, "x"
        ),
        Target("accuracy-93", 5, "fashion-93 preset, Fashion-MNIST test accuracy", ">=", 0.93, ""),
        Target("accuracy-93-wall", 5, "fashion-93 preset, wall time of the command", "<=", 600, "s"),
        Target("accuracy-94", 16, "fashion-93 + test-time flips, 36 epochs: test accuracy", ">=", 0.94, ""),
        Target("accuracy-94-wall", 16, "fashion-93 + test-time flips, 36 epochs: wall time", "<=", 600, "s"),
        Target("numpy-mlp-speed", 12, "numpy-mlp epoch time over torch mlp's", "<=", 2, "x"),
        Target("numpy-cnn-speed", 12, "numpy-cnn epoch time over torch lenet's (modern)", "<=", 5, "x"),
        Target(
            "numpy-mlp-accuracy",
            12,
            "numpy-mlp 3x128 ReLU, 10 epochs: lowest test accuracy of Adam, Nadam",
            ">=",
            0.88,
            "",
        ),
        Target("playground-frame", 13, "Playground frame (step + redraw), default network, median", "<", 100, "ms"),
        Target("sweep-two-workers", 17, "20-trial mlp study: speed-up of 2 workers over 1", ">=", 1.6, "x"),
        Target("first-render", 15, "`streamlit run` to the Data page's title, worst of the runs", "<", 3, "s"),
        Target("gpu-throughput", 5, "lenet examples/s on a CUDA GPU, mixed precision on", RECORD_ONLY, 0, "examples/s"),
    )
}
