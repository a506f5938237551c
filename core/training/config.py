"""A run's whole configuration: enough to run it again, stored with the run and printed as a command."""

from __future__ import annotations

import shlex
from dataclasses import asdict, dataclass, field
from typing import Any

from core.datasets import LoadRequest
from core.preprocess import PreprocessSpec

DEFAULT_EXECUTOR = "core.training.execute:execute_run"


def spec_for_model(preprocess: str | None, model: str) -> PreprocessSpec:
    """A run's preprocessing spec as its model trains on it: encoding "auto" made the model's own choice
    (ModelSpec.auto_encoding), any other encoding as the user chose it."""
    from core.models import get_model_spec

    return PreprocessSpec.from_json(preprocess or "{}").for_model(get_model_spec(model).auto_encoding)


@dataclass(frozen=True)
class RunConfig:
    dataset: dict  # the LoadRequest's fields
    model: str
    params: dict = field(default_factory=dict)
    preprocess: str = "{}"  # a PreprocessSpec as JSON ("{}": the defaults)
    seed: int = 0
    limit: int | None = None  # rows sampled (stratified) from the dataset before splitting
    executor: str = DEFAULT_EXECUTOR
    training: dict = field(default_factory=dict)  # TrainOptions of a network, all of them; {} for classical

    @classmethod
    def build(
        cls,
        request: LoadRequest,
        model: str,
        params: dict | None = None,
        preprocess: str = "{}",
        seed: int = 0,
        limit: int | None = None,
        training: dict | None = None,
    ) -> RunConfig:
        """`training` (networks only) is validated and stored complete, defaults included, so the run keeps
        meaning the same thing when a default changes."""
        from core.models import get_model_spec
        from core.training.options import TrainOptions

        is_network = get_model_spec(model).is_network
        return cls(
            training=TrainOptions.from_dict(training).to_dict() if is_network else {},
            dataset=_request_dict(request),
            model=model,
            params=dict(params or {}),
            preprocess=preprocess,
            seed=seed,
            limit=limit,
        )

    def request(self) -> LoadRequest:
        fields = dict(self.dataset)
        fields["options"] = tuple(tuple(pair) for pair in fields.get("options", ()))
        return LoadRequest(**fields)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> RunConfig:
        return cls(**data)

    def command_line(self) -> str:
        """The `python -m core train ...` line that reproduces this run (with --spec when preprocessing is set)."""
        request = self.request()
        parts = ["python", "-m", "core", "train", request.name, "--model", self.model, "--seed", str(self.seed)]
        for flag, value in (
            ("--source", request.source),
            ("--path", request.path),
            ("--target", request.target),
            ("--rows", request.rows),
            ("--limit", self.limit),
        ):
            if value is not None and not (flag == "--source" and value == "auto"):
                parts += [flag, str(value)]
        parts += [item for key, value in request.options for item in ("--option", f"{key}={value}")]
        parts += [item for key, value in sorted(self.params.items()) for item in ("--param", f"{key}={value}")]
        if self.training:
            from core.training.options import TrainOptions, cli_flag

            changed = TrainOptions.from_dict(self.training).changed()
            parts += [item for key, value in changed.items() for item in (cli_flag(key), _flag_text(value))]
        if self.preprocess not in ("{}", ""):
            parts += ["--spec", "SPEC.json"]
        return shlex.join(parts)


def _flag_text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _request_dict(request: LoadRequest) -> dict[str, Any]:
    data = asdict(request)
    data["options"] = [list(pair) for pair in request.options]
    return data


def create_run(store, config: RunConfig) -> str:
    """Register `config` as a queued run in `store` (the one way the page, the CLI and the benches do it), once
    core.training.precheck has found it can start: a wrong argument leaves no failed run behind."""
    from core.models import get_model_spec
    from core.training.precheck import check_run

    dataset = check_run(config)
    return store.create(
        config.to_dict(),
        dataset=dataset.name,
        model=config.model,
        family=get_model_spec(config.model).family,
        params=config.params,
        preprocess=config.preprocess,
        seed=config.seed,
    )
