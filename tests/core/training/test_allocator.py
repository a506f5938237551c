"""keep_freed_memory: after it, a training step stops page-faulting its activations in; before it, it does
(so the measurement can tell the two apart). Each case runs in a fresh interpreter because the
setting is process-wide and permanent."""

import json
import subprocess
import sys

import pytest

from core.training import allocator

# A LeNet training step on CPU, whose activations are allocated and freed every batch, and the minor page
# faults a typical step takes once warm (the median of 15: one step may meet a heap that grows).
_PROBE = """
import json, resource, sys
import torch
from core.models import create_model
from core.training.allocator import keep_freed_memory
applied = keep_freed_memory() if sys.argv[1] == "keep" else None
model = create_model("lenet", {}, n_classes=10, n_features=784, n_rows=1, input_shape=(1, 28, 28))
model = model.to(memory_format=torch.channels_last)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
images = torch.rand(256, 1, 28, 28).contiguous(memory_format=torch.channels_last)
labels = torch.randint(0, 10, (256,))
def step():
    optimizer.zero_grad()
    torch.nn.functional.cross_entropy(model(images), labels).backward()
    optimizer.step()
for _ in range(5):
    step()
faults = []
for _ in range(15):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    step()
    faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
print(json.dumps({"applied": applied, "faults_per_step": sorted(faults)[len(faults) // 2]}))
"""


def _probe(mode: str) -> dict:
    done = subprocess.run([sys.executable, "-c", _PROBE, mode], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not allocator.glibc_linux(), reason="needs Linux with glibc, whose malloc this tunes")
def test_reused_memory_takes_no_page_faults_after_keep_freed_memory():
    # glibc's own threshold adjustment sometimes settles on reuse by chance (seen in 1 of 15 fresh processes,
    # and a few at a tenth of the usual faults), so the default gets three processes to show the faults.
    default_faults = max(_probe("default")["faults_per_step"] for _ in range(3))
    kept = _probe("keep")
    assert kept["applied"] is True
    assert default_faults > 1000  # glibc returns the freed activations, so they fault in again (seen 2,300-5,000)
    assert kept["faults_per_step"] < 10  # the freed blocks are reused as they are (seen 0 in 30 processes)


def test_anywhere_but_glibc_it_changes_nothing(monkeypatch):
    monkeypatch.setattr(allocator.platform, "libc_ver", lambda: ("", ""))
    monkeypatch.setattr(allocator, "_set_thresholds", lambda: pytest.fail("must not call mallopt"))
    allocator.keep_freed_memory.cache_clear()  # this process's answer is cached; ask afresh, and forget it after
    try:
        assert allocator.keep_freed_memory() is False
    finally:
        allocator.keep_freed_memory.cache_clear()
