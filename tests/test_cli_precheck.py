"""Arguments a run cannot start with are refused before a run row exists: one line, exit status 2, nothing in
the store; output paths are checked before any training."""

import os

import pytest
import torch

from tests.test_cli import last_json, run_cli


def no_runs(env) -> bool:
    return last_json(run_cli("runs", "list", "--json", env_extra=env))["runs"] == []


@pytest.mark.parametrize(
    "args, message",
    [
        (("train", "iris", "--model", "logreg", "--limit", "0"), "--limit 0: must be a whole number of rows >= 1"),
        (("train", "iris", "--model", "logreg", "--seed", "-3"), "--seed -3: must be a whole number >= 0"),
        pytest.param(
            ("train", "iris", "--model", "mlp", "--device", "cuda"),
            "--device 'cuda': this torch",
            marks=pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a CUDA GPU"),
        ),
        (("train", "iris", "--model", "logreg", "--source", "download"), "iris"),
        (("train", "no-such-data", "--model", "logreg"), "no-such-data"),
        (("train", "digits", "--model", "gboost"), "does not take image data"),
    ],
)
def test_a_wrong_argument_leaves_no_run_behind(tmp_path, args, message):
    env = {"TRAINBOARD_HOME": str(tmp_path)}
    result = run_cli(*args, env_extra=env)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and message in lines[-1] and "Traceback" not in result.stderr, result.stderr
    assert no_runs(env)


def test_rare_classes_are_named_at_once_and_a_class_operation_lets_it_train(tmp_path):
    env = {"TRAINBOARD_HOME": str(tmp_path)}
    table = tmp_path / "rare.csv"
    rows = [f"{i},{i % 5},{label}" for i, label in enumerate(["a"] * 30 + ["b"] * 30 + ["c"] * 2 + ["d"])]
    table.write_text("x,z,kind\n" + "\n".join(rows))
    refused = run_cli("train", "csv", "--path", str(table), "--target", "kind", "--model", "logreg", env_extra=env)
    assert refused.returncode == 2 and "'c' (2 rows), 'd' (1 row)" in refused.stderr
    assert "'merge_rare_under': 3" in refused.stderr and no_runs(env)
    spec = tmp_path / "spec.json"
    spec.write_text('{"merge_rare_under": 3}')
    done = last_json(
        run_cli(
            "train",
            "csv",
            "--path",
            str(table),
            "--target",
            "kind",
            "--model",
            "logreg",
            "--spec",
            str(spec),
            "--json",
            env_extra=env,
        )
    )
    assert done["status"] == "finished"


def test_report_paths_are_checked_before_training(tmp_path):
    env = {"TRAINBOARD_HOME": str(tmp_path)}
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    for out, message in ((tmp_path, "is a folder; give a file name"), (blocker / "r.html", "is a file, not a folder")):
        result = run_cli("compare", "iris", "--models", "logreg", "--report", str(out), env_extra=env)
        assert result.returncode == 2 and message in result.stderr
    assert no_runs(env)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere: the permission check cannot fail as root")
def test_a_report_in_a_read_only_folder_is_refused(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    result = run_cli("compare", "iris", "--models", "logreg", "--report", str(locked / "r.html"))
    assert result.returncode == 2 and "permission denied" in result.stderr


def test_a_spec_that_is_not_utf8_and_tables_with_nothing_to_learn_from(tmp_path):
    env = {"TRAINBOARD_HOME": str(tmp_path)}
    spec = tmp_path / "spec.json"
    spec.write_bytes(b'{"scaling": "\xff\xfe"}')
    result = run_cli("train", "iris", "--model", "logreg", "--spec", str(spec), env_extra=env)
    assert result.returncode == 2 and "the spec is not UTF-8 text" in result.stderr
    for name, text in (("one.csv", "only\n1\n2\n3\n"), ("blank.csv", "a,b,y\n" + ",,p\n,,q\n" * 4)):
        table = tmp_path / name
        table.write_text(text)
        target = text.split("\n")[0].split(",")[-1]
        result = run_cli("train", "csv", "--path", str(table), "--target", target, "--model", "logreg", env_extra=env)
        assert result.returncode == 2 and "no feature columns to learn from" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert no_runs(env)
