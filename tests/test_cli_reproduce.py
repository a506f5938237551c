"""`python -m core reproduce`: the list, an exercise, and a run through the run store with its figure set
beside the study's, as a user runs them (a real subprocess)."""

import json

from tests.conftest import needs_fashion
from tests.test_cli import last_json, run_cli


def test_reproduce_list_shows_every_study_configuration():
    rows = last_json(run_cli("reproduce", "list", "--json"))["reproductions"]
    names = {row["name"] for row in rows}
    assert {"keras-model2-relu-uniform", "la-rf", "cnn-cnn3-plateau", "lenet", "gate-and"} <= names
    lenet = next(row for row in rows if row["name"] == "lenet")
    assert lenet["published"] == [{"figure": "test accuracy", "value": 0.84, "unlike": ""}]
    text = run_cli("reproduce", "list", "--study", "logbook")
    assert text.returncode == 0 and "resnet18-96" in text.stdout and "la-rf" not in text.stdout


def test_an_exercise_prints_its_figures():
    result = last_json(run_cli("reproduce", "gate-and", "--json"))
    rows = {row["figure"]: row for row in result["figures"]}
    assert rows["first epoch below the threshold"]["ours"] == 18 and result["run_id"] is None


@needs_fashion
def test_a_reproduction_runs_through_the_run_store_beside_the_published_figure(tmp_path):
    home = {"TRAINBOARD_HOME": str(tmp_path)}
    result = last_json(run_cli("reproduce", "lenet", "--limit", "600", "--epochs", "1", "--json", env_extra=home))
    (row,) = result["figures"]
    assert row["figure"] == "test accuracy" and row["published"] == 0.84
    assert 0.0 <= row["ours"] <= 1.0 and row["versus"] == f"{row['ours'] - 0.84:+.4g}"
    shown = last_json(run_cli("runs", "show", result["run_id"], "--json", env_extra=home))
    assert "reproduce:lenet" in json.dumps(shown)  # tagged: the leaderboard and Compare can find it
    text = run_cli("reproduce", "lenet", "--limit", "600", "--epochs", "1", env_extra=home)
    assert text.returncode == 0 and "published" in text.stdout and "0.84" in text.stdout


def test_bad_input_is_one_line():
    for args, expected in (
        (("reproduce", "lenet5"), "unknown reproduction 'lenet5'"),
        (("reproduce", "list", "--study", "nope"), "--study 'nope' is not one of"),
        (("reproduce", "gate-and", "--limit", "5"), "--limit: gate-and is an exercise"),
        (("reproduce", "la-rf", "--epochs", "2"), "--epochs: la-rf trains rf, which has no epochs"),
    ):
        result = run_cli(*args)
        assert result.returncode == 2 and expected in result.stderr and len(result.stderr.strip().splitlines()) == 1
