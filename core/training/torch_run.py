"""The torch engine of a network run (core/training/network_run.py has the run itself): the device, the model
and its initialisation, the per-layer analysis by probing, the Trainer, and the whole split moved to the device
once (on CUDA: GPU-resident), so that batches are slices of it.
"""

from __future__ import annotations

import numpy as np
import torch

from core.models import ModelError, create_model
from core.models.analysis import analyse_model
from core.models.init import apply_init
from core.models.memory import out_of_memory_advice
from core.training.data import as_tensors
from core.training.devices import describe_device, free_memory_bytes, resolve_device
from core.training.execute import PreparedData
from core.training.network_run import DTYPE_BYTES, Engine, to_model_layout
from core.training.options import TrainOptions
from core.training.trainer import Trainer
from core.training.weights import load_weights


def features_tensor(X: np.ndarray, shape: tuple[int, ...], device: torch.device, dtype: str) -> torch.Tensor:
    """Preprocessed rows as the batch the network takes, on `device` (labels are not needed)."""
    return as_tensors(to_model_layout(X, shape), np.zeros(len(X), np.int64), shape, device, dtype=dtype)[0]


class TorchEngine(Engine):
    family = "torch"

    def __init__(self, options: TrainOptions) -> None:
        super().__init__(options)
        self.torch_device = resolve_device(options.device)  # a missing GPU is refused before any data is loaded

    def device(self) -> tuple[str, int | None, str]:
        return describe_device(self.torch_device), free_memory_bytes(self.torch_device), self.torch_device.type

    def build(self, model, params, *, n_classes, n_rows, shape, seed) -> torch.nn.Module:
        self.model_name = model
        # The builder seeds its start with `seed`; a named initialiser draws again from NumPy with that seed.
        size = int(np.prod(shape))
        network = create_model(
            model, params, n_classes=n_classes, n_features=size, n_rows=n_rows, seed=seed, input_shape=shape
        )
        apply_init(network, self.options.init, self.options.init_scale, seed=seed)
        return network

    def analyse(self, model, shape):
        return analyse_model(model, shape, self.options.batch_size, DTYPE_BYTES[self.options.dtype])

    def trainer(self, model, **kwargs) -> Trainer:
        weights = kwargs.pop("class_weights")
        weights = None if weights is None else torch.tensor(weights, dtype=torch.float32)
        return Trainer(model, self.options, device=self.torch_device, class_weights=weights, **kwargs)

    def fit(self, trainer: Trainer, data: PreparedData, shape: tuple[int, ...]) -> None:
        try:
            # The whole split goes to the device once (on CUDA: GPU-resident); batches are slices of it.
            tensors = {
                part: as_tensors(
                    to_model_layout(X, shape),
                    y,
                    shape,
                    self.torch_device,
                    channels_last=trainer.channels_last,
                    dtype=self.options.dtype,
                )
                for part, (X, y) in data.parts.items()
            }
            trainer.fit(*tensors["train"], *tensors["val"])
        except torch.OutOfMemoryError:
            advice = out_of_memory_advice(self.model_name, self.options.batch_size, self.torch_device.type)
            raise ModelError(advice) from None

    def load_weights(self, trainer: Trainer, path) -> None:
        load_weights(trainer.model, path, device=self.torch_device)

    def predict_proba(self, trainer: Trainer, X: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        return trainer.predict_proba(features_tensor(X, shape, self.torch_device, self.options.dtype))

    def describe(self, trainer: Trainer) -> dict:
        return {
            "mixed_precision": str(trainer.amp_dtype).removeprefix("torch.") if trainer.amp else "off",
            "channels_last": trainer.channels_last,
        }
