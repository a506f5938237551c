"""The command line as a user runs it: a real subprocess, JSON on the last line, status 2 on bad input."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import FASHION_DIR, REAL_SAMPLE, REPO, write_idx_set


def run_cli(*args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "core", *args], cwd=REPO, capture_output=True, text=True, env=env, timeout=120
    )


def last_json(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_datasets_lists_every_dataset_with_availability():
    listing = last_json(run_cli("datasets", "--json"))["datasets"]
    by_name = {row["name"]: row for row in listing}
    assert by_name["digits"]["offline"] is True
    assert by_name["la-collisions"]["offline"] is True  # through its synthetic stand-in
    assert "download" in by_name["mnist"]["sources"]


def test_data_info_json_has_the_contract_fields():
    info = last_json(run_cli("data", "info", "digits", "--json"))
    for key in (
        "name",
        "kind",
        "source",
        "synthetic",
        "rows_train",
        "rows_val",
        "rows_test",
        "n_features",
        "image_shape",
        "classes",
        "class_counts",
        "sha256",
        "split_hash",
        "load_seconds",
    ):
        assert key in info
    assert info["rows_train"] + info["rows_val"] + info["rows_test"] == 1797
    assert info["image_shape"] == [8, 8] and len(info["classes"]) == 10


@pytest.mark.skipif(not REAL_SAMPLE.is_file(), reason="../shared/data real sample not present")
def test_csv_with_a_chosen_target():
    info = last_json(
        run_cli(
            "data", "info", "csv", "--source", "file", "--path", str(REAL_SAMPLE), "--target", "Area_Name", "--json"
        )
    )
    assert info["rows"] == 3572 and info["target"] == "Area_Name" and len(info["classes"]) == 21


@pytest.mark.skipif(not FASHION_DIR.is_dir(), reason="Debian package dataset-fashion-mnist is not installed")
def test_fashion_mnist_second_load_is_fast(tmp_path):
    env = {"TRAINBOARD_HOME": str(tmp_path)}
    first = last_json(run_cli("data", "info", "fashion-mnist", "--json", env_extra=env))
    second = last_json(run_cli("data", "info", "fashion-mnist", "--json", env_extra=env))
    assert (first["official_train"], first["official_test"]) == (60_000, 10_000)
    assert len(first["classes"]) == 10 and first["rows_test"] == 10_000
    assert first["sha256"] == second["sha256"] and first["split_hash"] == second["split_hash"]
    assert second["load_seconds"] < first["load_seconds"]


def test_toy2d_options_and_human_output():
    result = run_cli("data", "info", "toy2d", "--option", "pattern=spiral", "--rows", "200")
    assert result.returncode == 0
    assert "spiral" in result.stdout and "train 140 / val 20 / test 40" in result.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("data", "info", "nosuch"), "unknown dataset 'nosuch'"),
        (("data", "info", "csv", "--source", "file", "--path", "/no/such.csv", "--target", "y"), "/no/such.csv"),
        (("data", "info", "toy2d", "--option", "pattern"), "key=value"),
        (("data", "info", "toy2d", "--rows", "many"), "invalid int value"),
        (("data", "info", "fashion-mnist", "--source", "synthetic"), "source 'synthetic' is not offered"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, needle):
    result = run_cli(*args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in result.stderr


def test_malformed_idx_folder_exits_2_naming_the_file(tmp_path):
    folder = tmp_path / "idx"
    write_idx_set(folder, gz=False)
    (folder / "train-images-idx3-ubyte").write_bytes(b"not idx at all")
    result = run_cli(
        "data",
        "info",
        "fashion-mnist",
        "--source",
        "file",
        "--path",
        str(folder),
        env_extra={"TRAINBOARD_HOME": str(tmp_path / "home")},
    )
    assert result.returncode == 2
    assert "train-images-idx3-ubyte: not an IDX file" in result.stderr
    assert not list((tmp_path / "home").rglob("*.npz")) and not list((tmp_path / "home").rglob("*.part"))


def test_train_runs_list_show_delete(tmp_path):
    env = {"TRAINBOARD_HOME": str(tmp_path)}
    trained = last_json(
        run_cli("train", "iris", "--model", "rf", "--param", "n_estimators=20", "--json", env_extra=env)
    )
    assert trained["status"] == "finished" and trained["params"] == {"n_estimators": 20}
    assert trained["metrics"]["test"]["accuracy"] > 0.8 and trained["timings"]["fit_seconds"] > 0
    listed = last_json(run_cli("runs", "list", "--json", env_extra=env))["runs"]
    assert [r["run_id"] for r in listed] == [trained["run_id"]]
    shown = run_cli("runs", "show", trained["run_id"], env_extra=env)
    assert "python -m core train iris --model rf --seed 0 --param n_estimators=20" in shown.stdout
    assert run_cli("runs", "delete", trained["run_id"], env_extra=env).returncode == 0
    assert last_json(run_cli("runs", "list", "--json", env_extra=env))["runs"] == []


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("train", "iris", "--model", "nosuch"), "unknown model"),
        (("train", "iris", "--model", "rf", "--param", "trees=3"), "trees"),
        (("runs", "show", "no-such-run"), "no-such-run"),
    ],
)
def test_train_and_runs_bad_input(tmp_path, args, needle):
    result = run_cli(*args, env_extra={"TRAINBOARD_HOME": str(tmp_path)})
    assert result.returncode == 2 and needle in result.stderr and "Traceback" not in result.stderr


def test_a_run_that_cannot_start_exits_2_and_leaves_no_run_behind(tmp_path):
    env = {"TRAINBOARD_HOME": str(tmp_path)}
    result = run_cli("train", "digits", "--model", "gboost", env_extra=env)
    assert result.returncode == 2 and "does not take image data" in result.stderr
    assert last_json(run_cli("runs", "list", "--json", env_extra=env))["runs"] == []
