"""What a torch network costs before it is trained, found by one probing forward pass with hooks: the per-layer
table of core.models.cost (output shape, parameters, multiply-accumulates, activation memory, receptive field).
What that costs in device memory is core.models.memory."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial

import torch
from torch import nn

from core.models.cost import BYTES_PER_ELEMENT, Analysis, LayerInfo
from core.models.registry import ModelError

__all__ = ["BYTES_PER_ELEMENT", "Analysis", "LayerInfo", "analyse_model"]
# Layers whose output is a view of their input: they hold no activation memory of their own.
VIEW_MODULES = (nn.Flatten, nn.Unflatten, nn.Identity)
PROBE_BATCH = 2  # examples in the one probing forward pass; 2, not 1, so layers that need a batch statistic work


# --- multiply-accumulates per example: rule(module, input elements, output elements), both per example.
# Bias additions are not counted. Norm layers count one MAC per output element (the affine scale and shift;
# their statistics are folded in at inference); activations, pools, dropout and reshapes count 0.
def _conv_macs(module, in_elems: int, out_elems: int) -> int:
    return out_elems * (module.in_channels // module.groups) * math.prod(module.kernel_size)


def _conv_transpose_macs(module, in_elems: int, out_elems: int) -> int:
    return in_elems * (module.out_channels // module.groups) * math.prod(module.kernel_size)


MAC_RULES = {
    **dict.fromkeys((nn.Conv1d, nn.Conv2d, nn.Conv3d), _conv_macs),
    **dict.fromkeys((nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d), _conv_transpose_macs),
    nn.Linear: lambda m, i, o: o * m.in_features,  # in x out for each leading position
    nn.Bilinear: lambda m, i, o: o * m.in1_features * m.in2_features,
    **dict.fromkeys(
        (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d, nn.LayerNorm, nn.GroupNorm)
        + (nn.InstanceNorm1d, nn.InstanceNorm2d, nn.InstanceNorm3d),
        lambda m, i, o: o,
    ),
    nn.LocalResponseNorm: lambda m, i, o: o * m.size,  # a sum of squares over `size` neighbouring channels
    # bilinear (the zoo's input resize) blends 4 neighbours per output element; nearest only copies
    nn.Upsample: lambda m, i, o: o * (4 if m.mode == "bilinear" else 0),
}


# --- receptive field: a tensor's field is (rf, jump) along the first spatial axis, in input pixels: rf is the
# side of the input window one element sees, jump the input distance between neighbouring elements.
# rule(module, field of its input, input size, output size, whole input) -> field of its output; the sizes are
# None when the tensor has no spatial axes (after a flatten). Modules without a rule are elementwise: they keep it.
def _first(value) -> int:
    return value[0] if isinstance(value, tuple) else value


def _sliding_window(module, fld, in_size, out_size, whole):
    rf, jump = fld
    dilation = _first(getattr(module, "dilation", 1))  # average pools have none
    return rf + (_first(module.kernel_size) - 1) * dilation * jump, jump * _first(module.stride)


def _everything(module, fld, in_size, out_size, whole):
    rf, jump = fld
    return max(rf, whole), jump * (in_size or 1)


def _adaptive_pool(module, fld, in_size, out_size, whole):
    if in_size is None or out_size in (None, 1):
        return _everything(module, fld, in_size, out_size, whole)
    # The window that pools in_size down to out_size: exact when out_size divides in_size; otherwise torch's
    # windows vary by one and this takes the widest.
    stride = max(1, in_size // out_size)
    kernel = -(-in_size // out_size) + (1 if in_size % out_size else 0)
    rf, jump = fld
    return rf + (kernel - 1) * jump, jump * stride


def _dense(module, fld, in_size, out_size, whole):
    # After a flatten every output sees every input pixel; on a spatial tensor a Linear mixes the last axis only.
    return _everything(module, fld, in_size, out_size, whole) if in_size is None else fld


FIELD_RULES = {
    **dict.fromkeys((nn.Conv1d, nn.Conv2d, nn.Conv3d), _sliding_window),
    **dict.fromkeys(
        (nn.MaxPool1d, nn.MaxPool2d, nn.MaxPool3d, nn.AvgPool1d, nn.AvgPool2d, nn.AvgPool3d), _sliding_window
    ),
    **dict.fromkeys((nn.AdaptiveAvgPool1d, nn.AdaptiveAvgPool2d, nn.AdaptiveAvgPool3d), _adaptive_pool),
    **dict.fromkeys((nn.AdaptiveMaxPool1d, nn.AdaptiveMaxPool2d, nn.AdaptiveMaxPool3d), _adaptive_pool),
    nn.Linear: _dense,
    nn.Bilinear: _dense,
}


def _rule(rules: dict, module: nn.Module):
    """The rule for the module's class or its nearest registered base class (so subclasses are covered)."""
    return next((rules[cls] for cls in type(module).__mro__ if cls in rules), None)


class _FieldTracker:
    """The field of every tensor a hooked module made, keyed by the tensor's id. A tensor made elsewhere (`a + b`,
    torch.cat, F.max_pool2d in a forward) gets the largest field seen at its spatial size: exact for chains and
    for branches merged right after they are computed (residual sums, Inception concatenations), an upper bound
    when an older, narrower tensor is merged in. A tensor at a size not seen yet is taken to be pooled from the
    nearest larger size (kernel = stride = the size ratio)."""

    def __init__(self, x: torch.Tensor):
        self.ndim, self.whole = x.dim(), x.shape[2]
        self._fields: dict[int, tuple[int, int]] = {}
        self._alive: list[torch.Tensor] = []  # holding them keeps their ids from passing to later tensors
        self._largest: dict[tuple[int, ...], tuple[int, int]] = {}  # spatial shape -> largest field seen there
        self.record(x, (1, 1))

    def size(self, t: torch.Tensor) -> int | None:
        return t.shape[2] if t.dim() == self.ndim else None

    def record(self, t: torch.Tensor, fld: tuple[int, int]) -> None:
        self._fields[id(t)] = fld
        self._alive.append(t)
        if t.dim() == self.ndim:
            spatial = tuple(t.shape[2:])
            self._largest[spatial] = max(fld, self._largest.get(spatial, fld))

    def field_of(self, t: torch.Tensor | None) -> tuple[int, int]:
        if t is not None and id(t) in self._fields:
            return self._fields[id(t)]
        if t is None or t.dim() != self.ndim:
            return max(self._largest.values())[0], 1
        spatial = tuple(t.shape[2:])
        if spatial in self._largest:
            return self._largest[spatial]
        larger = [(shape[0], fld) for shape, fld in self._largest.items() if shape[0] > spatial[0]]
        if not larger:  # upsampled: no better guess than the widest field so far
            return max(self._largest.values())
        size, (rf, jump) = min(larger, key=lambda item: (item[0], -item[1][0]))
        ratio = max(1, round(size / spatial[0]))
        return rf + (ratio - 1) * jump, jump * ratio


@dataclass
class _Observed:
    kind: str
    output_shape: tuple[int, ...]
    params: int
    macs: int = 0
    elements: int = 0  # output elements per example, summed over calls
    receptive_field: int | None = None


def _first_tensor(value) -> torch.Tensor | None:
    if isinstance(value, torch.Tensor):
        return value
    if isinstance(value, (tuple, list)):
        return next((t for t in map(_first_tensor, value) if t is not None), None)
    return None


def _observe(seen: dict, tracker: _FieldTracker | None, name: str, module: nn.Module, args, output) -> None:
    out, inp = _first_tensor(output), _first_tensor(args)
    if out is None:
        return
    if name not in seen:
        params = sum(p.numel() for p in module.parameters(recurse=False))
        seen[name] = _Observed(type(module).__name__, tuple(out.shape[1:]), params)
    record = seen[name]
    out_elems = out.numel() // PROBE_BATCH
    in_elems = inp.numel() // PROBE_BATCH if inp is not None else 0
    mac_rule = _rule(MAC_RULES, module)
    record.macs += mac_rule(module, in_elems, out_elems) if mac_rule else 0
    if not isinstance(module, VIEW_MODULES):  # a reshaped view shares its input's memory
        record.elements += out_elems
    if tracker is not None:
        field_rule = _rule(FIELD_RULES, module) or (lambda m, fld, *sizes: fld)
        in_size = tracker.size(inp) if inp is not None else None
        fld = field_rule(module, tracker.field_of(inp), in_size, tracker.size(out), tracker.whole)
        if isinstance(module, nn.Upsample) and fld == (1, 1):
            # An input resize (the zoo's input_size): from here fields count pixels of the resized image, so that
            # AlexNet resized from 28 to 224 reads like AlexNet fed 224 (the textbook's figures).
            tracker.whole = tracker.size(out) or tracker.whole
        tracker.record(out, fld)
        record.receptive_field = max(fld[0], record.receptive_field or 0)


def analyse_model(
    model: nn.Module, input_shape: tuple[int, ...], batch_size: int, bytes_per_element: int = BYTES_PER_ELEMENT
) -> Analysis:
    """Analyse `model` on inputs of `input_shape` (per example: (C, H, W) or (n_features,)) at `batch_size` for
    numbers of `bytes_per_element` (4: float32, 8: float64), by
    one no-grad forward of PROBE_BATCH zero examples in eval mode on the model's own device (zeros, so the
    global random state is untouched). Every module's training flag is restored and every hook removed, also
    on failure. ModelError when the model does not accept that input shape."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    input_shape = tuple(int(side) for side in input_shape)
    first = next(model.parameters(), None)
    floating = first is not None and first.is_floating_point()
    x = torch.zeros(
        (PROBE_BATCH, *input_shape),
        device=first.device if first is not None else "cpu",
        dtype=first.dtype if floating else torch.float32,
    )
    tracker = _FieldTracker(x) if len(input_shape) >= 2 else None
    seen: dict[str, _Observed] = {}
    modes = {module: module.training for module in model.modules()}
    handles = []
    try:
        for name, module in model.named_modules():
            if next(module.children(), None) is None:
                hook = partial(_observe, seen, tracker, name or type(module).__name__)
                handles.append(module.register_forward_hook(hook))
        model.eval()
        with torch.no_grad():
            model(x)
    except RuntimeError as err:
        shape = "x".join(map(str, input_shape))
        raise ModelError(f"the model does not accept inputs of shape {shape}: {str(err).splitlines()[0]}") from err
    finally:
        for handle in handles:
            handle.remove()
        for module, training in modes.items():
            module.training = training
    layers = tuple(
        LayerInfo(
            name=name,
            kind=record.kind,
            output_shape=record.output_shape,
            params=record.params,
            macs=record.macs,
            activation_bytes=record.elements * batch_size * bytes_per_element,
            receptive_field=record.receptive_field,
        )
        for name, record in seen.items()  # in the order the modules first ran
    )
    return Analysis(
        layers=layers,
        input_shape=input_shape,
        batch_size=batch_size,
        total_params=sum(p.numel() for p in model.parameters()),
        trainable_params=sum(p.numel() for p in model.parameters() if p.requires_grad),
        total_macs=sum(layer.macs for layer in layers),
        activation_bytes=sum(layer.activation_bytes for layer in layers),
        bytes_per_element=bytes_per_element,
    )
