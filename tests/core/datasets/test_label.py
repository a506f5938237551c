"""A dataset read from a file is named after the file, in the run store, its filters and reports; the name can
be set."""

import pytest

from core.datasets import LoadRequest, load_dataset
from core.errors import DataError
from core.runs import RunStore, jobs
from core.training.config import RunConfig, create_run


def write(tmp_path, name: str) -> str:
    path = tmp_path / name
    path.write_text("a,b,y\n" + "\n".join(f"{i},{i % 3},{'p' if i % 2 else 'q'}" for i in range(60)))
    return str(path)


def test_a_file_is_named_after_itself_and_a_label_wins(tmp_path):
    request = LoadRequest("csv", source="file", path=write(tmp_path, "credit_data.csv"), target="y")
    assert load_dataset(request).name == "csv:credit_data"
    gz = LoadRequest("csv", source="file", path=write(tmp_path, "flights.2013.csv"), target="y")
    assert load_dataset(gz).name == "csv:flights"
    labelled = LoadRequest("csv", source="file", path=request.path, target="y", label="Credit, cleaned")
    assert load_dataset(labelled).name == "Credit, cleaned"
    assert load_dataset(LoadRequest("iris")).name == "iris"
    with pytest.raises(DataError, match="--label '  ': give a name of 1-60 characters"):
        load_dataset(LoadRequest("csv", source="file", path=request.path, target="y", label="  "))


def test_runs_on_two_files_are_told_apart_in_the_store(tmp_path):
    store = RunStore(tmp_path / "runs.db")
    for name in ("credit.csv", "weather.csv"):
        request = LoadRequest("csv", source="file", path=write(tmp_path, name), target="y")
        jobs.run_inline(create_run(store, RunConfig.build(request, "logreg")), store)
    assert sorted(r.dataset for r in store.list()) == ["csv:credit", "csv:weather"]
    assert [r.dataset for r in store.list(dataset="csv:weather")] == ["csv:weather"]
    record = store.list(dataset="csv:credit")[0]
    assert record.status == "finished" and RunConfig.from_dict(record.config).request().name == "csv"
