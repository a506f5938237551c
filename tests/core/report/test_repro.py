"""The reproducibility pack: what it holds, and that its command trains the same model again."""

import io
import json
import shlex
import zipfile

from core.datasets import LoadRequest
from core.report.repro import repro_pack
from core.runs import RunStore
from core.training.config import RunConfig, create_run


def open_pack(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as pack:
        return {name: pack.read(name).decode("utf-8") for name in pack.namelist()}


def commands(script: str) -> list[list[str]]:
    return [shlex.split(line) for line in script.splitlines() if line.startswith("python -m core train")]


def test_pack_holds_each_runs_configuration(compared):
    store, runs = compared
    records = list(runs.values())
    files = open_pack(repro_pack(records, store))
    expected = {"README.txt", "commands.sh"}
    expected |= {f"runs/{r.id}/{name}" for r in records for name in ("config.json", "preprocess.json", "run.json")}
    assert set(files) == expected
    assert len(commands(files["commands.sh"])) == len(records)
    mlp = runs["mlp"]
    assert json.loads(files[f"runs/{mlp.id}/config.json"]) == mlp.config
    facts = json.loads(files[f"runs/{mlp.id}/run.json"])
    assert facts["seed"] == mlp.seed and facts["split_hash"] == mlp.split_hash
    assert facts["versions"] == mlp.versions and facts["params"] == {"hidden": "16"}
    assert facts["metrics"]["test"]["accuracy"] == mlp.metrics["test"]["accuracy"]
    assert json.loads(files[f"runs/{mlp.id}/preprocess.json"]) == {}
    assert "--epochs 1" in files["commands.sh"]
    assert repro_pack(records, store) == repro_pack(records, store)  # same runs, same bytes


def test_a_spec_run_brings_its_spec(tmp_path):
    store = RunStore(tmp_path / "runs.db")
    spec = '{"scaling": "minmax"}'
    run_id = create_run(store, RunConfig.build(LoadRequest("iris"), "knn", preprocess=spec))
    files = open_pack(repro_pack([store.get(run_id)], store))
    assert json.loads(files["SPEC.json"]) == {"scaling": "minmax"}
    [command] = commands(files["commands.sh"])
    assert command[command.index("--spec") + 1] == "$PACK/SPEC.json"  # the shell expands it to the pack folder


def test_the_packs_command_trains_the_same_rf_again(compared, tmp_path, monkeypatch, capsys):
    from core.cli import main

    store, runs = compared
    rf = runs["rf"]
    files = open_pack(repro_pack([rf], store))
    [command] = commands(files["commands.sh"])
    assert command[:4] == ["python", "-m", "core", "train"]
    monkeypatch.setenv("TRAINBOARD_HOME", str(tmp_path))  # a fresh run store
    capsys.readouterr()
    assert main([*command[3:], "--json"]) == 0
    again = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert again["run_id"] != rf.id and again["split_hash"] == rf.split_hash
    assert again["metrics"]["test"]["accuracy"] == rf.metrics["test"]["accuracy"]
    assert again["metrics"]["test"]["log_loss"] == rf.metrics["test"]["log_loss"]
