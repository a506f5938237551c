"""Running a reproduction: its RunConfig (the study's data, spec, model and options, with the user's smaller
limit or fewer epochs where given), started through the normal run store, tagged with its name."""

from __future__ import annotations

from core.errors import TrainboardError
from core.paths import REPO_ROOT
from core.reproduce.registry import TAG_PREFIX, Reproduction


def config_for(reproduction: Reproduction, limit: int | None = None, epochs: int | None = None):
    """The RunConfig of a 'run' reproduction; `limit` (rows) and `epochs` shrink it for a quick look."""
    from core.datasets import LoadRequest
    from core.models import get_model_spec
    from core.training.config import RunConfig

    if reproduction.kind != "run":
        raise TrainboardError(f"reproduction '{reproduction.name}' is an exercise; it has no run configuration")
    for key, value in (("limit", limit), ("epochs", epochs)):
        if value is not None and value < 1:
            raise TrainboardError(f"--{key} {value}: must be at least 1")
    model, params, training = reproduction.resolved()
    if epochs is not None:
        if not get_model_spec(model).is_network:
            raise TrainboardError(f"--epochs: {reproduction.name} trains {model}, which has no epochs")
        training["epochs"] = epochs
    spec = (REPO_ROOT / reproduction.spec).read_text(encoding="utf-8") if reproduction.spec else "{}"
    return RunConfig.build(
        LoadRequest(**reproduction.dataset),
        model,
        params,
        spec,
        limit=limit if limit is not None else reproduction.limit,
        training=training,
    )


def start(reproduction: Reproduction, store, limit: int | None = None, epochs: int | None = None) -> str:
    """Create the run (prechecked like any other) tagged with the reproduction; returns its id, not started."""
    from core.training.config import create_run

    run_id = create_run(store, config_for(reproduction, limit, epochs))
    store.annotate(run_id, tags=[reproduction.tag, f"study:{reproduction.study}"])
    return run_id


def is_reproduction(record) -> bool:
    """Whether a run was started by a reproduction (it carries a reproduce:NAME tag)."""
    return any(tag.startswith(TAG_PREFIX) for tag in record.tags or [])


def latest_run(reproduction: Reproduction, records):
    """The newest finished run of `records` tagged with the reproduction, or None."""
    tagged = [r for r in records if reproduction.tag in (r.tags or []) and r.status == "finished"]
    return max(tagged, key=lambda r: r.created_at, default=None)
