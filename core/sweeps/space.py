"""What a study searches: one `Dimension` per parameter, a `SearchSpace` of them, as JSON for the page and files.

A name in a space is either one of the model's declared parameters or (networks only) a training option from
TRAINING_PARAMS; the model's own parameter wins where both use a name. Every bound and choice is checked by the
parameter's own `Param.parse`, so a space cannot ask for a value a run would refuse.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass, field
from typing import Any

from core.errors import TrainboardError

KINDS = ("float", "int", "categorical")
# A grid over an int range lists every integer in it; past this many it is surely a mistake.
MAX_GRID_RANGE = 1000
# Training options offered when a space is built for a network without naming any, with ranges people search.
SUGGESTED_TRAINING: dict[str, dict] = {
    "lr": {"kind": "float", "low": 1e-4, "high": 1e-1, "log": True},
    "batch_size": {"kind": "categorical", "choices": [32, 64, 128, 256]},
    "optimizer": {"kind": "categorical", "choices": ["sgd", "momentum", "adam"]},
}


class SpaceError(TrainboardError):
    """A search space that cannot be used; the message names the parameter."""


@dataclass(frozen=True)
class Dimension:
    """One searched parameter: a float or int range [low, high] (log: sampled on a log scale), or choices."""

    kind: str
    low: float | int | None = None
    high: float | int | None = None
    log: bool = False
    choices: tuple = ()

    def to_dict(self) -> dict:
        if self.kind == "categorical":
            return {"kind": self.kind, "choices": list(self.choices)}
        return {"kind": self.kind, "low": self.low, "high": self.high, "log": self.log}

    @classmethod
    def from_dict(cls, data: Any, name: str) -> Dimension:
        if not isinstance(data, dict):
            raise SpaceError(f"space: parameter '{name}' must be an object with a kind, got {data!r}")
        unknown = sorted(set(data) - {"kind", "low", "high", "log", "choices"})
        if unknown:
            raise SpaceError(f"space: parameter '{name}' has an unknown field '{unknown[0]}'")
        kind = data.get("kind", "categorical" if "choices" in data else "float")
        choices = data.get("choices", ())
        if not isinstance(choices, list | tuple):
            raise SpaceError(f"space: parameter '{name}': choices must be a list, got {choices!r}")
        dimension = cls(kind, data.get("low"), data.get("high"), bool(data.get("log", False)), tuple(choices))
        dimension.check(name)
        return dimension

    def check(self, name: str) -> None:
        """SpaceError naming `name` when the dimension contradicts itself (an empty range, no choices)."""
        where = f"space: parameter '{name}'"
        if self.kind not in KINDS:
            raise SpaceError(f"{where}: kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if self.kind == "categorical":
            if not self.choices:
                raise SpaceError(f"{where}: no choices given")
            if len(set(map(repr, self.choices))) != len(self.choices):
                raise SpaceError(f"{where}: choices repeat: {list(self.choices)}")
            for choice in self.choices:
                if not isinstance(choice, str | int | float | bool) or choice is None:
                    raise SpaceError(f"{where}: choice {choice!r} is not text, a number or true/false")
            return
        for bound in ("low", "high"):
            value = getattr(self, bound)
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise SpaceError(f"{where}: {bound} must be a finite number, got {value!r}")
            if self.kind == "int" and not float(value).is_integer():
                raise SpaceError(f"{where}: {bound} {value} is not a whole number (kind int)")
        if self.low > self.high:
            raise SpaceError(f"{where}: the range {self.low}..{self.high} is empty (low is above high)")
        if self.log and self.low <= 0:
            raise SpaceError(f"{where}: a log range must start above 0, got low {self.low}")

    def values(self, name: str) -> list:
        """Every value a grid visits: the choices, or each integer of an int range."""
        if self.kind == "categorical":
            return list(self.choices)
        if self.kind == "int" and self.high - self.low < MAX_GRID_RANGE:
            return list(range(int(self.low), int(self.high) + 1))
        raise SpaceError(f"space: parameter '{name}': a grid needs choices (a {self.kind} range has no grid points)")

    def distribution(self):
        """The Optuna distribution this dimension samples from."""
        import optuna

        if self.kind == "categorical":
            return optuna.distributions.CategoricalDistribution(list(self.choices))
        if self.kind == "int":
            return optuna.distributions.IntDistribution(int(self.low), int(self.high), log=self.log)
        return optuna.distributions.FloatDistribution(float(self.low), float(self.high), log=self.log)


@dataclass(frozen=True)
class SearchSpace:
    """Named dimensions, in the order given."""

    dimensions: dict[str, Dimension] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {name: dimension.to_dict() for name, dimension in self.dimensions.items()}

    @classmethod
    def from_dict(cls, data: Any) -> SearchSpace:
        if not isinstance(data, dict):
            raise SpaceError(f"space: expected an object of parameter -> dimension, got {type(data).__name__}")
        if not data:
            raise SpaceError("space: no parameter to search; name at least one")
        return cls({str(name): Dimension.from_dict(value, str(name)) for name, value in data.items()})

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    @classmethod
    def from_json(cls, text: str, where: str = "space") -> SearchSpace:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SpaceError(f"{where}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
        return cls.from_dict(data)

    def validate(self, model_name: str) -> None:
        """SpaceError naming the parameter when a name is neither the model's parameter nor (networks) a training
        option, when a dimension is empty, or when a bound or choice is a value that parameter refuses."""
        from core.models.registry import ModelError

        if not self.dimensions:
            raise SpaceError("space: no parameter to search; name at least one")
        params = searchable_params(model_name)
        for name, dimension in self.dimensions.items():
            dimension.check(name)
            if name not in params:
                raise SpaceError(f"space: unknown parameter '{name}' for {model_name} (known: {', '.join(params)})")
            param = params[name]
            probes = dimension.choices if dimension.kind == "categorical" else (dimension.low, dimension.high)
            for value in probes:
                try:
                    parsed = param.parse(value, model_name)
                except (ModelError, TrainboardError) as exc:
                    raise SpaceError(f"space: parameter '{name}': {exc}") from None
                if dimension.kind == "float" and isinstance(parsed, int) and not isinstance(param.default, float):
                    raise SpaceError(f"space: parameter '{name}' takes whole numbers; use kind int")

    def split(self, model_name: str, values: dict) -> tuple[dict, dict]:
        """(model parameters, training options) of one trial's `values`, decided by name."""
        model_params = {p.name for p in _model_params(model_name)}
        params = {k: v for k, v in values.items() if k in model_params}
        return params, {k: v for k, v in values.items() if k not in model_params}

    def grid(self) -> list[dict]:
        """Every combination of the dimensions' values, in a fixed order (the last name varies fastest)."""
        names = list(self.dimensions)
        columns = [self.dimensions[name].values(name) for name in names]
        return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*columns)]

    def grid_size(self) -> int:
        return math.prod(len(d.values(n)) for n, d in self.dimensions.items())

    @classmethod
    def for_model(cls, model_name: str, names: list[str] | None = None) -> SearchSpace:
        """A space over the model's parameters (and, for networks, the suggested training options): each
        parameter's choices, true/false, or its declared range. `names` picks which, in that order; a named
        parameter with nothing to search by default (free text, an open range) gets its default as one choice."""
        params = searchable_params(model_name)
        if names is None:
            chosen = [p.name for p in _model_params(model_name)] + [n for n in SUGGESTED_TRAINING if n in params]
        else:
            unknown = [n for n in names if n not in params]
            if unknown:
                known = ", ".join(params)
                raise SpaceError(f"space: unknown parameter '{unknown[0]}' for {model_name} (known: {known})")
            chosen = list(names)
        dimensions = {}
        for name in chosen:
            dimension = _suggested(params[name], name in SUGGESTED_TRAINING and name not in _names(model_name))
            if dimension is None and names is not None:
                dimension = Dimension("categorical", choices=(params[name].default,))
            if dimension is not None:
                dimensions[name] = dimension
        return cls(dimensions)


def _names(model_name: str) -> set[str]:
    return {p.name for p in _model_params(model_name)}


def _model_params(model_name: str):
    from core.models import get_model_spec

    return get_model_spec(model_name).params


def searchable_params(model_name: str) -> dict:
    """name -> Param a space over `model_name` may search: its own parameters, then (networks) the training
    options it does not itself declare."""
    from core.models import get_model_spec
    from core.training.options import TRAINING_PARAMS

    spec = get_model_spec(model_name)
    params = {p.name: p for p in spec.params}
    if spec.is_network:
        params.update({p.name: p for p in TRAINING_PARAMS if p.name not in params})
    return params


def _suggested(param, training_suggestion: bool) -> Dimension | None:
    """The dimension a parameter offers by default, or None when it offers none (free text, open ranges)."""
    if training_suggestion:
        return Dimension.from_dict(SUGGESTED_TRAINING[param.name], param.name)
    if param.choices is not None:
        return Dimension("categorical", choices=tuple(param.choices))
    if isinstance(param.default, bool):
        return Dimension("categorical", choices=(False, True))
    if param.minimum is None or param.maximum is None or param.optional or param.default is None:
        return None
    if isinstance(param.default, int) and not isinstance(param.default, bool):
        return Dimension("int", int(param.minimum), int(param.maximum), log=param.log and param.minimum > 0)
    if isinstance(param.default, float):
        return Dimension("float", float(param.minimum), float(param.maximum), log=param.log and param.minimum > 0)
    return None
