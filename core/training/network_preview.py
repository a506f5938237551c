"""Before training: the network the page's settings describe, analysed layer by layer, and whether it fits.

The page calls `preview_network` on every change of the form, so it must be quick: no training, no forward pass
beyond a probing batch of two (torch) or none at all (the NumPy engine works its table out from the layers).
Tables are preprocessed on a small sample only to learn how wide the encoded rows are.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.datasets import Dataset, make_split
from core.errors import TrainboardError
from core.models.cost import Analysis
from core.models.memory import MemoryEstimate, check_fits, estimate_memory
from core.preprocess import PreprocessSpec, apply_row_steps, transform_split
from core.training.network_run import engine_for
from core.training.options import OPTIMIZER_STATE_COPIES, TrainOptions

# Rows preprocessed to learn the encoded width of a table; one-hot columns of rare categories may be missed,
# so the width shown is "about".
WIDTH_SAMPLE_ROWS = 2000


@dataclass(frozen=True)
class NetworkPreview:
    input_shape: tuple[int, ...]
    analysis: Analysis
    memory: MemoryEstimate
    device: str  # described, e.g. "cpu (2 threads)"
    refusal: str | None  # the one-line reason it will not fit, with a suggested batch size; None when it fits


def input_shape_for(dataset: Dataset, preprocess: str = "{}") -> tuple[int, ...]:
    """(C, H, W) for images; for tables, the width of the rows after the preprocessing spec (on a sample)."""
    if dataset.kind == "image":
        height, width, *channels = dataset.image_shape
        return (channels[0] if channels else 1, height, width)
    from core.datasets.dataset import subsample

    spec = PreprocessSpec.from_json(preprocess or "{}")
    sample = apply_row_steps(dataset, spec)
    if sample.rows > WIDTH_SAMPLE_ROWS:
        sample = subsample(sample, WIDTH_SAMPLE_ROWS, seed=0)
    X_train = transform_split(sample, spec, make_split(sample, seed=0))["train"][0]
    return (int(X_train.shape[1]),)


def preview_network(
    model: str, params: dict, dataset: Dataset, options: TrainOptions, preprocess: str = "{}"
) -> NetworkPreview:
    """Build `model` for this data, analyse it at the chosen batch size and check it against the free memory
    of the chosen device. Bad parameters raise ModelError / TrainboardError with the usual one-line message."""
    shape = input_shape_for(dataset, preprocess)
    engine = engine_for(model, options)
    network = engine.build(model, params, n_classes=len(dataset.classes), n_rows=dataset.rows, shape=shape, seed=0)
    analysis = engine.analyse(network, shape)
    copies = OPTIMIZER_STATE_COPIES[options.optimizer]
    device, free_bytes, device_type = engine.device()
    refusal = None
    try:
        check_fits(model, analysis, copies, free_bytes, device_type)
    except TrainboardError as exc:
        refusal = str(exc)
    return NetworkPreview(shape, analysis, estimate_memory(analysis, copies), device, refusal)
