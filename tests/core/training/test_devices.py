"""Device choice, names, free memory and mixed precision on this CPU-only machine."""

import pytest
import torch

from core.errors import TrainboardError
from core.training.devices import (
    available_devices,
    describe_device,
    free_memory_bytes,
    mixed_precision_dtype,
    resolve_device,
)

HAS_CUDA = torch.cuda.is_available()
HAS_ACCELERATOR = len(available_devices()) > 1


def test_cpu_is_always_available_and_first():
    assert available_devices()[0] == "cpu"


@pytest.mark.skipif(HAS_ACCELERATOR, reason="this machine has a GPU, so auto does not pick the CPU")
def test_auto_resolves_to_cpu_without_a_gpu():
    assert resolve_device() == torch.device("cpu")
    assert resolve_device("auto") == torch.device("cpu")


def test_cpu_resolves_whatever_the_spelling():
    assert resolve_device(" CPU ") == torch.device("cpu")


@pytest.mark.skipif(HAS_CUDA, reason="this machine has a CUDA GPU")
def test_asking_for_cuda_without_one_is_a_one_line_error():
    with pytest.raises(TrainboardError) as error:
        resolve_device("cuda")
    assert str(error.value) == (
        f"device 'cuda': this torch ({torch.__version__}) sees no CUDA GPU; use --device cpu or auto"
    )


def test_unknown_device_lists_the_choices():
    with pytest.raises(TrainboardError) as error:
        resolve_device("tpu")
    assert str(error.value) == "device 'tpu' is not one of auto, cpu, cuda, mps"


def test_describe_cpu_mentions_threads():
    assert describe_device(torch.device("cpu")) == f"cpu ({torch.get_num_threads()} threads)"


def test_cpu_free_memory_is_a_positive_int():
    free = free_memory_bytes(torch.device("cpu"))
    assert isinstance(free, int) and free > 0


def test_cpu_free_memory_falls_back_without_proc_meminfo(tmp_path, monkeypatch):
    from core.training import host_memory

    monkeypatch.setattr(host_memory, "Path", lambda _: tmp_path / "no-meminfo")
    free = free_memory_bytes(torch.device("cpu"))
    assert isinstance(free, int) and free > 0


def test_free_memory_is_unknown_on_mps():
    assert free_memory_bytes(torch.device("mps")) is None


def test_float64_runs_without_mixed_precision():
    assert mixed_precision_dtype(torch.device("cpu"), "auto", "float64") is None
    with pytest.raises(TrainboardError, match="defeats dtype float64"):
        mixed_precision_dtype(torch.device("cpu"), "on", "float64")


def test_off_is_float32():
    assert mixed_precision_dtype(torch.device("cpu"), "off") is None


def test_mixed_precision_on_a_cpu_is_bfloat16_where_the_cpu_has_it(monkeypatch):
    import core.training.devices as devices

    monkeypatch.setattr(devices.torch.ops.mkldnn, "_is_mkldnn_bf16_supported", lambda: True)
    assert mixed_precision_dtype(torch.device("cpu"), "on") is torch.bfloat16
    assert mixed_precision_dtype(torch.device("cpu"), "auto") is torch.bfloat16
    monkeypatch.setattr(devices.torch.ops.mkldnn, "_is_mkldnn_bf16_supported", lambda: False)
    assert mixed_precision_dtype(torch.device("cpu"), "auto") is None
    with pytest.raises(TrainboardError, match="needs a CUDA GPU or a CPU with bfloat16 support"):
        mixed_precision_dtype(torch.device("cpu"), "on")


def test_unknown_amp_mode_lists_the_choices():
    with pytest.raises(TrainboardError, match="amp 'fp8' is not one of auto, on, off"):
        mixed_precision_dtype(torch.device("cpu"), "fp8")


@pytest.mark.skipif(not HAS_CUDA, reason="needs a CUDA GPU")
def test_cuda_paths():
    device = resolve_device("cuda")
    assert describe_device(device).startswith("cuda:0 ")
    assert free_memory_bytes(device) > 0
    assert mixed_precision_dtype(device, "auto") is torch.float16 is mixed_precision_dtype(device, "on")
