"""The per-layer cost table read out in words, answering the questions a course asks of a network: which kind of
layer holds the parameters (AlexNet: the dense layers) and which does the computing (the convolutions), which
layers hold the most activation memory, and how much memory a training step takes at the usual batch sizes.
Both engines' analyses read the same, so the kinds of both are grouped here."""

from __future__ import annotations

from dataclasses import dataclass

from core.models.cost import Analysis
from core.models.memory import estimate_memory, format_bytes

# Layer kinds (torch class names and the NumPy engine's kinds) -> the group the summary names. Kinds not listed
# (activations, pools, reshapes, dropout) hold no parameters and do no multiply-accumulates worth naming.
KIND_GROUPS = {
    **dict.fromkeys(("Conv1d", "Conv2d", "Conv3d", "Conv2D"), "convolutions"),
    **dict.fromkeys(("ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d"), "convolutions"),
    **dict.fromkeys(("Linear", "Bilinear", "Dense"), "dense layers"),
    **dict.fromkeys(
        ("BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "BatchNorm", "LayerNorm", "GroupNorm"), "normalisation layers"
    ),
    "Upsample": "input resize",
}
OTHER_GROUP = "other layers"
SUMMARY_BATCH_SIZES = (64, 128, 256)  # the batch sizes the logbook asks about


@dataclass(frozen=True)
class GroupCost:
    """What one group of layers (all convolutions, all dense layers, ...) owns of the whole network."""

    group: str
    params: int
    macs: int  # per example
    params_share: float  # fraction of all leaf parameters, 0..1
    macs_share: float


def cost_by_group(analysis: Analysis) -> list[GroupCost]:
    """Parameters and MACs summed per group of layer kinds, in the order the groups first ran."""
    sums: dict[str, list[int]] = {}
    for layer in analysis.layers:
        totals = sums.setdefault(KIND_GROUPS.get(layer.kind, OTHER_GROUP), [0, 0])
        totals[0] += layer.params
        totals[1] += layer.macs
    all_params = sum(params for params, _ in sums.values()) or 1
    all_macs = sum(macs for _, macs in sums.values()) or 1
    return [GroupCost(g, p, m, p / all_params, m / all_macs) for g, (p, m) in sums.items()]


def leaders(analysis: Analysis) -> dict[str, str | None]:
    """The group holding the most parameters ("parameters") and the one doing the most MACs ("compute");
    None when no layer has any."""
    groups = cost_by_group(analysis)

    def top(cost) -> str | None:
        best = max(groups, key=cost, default=None)
        return best.group if best is not None and cost(best) > 0 else None

    return {"parameters": top(lambda g: g.params), "compute": top(lambda g: g.macs)}


def memory_by_batch(
    analysis: Analysis, optimizer_state_copies: int, batch_sizes: tuple[int, ...] = SUMMARY_BATCH_SIZES
) -> list[dict]:
    """One row per batch size: bytes of the layers' outputs for the batch ("activations") and of a whole
    training step (weights, gradients, optimizer state, activations and their gradients, input: "training step")."""
    rows = []
    for size in batch_sizes:
        scaled = analysis.with_batch_size(size)
        estimate = estimate_memory(scaled, optimizer_state_copies)
        rows.append({"batch size": size, "activations": scaled.activation_bytes, "training step": estimate.total})
    return rows


def summary(analysis: Analysis, optimizer_state_copies: int = 0) -> list[str]:
    """Sentences for the page: parameter and compute leaders (by group, then by layer), the layers with the most
    activation memory, and a training step's memory at batch 64, 128 and 256 for an optimizer keeping
    `optimizer_state_copies` tensors per parameter (0: plain SGD; see OPTIMIZER_STATE_COPIES)."""
    kinds = {layer.name: layer.kind for layer in analysis.layers}
    groups = {g.group: g for g in cost_by_group(analysis)}
    lead = leaders(analysis)
    dominant = analysis.dominant(2)

    def named(names: list[str]) -> str:
        return " and ".join(f"{name} ({kinds[name]})" for name in names) or "-"

    weights = format_bytes(analysis.total_params * analysis.bytes_per_element)
    sentences = [f"{analysis.total_params:,} parameters ({weights}), {analysis.total_macs:,} MACs per example."]
    if lead["parameters"]:
        share = groups[lead["parameters"]].params_share
        sentences.append(
            f"Parameter memory is dominated by the {lead['parameters']} ({share:.0%} of the parameters; "
            f"largest: {named(dominant['parameters'])})."
        )
    if lead["compute"]:
        share = groups[lead["compute"]].macs_share
        sentences.append(
            f"Compute is dominated by the {lead['compute']} ({share:.0%} of the MACs; "
            f"largest: {named(dominant['compute'])})."
        )
    sentences.append(f"Activation memory is dominated by {named(dominant['memory'])}.")
    rows = memory_by_batch(analysis, optimizer_state_copies)
    steps = _listing([f"{format_bytes(row['training step'])} at batch {row['batch size']}" for row in rows])
    outputs = _listing([format_bytes(row["activations"]) for row in rows])
    sentences.append(f"A training step needs about {steps}; the activations alone take {outputs}.")
    return sentences


def _listing(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)
