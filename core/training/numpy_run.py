"""The NumPy engine of a network run (core/training/network_run.py has the run itself): a core.scratch Network
on the CPU, its cost from its layers, and the engine's own Trainer with the shared callbacks. Nothing here
imports torch: a NumPy run never loads it.
"""

from __future__ import annotations

import numpy as np

from core.models import create_model
from core.scratch.analysis import analyse_network
from core.scratch.network import Network
from core.scratch.trainer import Trainer, load_weights
from core.training.execute import PreparedData
from core.training.host_memory import cpu_cores, cpu_free_bytes
from core.training.network_run import DTYPE_BYTES, Engine, to_model_layout


class NumpyEngine(Engine):
    family = "numpy"

    def device(self) -> tuple[str, int | None, str]:
        return f"cpu ({cpu_cores()} cores, NumPy)", cpu_free_bytes(), "cpu"

    def build(self, model, params, *, n_classes, n_rows, shape, seed) -> Network:
        size = int(np.prod(shape))
        network = create_model(
            model, params, n_classes=n_classes, n_features=size, n_rows=n_rows, seed=seed, input_shape=shape
        )
        network.astype(self.options.dtype)
        if self.options.init != "default":  # the same fresh stream as core.models.init.apply_init on torch models
            network.initialise(self.options.init, self.options.init_scale, seed)
        return network

    def analyse(self, model, shape):
        return analyse_network(model, shape, self.options.batch_size, DTYPE_BYTES[self.options.dtype])

    def trainer(self, model, **kwargs) -> Trainer:
        return Trainer(model, self.options, **kwargs)

    def fit(self, trainer: Trainer, data: PreparedData, shape: tuple[int, ...]) -> None:
        arrays = {part: (to_model_layout(X, shape), y) for part, (X, y) in data.parts.items()}
        trainer.fit(*arrays["train"], *arrays["val"])

    def load_weights(self, trainer: Trainer, path) -> None:
        load_weights(trainer.model, path)

    def predict_proba(self, trainer: Trainer, X: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        return trainer.predict_proba(to_model_layout(X, shape))
