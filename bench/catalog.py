"""Which script measures which target, with the arguments the runner gives it, and the scripts it leaves out
(with the reason). One entry per benchmark; bench/run_all.py runs them in this order."""

from dataclasses import dataclass

from targets import TARGETS


@dataclass(frozen=True)
class Bench:
    """One runner entry: `python bench/<script> <args> --json` measures `targets`. `skip` says why the runner
    does not run it (superseded, or no target of its own)."""

    name: str
    script: str
    targets: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    timeout_s: int = 1800
    skip: str = ""

    def __post_init__(self):
        unknown = [t for t in self.targets if t not in TARGETS]
        if unknown:
            raise ValueError(f"bench {self.name}: unknown target(s) {unknown}")


BENCHES = (
    Bench("fashion_load", "bench_fashion_mnist_load.py", ("fashion-second-load",), timeout_s=300),
    Bench("la_synthetic", "bench_la_synthetic.py", ("la-synthetic-info",), timeout_s=300),
    Bench("eda", "bench_eda.py", ("eda-620k",), timeout_s=600),
    Bench("explore_page", "bench_explore_page.py", ("explore-page-620k",), timeout_s=600),
    Bench("la_speed", "bench_la_speed.py", ("baselines-620k",), timeout_s=1200),
    Bench(
        "baselines_la",
        "bench_baselines_la.py",
        skip="superseded by la_speed: issue 15 set 60 s for the same four models started as the page starts them "
        "(issue 4's < 120 s, run inline); its 100,000-row comparison with the study's defaults: a record, by hand",
    ),
    Bench(
        "baselines_fashion",
        "bench_baselines_fashion.py",
        skip="no target: the classical models' Fashion-MNIST accuracy beside published figures (about 20 min, by hand)",
    ),
    Bench("torch_throughput", "bench_torch_throughput.py", ("trainer-throughput",), timeout_s=1800),
    Bench("torch_accuracy_93", "bench_torch_accuracy.py", ("accuracy-93", "accuracy-93-wall"), ("--target", "93")),
    Bench("torch_accuracy_94", "bench_torch_accuracy.py", ("accuracy-94", "accuracy-94-wall"), ("--target", "94")),
    Bench("torch_gpu", "bench_torch_gpu.py", ("gpu-throughput",), timeout_s=1800),
    Bench("numpy_speed", "bench_numpy_speed.py", ("numpy-mlp-speed", "numpy-cnn-speed"), timeout_s=1800),
    Bench("numpy_accuracy", "bench_numpy_accuracy.py", ("numpy-mlp-accuracy",), timeout_s=900),
    Bench("playground_step", "bench_playground_step.py", ("playground-frame",), timeout_s=300),
    Bench("sweep_parallel", "bench_sweep_parallel.py", ("sweep-two-workers",), timeout_s=1200),
    Bench("first_render", "bench_first_render.py", ("first-render",), timeout_s=600),
    Bench(
        "fit_la_stand_in",
        "fit_la_stand_in.py",
        skip="not a benchmark: fits the LA stand-in's tables from the real sample (--check compares them)",
    ),
)
BY_NAME = {bench.name: bench for bench in BENCHES}
