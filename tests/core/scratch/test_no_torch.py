"""The engine is NumPy only: it, its models and a whole run through the run store work where torch cannot be
imported at all."""

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

SCRIPT = """
import sys, tempfile


class NoTorch:  # `import torch` raises ImportError, as on a machine without it
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "torch":
            raise ImportError("torch is not installed here")


sys.meta_path.insert(0, NoTorch())
from core.datasets import LoadRequest
from core.runs import RunStore, jobs
from core.training.config import RunConfig, create_run
from core.training.network_preview import preview_network
from core.training.options import TrainOptions
from core.datasets import load_dataset
store = RunStore(tempfile.mkdtemp() + "/runs.db")
config = RunConfig.build(LoadRequest("digits"), "numpy-mlp", {"hidden": "16"}, training={"epochs": 3, "batch_size": 32})
record = jobs.run_inline(create_run(store, config), store)
assert record.status == "finished", record.error
assert record.metrics["test"]["accuracy"] > 0.5
preview = preview_network("numpy-logreg", {}, load_dataset(LoadRequest("digits")), TrainOptions())
assert preview.analysis.total_params == 64 * 10 + 10
assert "torch" not in sys.modules
print("ok")
"""


def test_a_numpy_run_never_needs_torch(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "TRAINBOARD_HOME": str(tmp_path), "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("ok")


def test_the_engine_has_no_torch_import():
    for path in (REPO / "core" / "scratch").glob("*.py"):
        assert not re.search(r"^\s*(import torch|from torch)", path.read_text(), re.MULTILINE), path.name
