"""`python -m core compare` and `python -m core report` as a user runs them: real subprocesses, a fresh run store."""

import io
import json
import zipfile

import pandas as pd
import pytest

from tests.test_cli import run_cli


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """One `compare` of three models on iris (the mlp for one epoch), with every export."""
    folder = tmp_path_factory.mktemp("cli-compare")
    env = {"TRAINBOARD_HOME": str(folder / "home")}
    paths = {kind: folder / name for kind, name in (("report", "r.html"), ("csv", "r.csv"), ("repro", "r.zip"))}
    result = run_cli(
        "compare", "iris", "--models", "logreg,rf,mlp", "--epochs", "1", "--json",
        "--report", str(paths["report"]), "--csv", str(paths["csv"]), "--repro", str(paths["repro"]),
        env_extra=env,
    )  # fmt: skip
    return result, paths, env, folder


def test_compare_trains_each_model_on_one_split_and_writes_the_exports(compared):
    result, paths, _, _ = compared
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert [run["model"] for run in out["runs"]] == ["logreg", "rf", "mlp"]
    assert all(run["status"] == "finished" for run in out["runs"])
    assert len({run["split_hash"] for run in out["runs"]}) == 1
    assert out["report"] == str(paths["report"]) and out["csv"] == str(paths["csv"])
    report = paths["report"].read_text(encoding="utf-8")
    for run in out["runs"]:
        assert f"{run['model']} · {run['run_id'][-4:]}" in report
    assert len(pd.read_csv(paths["csv"])) == 3
    with zipfile.ZipFile(io.BytesIO(paths["repro"].read_bytes())) as pack:
        assert "commands.sh" in pack.namelist()
    assert "ignore --epochs" in result.stderr  # logreg and rf are not torch models


def test_report_of_stored_runs(compared):
    result, _, env, folder = compared
    ids = [run["run_id"] for run in json.loads(result.stdout.strip().splitlines()[-1])["runs"]]
    out_path = folder / "again.html"
    again = run_cli("report", *ids[:2], "--out", str(out_path), env_extra=env)
    assert again.returncode == 0, again.stderr
    assert str(out_path) in again.stdout
    text = out_path.read_text(encoding="utf-8")
    assert ids[0] in text and ids[1] in text and ids[2] not in text


def test_report_of_an_unknown_id_is_one_line(compared):
    _, _, env, folder = compared
    result = run_cli("report", "20990101-000000-dead", "--out", str(folder / "x.html"), env_extra=env)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["error: no run with id '20990101-000000-dead'"]
    assert not (folder / "x.html").exists()


def test_compare_refuses_an_unknown_model_before_training(compared):
    _, _, env, folder = compared
    result = run_cli(
        "compare", "iris", "--models", "logreg,nonesuch", "--report", str(folder / "y.html"), env_extra=env
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "nonesuch" in result.stderr
    assert not (folder / "y.html").exists()
