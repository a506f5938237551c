"""Before training: the network the page's settings describe, analysed layer by layer, and whether it fits.

The page calls `preview_network` on every change of the form, so it must be quick: no training, one forward
pass of a batch of two. Tables are preprocessed on a small sample only to learn how wide the encoded rows are.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.datasets import Dataset, make_split
from core.errors import TrainboardError
from core.models import create_model
from core.models.analysis import Analysis, analyse_model
from core.models.memory import MemoryEstimate, check_fits, estimate_memory
from core.preprocess import PreprocessSpec, apply_row_steps, transform_split
from core.training.devices import describe_device, free_memory_bytes, resolve_device
from core.training.optim import OPTIMIZERS
from core.training.options import TrainOptions

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
    network = create_model(
        model,
        params,
        n_classes=len(dataset.classes),
        n_features=int(np.prod(shape)),
        n_rows=dataset.rows,
        input_shape=shape,
    )
    analysis = analyse_model(network, shape, options.batch_size)
    copies = OPTIMIZERS[options.optimizer].state_copies
    device = resolve_device(options.device)
    refusal = None
    try:
        check_fits(model, analysis, copies, free_memory_bytes(device), device.type)
    except TrainboardError as exc:
        refusal = str(exc)
    return NetworkPreview(shape, analysis, estimate_memory(analysis, copies), describe_device(device), refusal)
