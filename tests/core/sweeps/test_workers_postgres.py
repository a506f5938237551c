import pytest

from core.sweeps.status import sweep_status
from core.sweeps.study import list_studies, open_study
from tests.core.sweeps.conftest import mlp_config
from tests.core.sweeps.postgres import postgres_server
from tests.core.sweeps.workers import check_budget_spent_exactly, run_workers


@pytest.fixture(scope="module")
def postgres_url():
    with postgres_server() as url:
        yield url


def test_two_workers_on_a_postgresql_study_spend_the_budget_exactly(postgres_url, store):
    open_study(mlp_config(postgres_url, study="pg", sampler="tpe", trials=8))
    assert list_studies(postgres_url) == ["pg"]
    outputs = run_workers("pg", postgres_url, store.path)
    assert sum(int(out.split("ran ")[1].split(" ")[0]) for out in outputs) == 8
    check_budget_spent_exactly("pg", postgres_url, store, 8)
    assert sweep_status("pg", postgres_url).done
