"""What a network costs, layer by layer, whichever engine built it: the table the Neural Nets page shows and
analysis.json keeps. core.models.analysis fills it for torch models, core.scratch.analysis for NumPy ones."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

import pandas as pd

BYTES_PER_ELEMENT = 4  # float32, the default; a float64 run counts 8


@dataclass(frozen=True)
class LayerInfo:
    """One leaf module. A module called more than once in a forward (a ReLU reused in a block) is one row: its
    MACs and activation bytes are summed over the calls, its shape is the first call's, its field the largest."""

    name: str  # dotted module name ("features.0")
    kind: str  # class name ("Conv2d")
    output_shape: tuple[int, ...]  # per example, without the batch dimension
    params: int  # parameters owned directly by this module
    macs: int  # multiply-accumulates per example
    activation_bytes: int  # output elements x batch size x bytes per element
    receptive_field: int | None  # input pixels along the first spatial axis (height); None for tabular input


@dataclass(frozen=True)
class Analysis:
    """The per-layer cost of a network for one input shape and batch size."""

    layers: tuple[LayerInfo, ...]
    input_shape: tuple[int, ...]
    batch_size: int
    total_params: int  # every parameter of the model, also those of non-leaf modules
    trainable_params: int
    total_macs: int  # per example
    activation_bytes: int  # whole batch, all leaf layers' outputs
    bytes_per_element: int = BYTES_PER_ELEMENT  # 4 for float32, 8 for float64

    @property
    def input_bytes(self) -> int:
        """Bytes of one batch of input."""
        return math.prod(self.input_shape) * self.batch_size * self.bytes_per_element

    def with_batch_size(self, batch_size: int) -> Analysis:
        """The same analysis at another batch size: activation bytes scale linearly, nothing else changes."""
        layers = tuple(
            replace(layer, activation_bytes=layer.activation_bytes // self.batch_size * batch_size)
            for layer in self.layers
        )
        total = self.activation_bytes // self.batch_size * batch_size
        return replace(self, layers=layers, batch_size=batch_size, activation_bytes=total)

    def to_frame(self) -> pd.DataFrame:
        """One row per layer, in the order they ran, plus a "total" row; activation MB is for the whole batch."""
        total = LayerInfo("total", "", (), self.total_params, self.total_macs, self.activation_bytes, None)
        frame = pd.DataFrame([_row(layer, self) for layer in (*self.layers, total)])
        frame["receptive field"] = frame["receptive field"].astype("Int64")  # None stays missing, not NaN
        return frame

    def dominant(self, n: int = 3) -> dict[str, list[str]]:
        """Names of the `n` layers with the most activation bytes ("memory"), the most MACs ("compute") and the
        most parameters ("parameters"), largest first; layers with none are never named, ties keep the order the
        layers ran in. core.models.cost_summary reads this out in words."""

        def top(cost) -> list[str]:
            ranked = sorted((layer for layer in self.layers if cost(layer) > 0), key=cost, reverse=True)
            return [layer.name for layer in ranked[:n]]

        return {
            "memory": top(lambda layer: layer.activation_bytes),
            "compute": top(lambda layer: layer.macs),
            "parameters": top(lambda layer: layer.params),
        }

    def to_dict(self) -> dict:
        """Plain lists, ints and strings, for analysis.json beside each run."""
        return {
            "input_shape": list(self.input_shape),
            "batch_size": self.batch_size,
            "total_params": self.total_params,
            "trainable_params": self.trainable_params,
            "total_macs": self.total_macs,
            "activation_bytes": self.activation_bytes,
            "bytes_per_element": self.bytes_per_element,
            "layers": [{**asdict(layer), "output_shape": list(layer.output_shape)} for layer in self.layers],
            "dominant": self.dominant(),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Analysis:
        """The inverse of `to_dict` (the derived "dominant" entry is recomputed, not read)."""
        layers = tuple(LayerInfo(**{**layer, "output_shape": tuple(layer["output_shape"])}) for layer in data["layers"])
        fields = ("batch_size", "total_params", "trainable_params", "total_macs", "activation_bytes")
        return cls(
            layers=layers,
            input_shape=tuple(data["input_shape"]),
            bytes_per_element=data.get("bytes_per_element", BYTES_PER_ELEMENT),  # absent in older runs' files
            **{name: data[name] for name in fields},
        )


def _row(layer: LayerInfo, analysis: Analysis) -> dict:
    def share(part: int, whole: int) -> float:
        return round(100.0 * part / whole, 1) if whole else 0.0

    return {
        "layer": layer.name,
        "kind": layer.kind,
        "output shape": "x".join(map(str, layer.output_shape)),
        "params": layer.params,
        "MACs": layer.macs,
        "activation MB": layer.activation_bytes / 1e6,
        "receptive field": layer.receptive_field,
        "share of memory %": share(layer.activation_bytes, analysis.activation_bytes),
        "share of compute %": share(layer.macs, analysis.total_macs),
    }
