"""Runs trained for real on iris (small models, one epoch) in a store of their own, shared by the report tests."""

import pytest

from core.datasets import LoadRequest
from core.runs import RunStore, jobs
from core.training.config import RunConfig, create_run

NASTY = "<script>alert(1)</script>"


@pytest.fixture(scope="session")
def compared(tmp_path_factory):
    """(store, {name: record}): logreg, rf and a one-epoch mlp on one split of iris; logreg on another split
    (seed 1); and a failed run whose dataset name and tag are an HTML injection."""
    store = RunStore(tmp_path_factory.mktemp("compare") / "runs" / "runs.db")

    def train(model, params=None, training=None, seed=0):
        config = RunConfig.build(LoadRequest("iris", seed=seed), model, params, seed=seed, training=training)
        return jobs.run_inline(create_run(store, config), store)

    runs = {
        "logreg": train("logreg"),
        "rf": train("rf", {"n_estimators": 20}),
        "mlp": train("mlp", {"hidden": "16"}, {"epochs": 1}),
        "other split": train("logreg", seed=1),
    }
    config = RunConfig.build(LoadRequest(NASTY), "logreg")
    nasty_id = store.create(config.to_dict(), NASTY, "logreg", "classical", {}, "{}", seed=0, tags=[NASTY, "baseline"])
    runs["failed"] = jobs.run_inline(nasty_id, store)
    for name in ("logreg", "rf", "mlp", "other split"):
        assert runs[name].status == "finished", runs[name].error
    assert runs["failed"].status == "failed"
    return store, runs
