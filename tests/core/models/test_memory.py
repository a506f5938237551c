import pytest
from torch import nn

from core.models.analysis import analyse_model
from core.models.memory import check_fits, estimate_memory, format_bytes, out_of_memory_advice, suggest_batch_size
from core.models.registry import ModelError


def tiny_analysis(batch_size: int):
    # Linear(10, 5): 55 parameters; per example 5 outputs (20 bytes) and 10 inputs (40 bytes)
    return analyse_model(nn.Sequential(nn.Linear(10, 5)), (10,), batch_size=batch_size)


def test_estimate_memory_arithmetic():
    estimate = estimate_memory(tiny_analysis(4), optimizer_state_copies=2)
    assert (estimate.weights, estimate.gradients, estimate.optimizer_state) == (220, 220, 440)
    assert estimate.activations == 2 * 5 * 4 * 4  # forward outputs and their gradients
    assert estimate.batch_input == 10 * 4 * 4
    assert estimate.total == 220 + 220 + 440 + 160 + 160
    assert estimate.describe() == (
        "about 1.2 kB: weights 220 B, gradients 220 B, optimizer 440 B, activations 160 B, input 160 B (batch 4)"
    )


def test_frozen_parameters_need_no_gradient_or_optimizer_state():
    model = nn.Sequential(nn.Linear(10, 5), nn.Linear(5, 2))
    model[0].requires_grad_(False)
    estimate = estimate_memory(analyse_model(model, (10,), batch_size=1), optimizer_state_copies=1)
    assert (estimate.weights, estimate.gradients, estimate.optimizer_state) == (67 * 4, 12 * 4, 12 * 4)


def memory_at(batch_size: int, copies: int = 1) -> int:
    # fixed: weights, gradients, one optimizer copy = 3 * 220; per example: 2 * 20 activations + 40 input
    assert estimate_memory(tiny_analysis(batch_size), copies).total == 660 + 80 * batch_size
    return 660 + 80 * batch_size


def test_suggest_batch_size_halves_until_it_fits():
    analysis = tiny_analysis(256)
    available = int(memory_at(64) / 0.9) + 1  # 64 fits in 90%, 128 does not
    assert memory_at(128) > 0.9 * available
    assert suggest_batch_size(analysis, 1, available) == 64
    assert suggest_batch_size(analysis, 1, int(memory_at(256) / 0.9) + 1) == 256
    assert suggest_batch_size(tiny_analysis(100), 1, available) == 64  # from a batch that is no power of two
    assert suggest_batch_size(analysis, 1, int(memory_at(1) / 0.9) - 1) is None


def test_check_fits_refuses_with_a_batch_size_that_fits():
    analysis = tiny_analysis(256)
    with pytest.raises(ModelError) as refused:
        check_fits("toy", analysis, 1, int(memory_at(64) / 0.9) + 1, "cuda")
    message = str(refused.value)
    assert message.startswith(f"toy needs about {format_bytes(memory_at(256))} on cuda at batch size 256 but ")
    assert message.endswith("is free; lower the batch size to 64 or less")
    with pytest.raises(ModelError, match="even batch size 1 does not fit; choose a smaller model"):
        check_fits("toy", analysis, 1, 100, "cuda")


def test_check_fits_passes_when_memory_suffices_or_is_unknown():
    analysis = tiny_analysis(256)
    assert check_fits("toy", analysis, 1, 10**9, "cuda").total == memory_at(256)
    assert check_fits("toy", analysis, 1, None, "cpu").total == memory_at(256)


def test_out_of_memory_advice_halves_the_batch():
    assert out_of_memory_advice("cnn3", 256, "cuda") == (
        "cnn3 ran out of memory on cuda at batch size 256; lower the batch size to 128 or less"
    )
    assert out_of_memory_advice("cnn3", 3, "cuda").endswith("lower the batch size to 1 or less")
    assert "choose a smaller model" in out_of_memory_advice("cnn3", 1, "mps")


@pytest.mark.parametrize(
    ("n", "text"),
    [(512, "512 B"), (1_500, "1.5 kB"), (45_000_000, "45.0 MB"), (1_234_000_000, "1.23 GB"), (999_960, "1.0 MB")],
)
def test_format_bytes(n, text):
    assert format_bytes(n) == text
