"""How many bytes one training step holds on the device (weights, gradients, optimizer state, activations and
the input batch), worked out from an Analysis without allocating anything; the check that refuses a batch size
the device cannot hold and names one to try instead; and the advice a run ends with when it runs out anyway.

The estimate errs high on purpose: it counts every activation twice (kept for backward, plus its gradient) and
asks for 10% headroom, because it guards a check that refuses to start, and refusing a run that would have fit
costs less than one that dies out of memory partway through."""

from __future__ import annotations

from dataclasses import dataclass

from core.models.cost import Analysis
from core.models.registry import ModelError

MEMORY_HEADROOM = 0.9  # an estimate must fit in this share of free memory: allocator caching, fragmentation, context


@dataclass(frozen=True)
class MemoryEstimate:
    """Bytes one training step holds on the device, by what holds them."""

    weights: int
    gradients: int
    optimizer_state: int
    activations: int
    batch_input: int
    batch_size: int

    @property
    def total(self) -> int:
        return self.weights + self.gradients + self.optimizer_state + self.activations + self.batch_input

    def describe(self) -> str:
        parts = (
            f"weights {format_bytes(self.weights)}, gradients {format_bytes(self.gradients)}, "
            f"optimizer {format_bytes(self.optimizer_state)}, activations {format_bytes(self.activations)}, "
            f"input {format_bytes(self.batch_input)}"
        )
        return f"about {format_bytes(self.total)}: {parts} (batch {self.batch_size})"


def estimate_memory(analysis: Analysis, optimizer_state_copies: int) -> MemoryEstimate:
    """Bytes a training step needs at the analysis's batch size. `optimizer_state_copies` is how many tensors
    the optimizer keeps per trainable parameter: 0 for plain SGD, 1 with momentum or RMSprop, 2 for Adam-family."""
    if optimizer_state_copies < 0:
        raise ValueError(f"optimizer_state_copies must be 0 or more, got {optimizer_state_copies}")
    trainable = analysis.trainable_params * analysis.bytes_per_element
    return MemoryEstimate(
        weights=analysis.total_params * analysis.bytes_per_element,
        gradients=trainable,
        optimizer_state=trainable * optimizer_state_copies,
        # Counted twice: backward needs every layer's forward output kept until its gradient is computed, and it
        # makes a gradient of the same size for each. That errs high (not all activation gradients live at once,
        # in-place layers share storage), which is the safe side for a check that refuses to start.
        activations=2 * analysis.activation_bytes,
        batch_input=analysis.input_bytes,
        batch_size=analysis.batch_size,
    )


def _fits(analysis: Analysis, optimizer_state_copies: int, available_bytes: int) -> bool:
    return estimate_memory(analysis, optimizer_state_copies).total <= MEMORY_HEADROOM * available_bytes


def suggest_batch_size(analysis: Analysis, optimizer_state_copies: int, available_bytes: int, model=None) -> int | None:
    """The analysis's batch size if its estimate fits in 90% of `available_bytes`, else the largest power of two
    below it that fits (activations scaled per example, no new forward); None when even batch size 1 does not
    fit. `model` is accepted for callers that have one at hand and is not needed."""
    for size in _halvings(analysis.batch_size):
        if _fits(analysis.with_batch_size(size), optimizer_state_copies, available_bytes):
            return size
    return None


def _halvings(batch_size: int):
    """batch_size, then the powers of two below it, largest first."""
    yield batch_size
    power = 2 ** (batch_size.bit_length() - 1)  # the largest power of two <= batch_size
    power = power // 2 if power == batch_size else power
    while power >= 1:
        yield power
        power //= 2


def check_fits(
    model_name: str, analysis: Analysis, optimizer_state_copies: int, available_bytes: int | None, device: str
) -> MemoryEstimate:
    """The memory estimate; ModelError, naming a batch size that fits, when it exceeds 90% of `available_bytes`.
    `available_bytes` None (memory unknown, e.g. on CPU) skips the check."""
    estimate = estimate_memory(analysis, optimizer_state_copies)
    if available_bytes is None or estimate.total <= MEMORY_HEADROOM * available_bytes:
        return estimate
    suggested = suggest_batch_size(analysis, optimizer_state_copies, available_bytes)
    advice = (
        f"lower the batch size to {suggested} or less"
        if suggested is not None
        else "even batch size 1 does not fit; choose a smaller model"
    )
    raise ModelError(
        f"{model_name} needs about {format_bytes(estimate.total)} on {device} at batch size {analysis.batch_size} "
        f"but {format_bytes(available_bytes)} is free; {advice}"
    )


def out_of_memory_advice(model_name: str, batch_size: int, device: str) -> str:
    """The line a run ends with after running out of device memory during training."""
    if batch_size <= 1:
        return f"{model_name} ran out of memory on {device} even at batch size 1; choose a smaller model"
    return (
        f"{model_name} ran out of memory on {device} at batch size {batch_size}; "
        f"lower the batch size to {batch_size // 2} or less"
    )


_UNITS = (("B", 1, 0), ("kB", 1e3, 1), ("MB", 1e6, 1), ("GB", 1e9, 2), ("TB", 1e12, 2))


def format_bytes(n: int) -> str:
    """Decimal units, as device makers quote them: "512 B", "1.5 kB", "45.0 MB", "1.23 GB"."""
    for unit, scale, digits in _UNITS[:-1]:
        value = round(n / scale, digits)
        if abs(value) < 1000:  # rounded first, so 999,960 B reads "1.0 MB", not "1000.0 kB"
            return f"{value:.{digits}f} {unit}"
    unit, scale, digits = _UNITS[-1]
    return f"{n / scale:.{digits}f} {unit}"
