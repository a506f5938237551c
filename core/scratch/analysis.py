"""What a NumPy network costs before it is trained, worked out from its layers (no forward pass): the same
per-layer table as core.models.analysis gives for torch models (core.models.cost)."""

from __future__ import annotations

import math

from core.models.cost import BYTES_PER_ELEMENT, Analysis, LayerInfo
from core.models.registry import ModelError
from core.scratch.batchnorm import BatchNorm
from core.scratch.conv import Conv2D
from core.scratch.dense import Dense
from core.scratch.layer import Layer
from core.scratch.network import Network
from core.scratch.pooling import _Pool2D
from core.scratch.reshape import Flatten
from core.scratch.residual import Residual

# Multiply-accumulates per example, as core.models.analysis counts them (biases not counted; batch norm one
# per output element; activations, pools, dropout and reshapes none): rule(layer, input shape, output shape).
MAC_RULES = {
    Dense: lambda layer, inp, out: layer.n_in * layer.n_out,
    Conv2D: lambda layer, inp, out: math.prod(out) * layer.c_in * layer.kernel * layer.kernel,
    BatchNorm: lambda layer, inp, out: math.prod(out),
}
VIEW_LAYERS = (Flatten,)  # outputs that are views of their input hold no memory of their own


def _field(layer: Layer, field: tuple[int, int] | None, whole: int | None) -> tuple[int, int] | None:
    """The receptive field (side in input pixels, jump between neighbours) after `layer`, along the height."""
    if field is None:
        return None
    rf, jump = field
    if isinstance(layer, Conv2D | _Pool2D):
        return rf + (layer.kernel - 1) * jump, jump * layer.stride
    if isinstance(layer, Dense):  # after a flatten, every output sees the whole image
        return max(rf, whole), jump
    return field


def analyse_network(
    network: Network, input_shape: tuple[int, ...], batch_size: int, bytes_per_element: int = BYTES_PER_ELEMENT
) -> Analysis:
    """Analyse `network` for inputs of `input_shape` (per example: (C, H, W) or (n_features,)) at `batch_size`.
    ModelError when a layer cannot take what reaches it."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    input_shape = tuple(int(side) for side in input_shape)
    image = len(input_shape) == 3
    whole = input_shape[1] if image else None
    rows: list[LayerInfo] = []

    def visit(name: str, layer: Layer, shape: tuple[int, ...], field):
        if isinstance(layer, Residual):
            out, out_field = shape, field
            for sub_name, sub in layer.sublayers():
                if sub is not layer.shortcut:
                    out, out_field = visit(f"{name}.{sub_name}", sub, out, out_field)
            if layer.shortcut is not None:
                visit(f"{name}.shortcut", layer.shortcut, shape, field)
            return out, out_field
        try:
            out = layer.output_shape(shape)
        except ValueError as err:
            raise ModelError(f"layer {name}: {err}") from None
        rule = MAC_RULES.get(type(layer))
        field = _field(layer, field, whole)
        elements = 0 if isinstance(layer, VIEW_LAYERS) else math.prod(out)
        rows.append(
            LayerInfo(
                name=name,
                kind=layer.kind,
                output_shape=tuple(out),
                params=sum(value.size for value in layer.params.values()),
                macs=rule(layer, shape, out) if rule else 0,
                activation_bytes=elements * batch_size * bytes_per_element,
                receptive_field=None if field is None else field[0],
            )
        )
        return out, field

    shape, field = input_shape, ((1, 1) if image else None)
    for name, layer in network.layers:
        shape, field = visit(name, layer, shape, field)
    total = sum(value.size for _, value in network.parameters())
    return Analysis(
        layers=tuple(rows),
        input_shape=input_shape,
        batch_size=batch_size,
        total_params=total,
        trainable_params=total,
        total_macs=sum(layer.macs for layer in rows),
        activation_bytes=sum(layer.activation_bytes for layer in rows),
        bytes_per_element=bytes_per_element,
    )
