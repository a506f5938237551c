"""The command line over a run store or data folder that cannot be used as it is: one line, status 2, no
traceback; and one damaged row listed as damaged among the others."""

import json
import os
import shutil
import sqlite3
import subprocess

import numpy as np
import pytest

from core.evaluate import evaluate
from core.runs.store import RunStore
from tests.test_cli import run_cli


def one_error_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


@pytest.fixture
def read_only():
    """Make a folder read-only, for root too (root ignores permission bits, not the immutable attribute)."""
    made = []

    def make(folder):
        if os.geteuid() != 0:
            folder.chmod(0o555)
            made.append(lambda: folder.chmod(0o755))
        elif shutil.which("chattr") and subprocess.run(["chattr", "+i", str(folder)]).returncode == 0:
            made.append(lambda: subprocess.run(["chattr", "-i", str(folder)], check=True))
        else:
            pytest.skip("running as root without chattr: no way to make a folder read-only")
        return "Permission denied" if os.geteuid() != 0 else "Operation not permitted"

    yield make
    for undo in made:
        undo()


def test_a_data_folder_that_is_a_file(tmp_path):
    home = tmp_path / "home"
    home.write_text("not a folder")
    line = one_error_line(run_cli("runs", "list", env_extra={"TRAINBOARD_HOME": str(home)}))
    assert line == (
        f"error: cannot create the folder {home}/runs: {home} is a file, not a folder; "
        "set TRAINBOARD_HOME to a folder you can write to"
    )


def test_a_read_only_data_folder(tmp_path, read_only):
    home = tmp_path / "home"
    home.mkdir()
    reason = read_only(home)
    line = one_error_line(run_cli("runs", "list", env_extra={"TRAINBOARD_HOME": str(home)}))
    assert line == (
        f"error: cannot create the folder {home}/runs: {home} is read-only ({reason}); "
        "set TRAINBOARD_HOME to a folder you can write to"
    )


def test_a_read_only_run_store(tmp_path, read_only):
    home = tmp_path / "home"
    RunStore(home / "runs" / "runs.db")
    read_only(home / "runs")  # SQLite cannot make the files it writes beside the database
    line = one_error_line(run_cli("runs", "list", env_extra={"TRAINBOARD_HOME": str(home)}))
    assert line == (
        f"error: cannot open the run database {home}/runs/runs.db for writing (unable to open database file); "
        "the file and its folder must be writable, or set TRAINBOARD_HOME to another folder"
    )


def test_a_run_database_that_is_not_sqlite(tmp_path):
    home = tmp_path / "home"
    (home / "runs").mkdir(parents=True)
    (home / "runs" / "runs.db").write_bytes(bytes(range(256)) * 20)
    for args in (["runs", "list"], ["runs", "show", "x"], ["train", "iris", "--model", "logreg"]):
        line = one_error_line(run_cli(*args, env_extra={"TRAINBOARD_HOME": str(home)}))
        assert line == (
            f"error: {home}/runs/runs.db is not a run database (not an SQLite file); "
            "move it away or set TRAINBOARD_HOME to another folder"
        )


def test_runs_list_shows_a_damaged_row_with_its_id_and_the_others_normally(tmp_path):
    home = tmp_path / "home"
    store = RunStore(home / "runs" / "runs.db")
    proba = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]])
    metrics = {"test": evaluate(proba, np.array([0, 1, 1, 1]), ["no", "yes"]).to_dict()}  # accuracy 0.75
    ids = [store.create({}, "iris", model, "classical", {}, {}, seed=0) for model in ("logreg", "rf", "mlp")]
    for run_id in ids:
        store.claim(run_id, os.getpid(), max_running=5)
        store.finish(run_id, metrics, {}, "h", {})
    con = sqlite3.connect(store.path)
    con.execute('UPDATE runs SET metrics = \'{"test": {"accuracy": 0.7\' WHERE id = ?', (ids[1],))
    con.execute("UPDATE runs SET metrics = '{\"test\": 5}' WHERE id = ?", (ids[2],))  # JSON, but not metrics
    con.commit()
    con.close()
    env = {"TRAINBOARD_HOME": str(home)}
    result = run_cli("runs", "list", env_extra=env)
    assert result.returncode == 0, result.stderr
    lines = {line.split()[0]: line for line in result.stdout.splitlines()}
    assert lines[ids[0]] == f"{ids[0]}  finished    iris           logreg     test acc 0.7500"
    assert lines[ids[1]] == (
        f"{ids[1]}  damaged     iris           rf         damaged row (stored as finished): metrics is not valid JSON"
    )
    assert lines[ids[2]] == (
        f"{ids[2]}  damaged     iris           mlp        damaged row (stored as finished): metrics cannot be read "
        "(AttributeError: 'int' object has no attribute 'items')"
    )
    rows = json.loads(run_cli("runs", "list", "--json", env_extra=env).stdout.splitlines()[-1])["runs"]
    assert {row["run_id"]: row["status"] for row in rows} == {ids[0]: "finished", ids[1]: "damaged", ids[2]: "damaged"}
    shown = run_cli("runs", "show", ids[1], env_extra=env)
    assert shown.returncode == 0 and "[damaged]" in shown.stdout and "metrics is not valid JSON" in shown.stdout
