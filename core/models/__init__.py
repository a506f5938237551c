"""Models: a registry of ModelSpecs (registry.py) and one file per model family (classical.py, ...)."""

from core.models.registry import (
    ModelError,
    ModelSpec,
    Param,
    create_model,
    get_model_spec,
    list_models,
    parse_params,
    register_model,
    resolve_params,
)

__all__ = [
    "ModelError",
    "ModelSpec",
    "Param",
    "create_model",
    "get_model_spec",
    "list_models",
    "parse_params",
    "register_model",
    "resolve_params",
]
