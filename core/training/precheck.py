"""What is checked before a run row is created: that the run's data loads, its spec applies, its limit and seed
make sense, its split can be made, its model takes that data and its device exists. A wrong argument then
stops with one clear line and leaves no failed run behind; what can only fail later (memory, divergence) is
the run's own business.

The same steps as the run's (core/training/execute.py prepare_data), on the in-process memo of the loaded
dataset, and remembered per (data, spec, limit, seed): starting five models on one table checks it once.
"""

from __future__ import annotations

from core.datasets import Dataset, Split, make_split
from core.datasets.dataset import subsample
from core.datasets.memo import load_dataset_memo
from core.errors import DataError, TrainboardError
from core.models import ModelError, get_model_spec
from core.preprocess import PreprocessSpec, apply_row_steps
from core.training.config import RunConfig

_CHECKED: dict[tuple, tuple[Dataset, Split]] = {}
_REMEMBERED = 8


def split_data(config: RunConfig, dataset: Dataset | None = None) -> tuple[Dataset, Split]:
    """`config`'s dataset (loaded, or the given one) after its spec's row steps and limit, and its split."""
    if config.limit is not None and config.limit < 1:
        raise DataError(f"--limit {config.limit}: must be a whole number of rows >= 1 (or none for all)")
    if config.seed < 0:
        raise DataError(f"--seed {config.seed}: must be a whole number >= 0")
    dataset = dataset if dataset is not None else load_dataset_memo(config.request())
    if dataset.kind == "tabular" and dataset.features.shape[1] == 0:
        raise DataError(
            f"{dataset.name}: no feature columns to learn from, only the target '{dataset.target_name}' "
            "(columns with no values at all are dropped when the file is read)"
        )
    spec = PreprocessSpec.from_json(config.preprocess or "{}")
    spec.validate_for(dataset)
    dataset = apply_row_steps(dataset, spec)
    if config.limit:
        dataset = subsample(dataset, config.limit, config.seed)
    return dataset, make_split(dataset, seed=config.seed)


def check_run(config: RunConfig) -> Dataset:
    """The run's dataset as it will train (its name is the run's dataset label); TrainboardError (one line,
    naming the argument) when `config` cannot start."""
    key = (repr(config.dataset), config.preprocess, config.limit, config.seed)
    if key not in _CHECKED:
        if len(_CHECKED) >= _REMEMBERED:
            _CHECKED.pop(next(iter(_CHECKED)))
        _CHECKED[key] = split_data(config)
    dataset, _ = _CHECKED[key]
    model = get_model_spec(config.model)
    if dataset.kind not in model.kinds:
        raise ModelError(f"{config.model} does not take {dataset.kind} data; it takes {', '.join(model.kinds)}")
    device = config.training.get("device", "auto") if config.training else "auto"
    if model.family == "torch" and device != "auto":
        from core.training.devices import resolve_device

        try:
            resolve_device(device)
        except TrainboardError as err:
            raise TrainboardError(f"--{err}") from None
    return dataset
