"""Named dataset loaders. `@register_dataset` adds one; `list_datasets` and `load_dataset` are the ways in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from core.datasets.dataset import Dataset, Kind
from core.errors import DataError

# progress(fraction or None when unknown, message). Loaders call it during long work.
Progress = Callable[[float | None, str], None]


def no_progress(fraction: float | None, message: str) -> None:
    """The progress sink used when nobody is watching."""


@dataclass(frozen=True)
class Option:
    """A loader-specific setting (e.g. toy2d's pattern). Values arrive as text from the CLI and are
    converted and validated here, so a bad one is reported by name with what is allowed."""

    name: str
    default: Any
    help: str
    choices: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    sources: tuple[str, ...] | None = None  # the sources it applies to; None: all

    def parse(self, raw: Any) -> Any:
        kind = type(self.default)
        try:
            value = kind(raw)
        except (TypeError, ValueError):
            raise DataError(f"option '{self.name}': {raw!r} is not a {kind.__name__}") from None
        if self.choices is not None and value not in self.choices:
            raise DataError(f"option '{self.name}': {value!r} is not one of {', '.join(map(str, self.choices))}")
        if self.minimum is not None and value < self.minimum or self.maximum is not None and value > self.maximum:
            raise DataError(f"option '{self.name}': {value} is outside {self.minimum}..{self.maximum}")
        return value


@dataclass(frozen=True)
class LoadRequest:
    """What to load: the same object comes from the page's widgets and from the CLI's flags."""

    name: str
    source: str = "auto"
    path: str | None = None
    target: str | None = None
    rows: int | None = None
    seed: int = 0
    options: tuple[tuple[str, Any], ...] = ()
    label: str | None = None  # the dataset's name in runs, filters and reports (default: see dataset_label)

    def option(self, name: str, loader: DatasetLoader) -> Any:
        spec = next(o for o in loader.options if o.name == name)
        given = dict(self.options)
        return spec.parse(given[name]) if name in given else spec.default


@dataclass(frozen=True)
class Availability:
    offline: bool
    detail: str


@dataclass
class DatasetLoader:
    """Base of every loader. Subclasses set the class attributes and implement `load`."""

    name: str = ""
    kind: Kind = "tabular"
    title: str = ""
    description: str = ""
    sources: tuple[str, ...] = ("auto",)
    options: tuple[Option, ...] = field(default_factory=tuple)
    needs_target: bool = False  # the user must name the target column (generic CSV)
    default_rows: int | None = None  # for generators: rows made when --rows is not given
    max_rows: int | None = None

    def availability(self) -> Availability:
        return Availability(True, "on this machine")

    def load(self, request: LoadRequest, progress: Progress) -> Dataset:
        raise NotImplementedError


_REGISTRY: dict[str, DatasetLoader] = {}


def register_dataset(name: str, **attributes: Any) -> Callable[[type[DatasetLoader]], type[DatasetLoader]]:
    """Class decorator: register one instance of the loader under `name`. A duplicate name raises."""

    def decorate(cls: type[DatasetLoader]) -> type[DatasetLoader]:
        if name in _REGISTRY:
            raise ValueError(f"dataset '{name}' is already registered")
        _REGISTRY[name] = cls(name=name, **attributes)
        return cls

    return decorate


def get_loader(name: str) -> DatasetLoader:
    _import_loaders()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise DataError(f"unknown dataset '{name}'; known: {', '.join(sorted(_REGISTRY))}") from None


def list_datasets() -> list[DatasetLoader]:
    _import_loaders()
    return list(_REGISTRY.values())


def load_dataset(request: LoadRequest, progress: Progress = no_progress) -> Dataset:
    """Validate the request against the loader's declared sources, options and limits, then load."""
    loader = get_loader(request.name)
    if request.source == "auto" and "auto" not in loader.sources:
        # "auto" means "wherever this dataset comes from": for a loader with one way in, that way.
        request = replace(request, source=loader.sources[0])
    if request.source not in loader.sources:
        raise DataError(
            f"{loader.name}: source '{request.source}' is not offered; use one of {', '.join(loader.sources)}"
        )
    unknown = sorted(set(dict(request.options)) - {o.name for o in loader.options})
    if unknown:
        allowed = ", ".join(o.name for o in loader.options) or "none"
        raise DataError(f"{loader.name}: unknown option '{unknown[0]}' (options: {allowed})")
    if request.rows is not None and request.rows < 1:
        raise DataError(f"--rows must be at least 1, got {request.rows}")
    if request.rows is not None and loader.max_rows is not None and request.rows > loader.max_rows:
        raise DataError(f"{loader.name}: --rows {request.rows} is over the limit of {loader.max_rows:,}")
    if request.source == "file" and not request.path:
        raise DataError(f"{loader.name}: source 'file' needs a path (--path)")
    if request.path and not Path(request.path).exists():
        raise DataError(f"{request.path}: no such file or directory")
    if loader.needs_target and not request.target:
        raise DataError(f"{loader.name}: name the target column (--target)")
    label = dataset_label(request)
    dataset = loader.load(request, progress)
    return dataset if dataset.name == label else replace(dataset, name=label)


LABEL_LENGTH = 60


def dataset_label(request: LoadRequest) -> str:
    """What a loaded dataset is called in the run store, the filters, reports and the repro pack: the request's
    label when given, else for a file "<loader>:<file name without its extensions>" ("csv:credit_data"), so
    runs on twelve files are not twelve runs on "csv"; else the loader's name."""
    if request.label is not None:
        label = request.label.strip()
        if not label or len(label) > LABEL_LENGTH or any(ch in label for ch in "\n\r\t"):
            raise DataError(f"--label {request.label!r}: give a name of 1-{LABEL_LENGTH} characters on one line")
        return label
    if request.source == "file" and request.path:
        stem = Path(request.path).name.split(".")[0] or Path(request.path).name
        return f"{request.name}:{stem}"
    return request.name


def _import_loaders() -> None:
    # Importing the modules runs their @register_dataset decorators; done lazily so that
    # `import core.datasets.registry` stays cheap and free of cycles.
    from core.datasets import builtin, fashion_mnist, la_collisions, mnist, tabular_file, toy2d  # noqa: F401
