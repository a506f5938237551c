"""`runs tag|untag|rename|note` and `score` as a user runs them: a real subprocess, JSON on the last line,
status 2 and one line naming the problem on bad input."""

import csv

import pytest
from sklearn.datasets import load_iris

from tests.test_cli import last_json, run_cli


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A finished logreg run on iris in its own TRAINBOARD_HOME: (env, run id)."""
    env = {"TRAINBOARD_HOME": str(tmp_path_factory.mktemp("home"))}
    return env, last_json(run_cli("train", "iris", "--model", "logreg", "--json", env_extra=env))["run_id"]


def test_rename_tag_untag_and_note_a_run(trained):
    env, run_id = trained
    renamed = last_json(run_cli("runs", "rename", run_id, "first", "try", "--json", env_extra=env))
    assert renamed["name"] == "first try" and renamed["label"] == "logreg · first try"
    tagged = last_json(run_cli("runs", "tag", run_id, "baseline", "iris", "--json", env_extra=env))
    assert tagged["tags"] == ["baseline", "iris"]
    assert last_json(run_cli("runs", "untag", run_id, "iris", "--json", env_extra=env))["tags"] == ["baseline"]
    noted = last_json(run_cli("runs", "note", run_id, "C=1 is plenty", "--json", env_extra=env))
    assert noted["note"] == "C=1 is plenty" and noted["name"] == "first try"
    shown = run_cli("runs", "show", run_id, env_extra=env).stdout
    assert "logreg · first try" in shown and "tags       baseline" in shown and "note       C=1 is plenty" in shown
    assert "logreg · first try" in run_cli("runs", "list", env_extra=env).stdout
    cleared = last_json(run_cli("runs", "rename", run_id, "", "--json", env_extra=env))
    assert cleared["label"] == f"logreg · {run_id[-4:]}"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("runs", "tag", "RUN"), "needs at least one tag"),
        (("runs", "rename", "RUN"), 'needs NAME ("" clears it)'),
        (("runs", "tag", "RUN", "a,b"), "has a comma"),
        (("runs", "show", "RUN", "extra"), "'extra' is one too many"),
        (("runs", "note", "no-such-run", "x"), "no-such-run"),
        (("score", "no-such-run", "--input", "x.csv", "--out", "out.csv"), "no-such-run"),
    ],
)
def test_bad_edits_exit_2_with_one_line(trained, args, needle):
    env, run_id = trained
    result = run_cli(*[run_id if a == "RUN" else a for a in args], env_extra=env)
    assert result.returncode == 2 and needle in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_score_writes_the_rows_with_predictions_and_probabilities(trained, tmp_path):
    env, run_id = trained
    iris = load_iris(as_frame=True)
    rows = tmp_path / "rows.csv"
    iris.data.iloc[[0, 60, 120]].to_csv(rows, index=False)
    out = tmp_path / "out" / "predictions.csv"
    result = last_json(run_cli("score", run_id, "--input", str(rows), "--out", str(out), "--json", env_extra=env))
    assert result["rows"] == 3 and result["out"] == str(out)
    with out.open() as handle:
        written = list(csv.DictReader(handle))
    assert [row["predicted"] for row in written] == ["setosa", "versicolor", "virginica"]
    assert {"sepal length (cm)", "p(setosa)", "p(versicolor)", "p(virginica)"} <= set(written[0])
    assert abs(sum(float(written[0][f"p({c})"]) for c in ("setosa", "versicolor", "virginica")) - 1) < 1e-9


def test_score_names_the_missing_columns(trained, tmp_path):
    env, run_id = trained
    rows = tmp_path / "rows.csv"
    load_iris(as_frame=True).data.drop(columns=["petal width (cm)"]).head(3).to_csv(rows, index=False)
    result = run_cli("score", run_id, "--input", str(rows), "--out", str(tmp_path / "p.csv"), env_extra=env)
    assert result.returncode == 2 and "'petal width (cm)'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / "p.csv").exists()
