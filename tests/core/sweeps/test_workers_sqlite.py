from core.sweeps.status import sweep_status
from core.sweeps.study import open_study
from tests.core.sweeps.conftest import mlp_config
from tests.core.sweeps.workers import check_budget_spent_exactly, run_workers


def test_two_worker_processes_on_one_sqlite_study_spend_the_budget_exactly(storage, store):
    open_study(mlp_config(storage, study="two", sampler="random", trials=8))
    outputs = run_workers("two", storage, store.path)
    assert sum(int(out.split("ran ")[1].split(" ")[0]) for out in outputs) == 8
    check_budget_spent_exactly("two", storage, store, 8)
    status = sweep_status("two", storage)
    assert (status.complete, status.running, status.active_workers, status.done) == (8, 0, 0, True)
