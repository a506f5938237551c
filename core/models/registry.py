"""Named models. `register_model` adds a ModelSpec; `list_models`, `get_model_spec` and `create_model` are the
ways in, for the pages and the CLI alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.errors import TrainboardError

FAMILIES = ("classical", "torch", "numpy")
# Networks: trained epoch by epoch with the training options, built for an input shape.
NETWORK_FAMILIES = ("torch", "numpy")
KINDS = ("tabular", "image")
AUTO_ENCODINGS = ("onehot", "ordinal")  # what encoding "auto" may become for a model (core.preprocess.spec)
# Named in the size-guard advice: it handles any number of rows in reasonable time.
SCALABLE_MODEL = "hgb"


class ModelError(TrainboardError):
    """A model name, parameter or size that cannot be used; the message names the model and what is allowed."""


@dataclass(frozen=True)
class Param:
    """A model parameter the page and the CLI expose. Values arrive as CLI text ("200") or widget values and
    are converted to the type of `default` and validated here. A default of None means "an int, or none";
    `optional` allows none beside values of the default's type."""

    name: str
    default: Any
    help: str
    choices: tuple | None = None
    minimum: float | None = None
    maximum: float | None = None
    log: bool = False  # sliders use a log scale (learning rates, C)
    optional: bool = False  # "none" is allowed too (it always is when the default is None)

    def parse(self, raw: Any, model: str = "") -> Any:
        """The value `raw` stands for, typed and checked; ModelError (prefixed with `model`) when it is not allowed."""
        where = f"{model}: parameter '{self.name}'" if model else f"parameter '{self.name}'"
        if self.choices is not None:
            return self._choice(raw, where)
        value = self._convert(raw, where)
        if isinstance(value, int | float) and not isinstance(value, bool):
            low = self.minimum if self.minimum is not None else -float("inf")
            high = self.maximum if self.maximum is not None else float("inf")
            if not low <= value <= high:
                raise ModelError(f"{where}: {value} is outside {_bound(self.minimum)}..{_bound(self.maximum)}")
        return value

    def _choice(self, raw: Any, where: str) -> Any:
        for choice in self.choices:
            if raw == choice and type(raw) is type(choice):
                return choice
        text = str(raw).strip().lower()
        for choice in self.choices:
            if text == str(choice).lower():
                return choice
        raise ModelError(f"{where}: {raw!r} is not one of {', '.join(map(str, self.choices))}")

    def _convert(self, raw: Any, where: str) -> Any:
        if self.default is None or self.optional:
            if raw is None or str(raw).strip().lower() in ("none", ""):
                return None
            if self.default is None:
                return _as_int(raw, where, "an integer or none")
        if isinstance(self.default, bool):
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in ("true", "1", "yes"):
                return True
            if text in ("false", "0", "no"):
                return False
            raise ModelError(f"{where}: {raw!r} is not true or false")
        if isinstance(self.default, int):
            return _as_int(raw, where, "an integer")
        if isinstance(self.default, float):
            try:
                value = float(raw)
            except (TypeError, ValueError):
                raise ModelError(f"{where}: {raw!r} is not a number") from None
            if value != value:
                raise ModelError(f"{where}: {raw!r} is not a number")
            return value
        return type(self.default)(raw)


def _as_int(raw: Any, where: str, wanted: str) -> int:
    if isinstance(raw, bool):
        raise ModelError(f"{where}: {raw!r} is not {wanted}")
    try:
        number = float(raw)  # "1e3" and slider floats like 3.0 are integers too
    except (TypeError, ValueError):
        raise ModelError(f"{where}: {raw!r} is not {wanted}") from None
    if not number.is_integer():
        raise ModelError(f"{where}: {raw!r} is not {wanted}")
    return int(number)


def _bound(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


# builder(params, n_classes, n_features, n_rows, seed) -> an estimator with fit / predict_proba;
# network builders also take input_shape and return a network giving logits (torch: an nn.Module; numpy: a
# core.scratch Network)
Builder = Callable[..., Any]


@dataclass(frozen=True)
class ModelSpec:
    """Everything the pages and the CLI need to offer a model, and the builder that makes it."""

    name: str
    title: str
    family: str  # "classical" | "torch" | "numpy" (the from-scratch engine)
    kinds: tuple[str, ...]  # data kinds it accepts: "tabular", "image"
    builder: Builder
    params: tuple[Param, ...]
    tags: frozenset[str] = frozenset()  # e.g. "needs_scaling", "gpu"
    max_train_rows: int | None = None  # above this, fitting would take too long on a laptop
    description: str = ""  # one line: when to choose it
    # What the spec's encoding "auto" gives this model's categorical columns: "onehot" (one 0/1 column per
    # category: linear models, distances and networks need it) or "ordinal" (one code per column: trees split
    # on codes as well as on one-hot columns, and fit several times faster on 19 columns than on 174).
    auto_encoding: str = "onehot"

    @property
    def is_network(self) -> bool:
        """Trained epoch by epoch with the training options (torch and numpy families)."""
        return self.family in NETWORK_FAMILIES

    def defaults(self) -> dict:
        return {p.name: p.default for p in self.params}

    def check_rows(self, n_rows: int) -> None:
        """ModelError with advice when `n_rows` training rows are over this model's limit."""
        if self.max_train_rows is not None and n_rows > self.max_train_rows:
            raise ModelError(
                f"{self.name}: {n_rows:,} training rows is over its limit of {self.max_train_rows:,}; "
                f"train on fewer rows (a row limit) or choose {SCALABLE_MODEL}"
            )


_REGISTRY: dict[str, ModelSpec] = {}


def register_model(spec: ModelSpec) -> ModelSpec:
    """Add `spec` under its name. A duplicate name, or a spec that contradicts itself, raises ValueError."""
    if spec.name in _REGISTRY:
        raise ValueError(f"model '{spec.name}' is already registered")
    if spec.family not in FAMILIES:
        raise ValueError(f"model '{spec.name}': family {spec.family!r} is not one of {', '.join(FAMILIES)}")
    if not spec.kinds or not set(spec.kinds) <= set(KINDS):
        raise ValueError(f"model '{spec.name}': kinds {spec.kinds!r} must be drawn from {', '.join(KINDS)}")
    if spec.auto_encoding not in AUTO_ENCODINGS:
        raise ValueError(f"model '{spec.name}': auto_encoding {spec.auto_encoding!r} is not one of {AUTO_ENCODINGS}")
    names = [p.name for p in spec.params]
    if len(set(names)) != len(names):
        raise ValueError(f"model '{spec.name}': parameter names repeat: {names}")
    for param in spec.params:
        param.parse(param.default, spec.name)  # a default its own checks refuse is a bug in the spec
    _REGISTRY[spec.name] = spec
    return spec


def get_model_spec(name: str) -> ModelSpec:
    _import_models()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ModelError(f"unknown model '{name}'; known: {', '.join(sorted(_REGISTRY))}") from None


def list_models(family: str | None = None, kind: str | None = None) -> list[ModelSpec]:
    """Registered models in registration order, optionally only one family and/or those accepting one kind."""
    _import_models()
    if family is not None and family not in FAMILIES:
        raise ModelError(f"unknown model family '{family}'; known: {', '.join(FAMILIES)}")
    if kind is not None and kind not in KINDS:
        raise ModelError(f"unknown data kind '{kind}'; known: {', '.join(KINDS)}")
    return [
        spec
        for spec in _REGISTRY.values()
        if (family is None or spec.family == family) and (kind is None or kind in spec.kinds)
    ]


def resolve_params(name: str, params: dict | None = None) -> dict:
    """Defaults of model `name` overridden by `params`, each parsed and validated."""
    spec = get_model_spec(name)
    allowed = {p.name: p for p in spec.params}
    resolved = spec.defaults()
    for key, raw in (params or {}).items():
        if key not in allowed:
            raise ModelError(f"{name}: unknown parameter '{key}' (parameters: {', '.join(allowed) or 'none'})")
        resolved[key] = allowed[key].parse(raw, name)
    return resolved


def create_model(
    name: str,
    params: dict | None = None,
    *,
    n_classes: int,
    n_features: int,
    n_rows: int,
    seed: int = 0,
    input_shape: tuple[int, ...] | None = None,
) -> Any:
    """Build model `name` for data of this shape: defaults merged with `params`, every value validated, and
    the size guard checked. Classical models: an unfitted estimator with fit / predict_proba. Networks: an
    nn.Module (torch) or a core.scratch Network (numpy) from a batch (N, *input_shape) to logits (N, n_classes);
    `input_shape` is (C, H, W) for images and defaults to (n_features,)."""
    spec = get_model_spec(name)
    resolved = resolve_params(name, params)
    if n_classes < 2:
        raise ModelError(f"{name}: needs at least 2 classes, got {n_classes}")
    if n_rows < 1 or n_features < 1:
        raise ModelError(f"{name}: needs at least one training row and one feature, got {n_rows} x {n_features}")
    spec.check_rows(n_rows)
    shape = {"input_shape": tuple(input_shape or (n_features,))} if spec.is_network else {}
    return spec.builder(resolved, n_classes=n_classes, n_features=n_features, n_rows=n_rows, seed=seed, **shape)


def parse_params(name: str, pairs: list[str]) -> dict:
    """["n_estimators=200", "max_depth=none"] from the CLI -> {"n_estimators": 200, "max_depth": None}.
    Only the given parameters are returned; a later pair for the same name wins."""
    given: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ModelError(f"{name}: --param {pair!r} is not of the form name=value")
        given[key.strip()] = value.strip()
    resolved = resolve_params(name, given)
    return {key: resolved[key] for key in given}


def _import_models() -> None:
    # Importing the modules runs their register_model calls; done lazily so that importing the registry stays
    # cheap and free of cycles. The model modules themselves import their libraries only when building.
    from core.models import classical, cnn, mlp, scratch  # noqa: F401
