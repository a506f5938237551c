"""Run one configuration through the run store, as a worker would."""

from core.training.config import RunConfig, create_run


def run(store, request, model, params=None, training=None, limit=None, seed=0):
    """Create a run of `model` on `request` and execute it here; returns its finished record."""
    from core.runs import jobs

    config = RunConfig.build(request, model, params, limit=limit, training=training, seed=seed)
    return jobs.run_inline(create_run(store, config), store)
