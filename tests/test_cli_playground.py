"""`python -m core playground run|gate`: the issue's commands, their JSON, and bad input (one line on stderr,
exit status 2, no traceback)."""

import numpy as np
import pytest

from tests.test_cli import last_json, run_cli


def test_the_issues_spiral_command_prints_both_losses_per_epoch():
    result = last_json(
        run_cli(
            "playground",
            "run",
            "--dataset",
            "spiral",
            "--features",
            "x1,x2,sin_x1,sin_x2",
            "--hidden",
            "8,8",
            "--activation",
            "tanh",
            "--lr",
            "0.03",
            "--batch-size",
            "10",
            "--epochs",
            "300",
            "--noise",
            "10",
            "--seed",
            "0",
            "--json",
        )
    )
    epochs = result["epochs"]
    assert [row["epoch"] for row in epochs] == list(range(1, 301))
    assert result["test_loss"] == epochs[-1]["test_loss"] < 0.1 and result["diverged"] is None
    assert epochs[-1]["train_loss"] < epochs[0]["train_loss"]
    assert result["setup"]["features"] == "x1,x2,sin_x1,sin_x2" and result["setup"]["noise"] == "10"


def test_the_same_command_twice_gives_the_same_numbers():
    args = ("playground", "run", "--dataset", "xor", "--epochs", "20", "--seed", "3", "--json")
    assert last_json(run_cli(*args)) == last_json(run_cli(*args))


def test_a_challenge_and_the_many_seeds_study_from_the_command_line():
    result = last_json(
        run_cli(
            "playground",
            "run",
            "--dataset",
            "xor",
            "--features",
            "x1,x2,x1x2",
            "--hidden",
            "2",
            "--epochs",
            "100",
            "--challenge",
            "xor_two",
            "--seeds",
            "3",
            "--json",
        )
    )
    assert result["challenge"]["met"] is True and "2 hidden neurons" in result["challenge"]["message"]
    assert len(result["seeds"]["test_losses"]) == 3 and result["seeds"]["goal"] == 0.1


def test_gate_and_reports_the_first_epoch_below_the_threshold():
    result = last_json(
        run_cli("playground", "gate", "AND", "--epochs", "70", "--lr", "0.1", "--threshold", "0.09", "--json")
    )
    costs = np.array(result["costs"])
    assert len(costs) == 70 and np.all(np.diff(costs) <= 0)
    assert result["first_below"] == int(np.flatnonzero(costs < 0.09)[0]) + 1
    assert len(result["parameters"]) == 70 and set(result["parameters"][0]) == {
        "dense.weight[0,0]",
        "dense.weight[1,0]",
        "dense.bias[0]",
    }
    never = last_json(run_cli("playground", "gate", "AND", "--threshold", "0.001", "--json"))
    assert never["first_below"] is None


def test_gate_xor_and_the_decoder():
    tanh = last_json(run_cli("playground", "gate", "XOR", "--activation", "tanh", "--json"))
    sigmoid = last_json(run_cli("playground", "gate", "XOR", "--activation", "sigmoid", "--json"))
    assert tanh["first_below"] < sigmoid["first_below"]
    plain = last_json(run_cli("playground", "gate", "decoder", "--json"))
    squashed = last_json(run_cli("playground", "gate", "decoder", "--sigmoid-before-softmax", "--json"))
    assert squashed["costs"][-1] > plain["costs"][-1]
    text = run_cli("playground", "gate", "decoder")
    assert text.returncode == 0 and "decoder, softmax only: cost below 0.1 first at epoch" in text.stdout


def test_a_csv_from_the_command_line(tmp_path):
    path = tmp_path / "mine.csv"
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (80, 2))
    path.write_text("a,b,label\n" + "\n".join(f"{a},{b},{int(a > b)}" for a, b in x))
    result = last_json(
        run_cli(
            "playground", "run", "--dataset", "csv", "--csv", str(path), "--hidden", "3", "--epochs", "50", "--json"
        )
    )
    assert result["accuracy"]["test"] > 0.85


@pytest.mark.parametrize(
    "args, message",
    [
        (("run", "--features", ""), "features: select at least one input feature"),
        (("run", "--hidden", "4,9"), "hidden layer 2 9: must be between 1 and 8"),
        (("run", "--hidden", "four"), "--hidden: 'four' is not a comma-separated list"),
        (("run", "--activation", "tanh,relu,relu", "--hidden", "4,4"), "--activation: 3 names for 2 hidden layers"),
        (("run", "--noise", "70"), "noise 70: must be between 0 and 50"),
        (("run", "--dataset", "csv"), "--dataset csv needs --csv FILE"),
        (("run", "--challenge", "win"), "--challenge: 'win' is not one of"),
        (("gate", "AND", "--weights", "1,2,3"), "weights: AND takes 2 numbers"),
        (("gate", "AND", "--weights", "one,two"), "--weights: 'one,two' is not a comma-separated list"),
        (("gate", "decoder", "--activation", "tanh"), "the decoder has none to choose"),
    ],
)
def test_bad_input_is_one_line_and_status_2(args, message):
    result = run_cli("playground", *args)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.stderr


def test_a_diverging_run_says_so_and_exits_cleanly():
    result = run_cli(
        "playground",
        "run",
        "--dataset",
        "plane",
        "--hidden",
        "8,8",
        "--activation",
        "linear",
        "--lr",
        "10",
        "--epochs",
        "50",
        "--json",
    )
    summary = last_json(result)
    assert summary["diverged"].startswith("diverged at epoch") and len(summary["epochs"]) < 50
    assert "diverged at epoch" in result.stderr


def test_real_data_two_classes_of_a_loaded_dataset():
    result = last_json(
        run_cli(
            "playground",
            "run",
            "--dataset",
            "real",
            "--real",
            "digits",
            "--classes",
            "0,1",
            "--hidden",
            "2",
            "--epochs",
            "30",
            "--json",
        )
    )
    assert result["accuracy"]["test"] > 0.95 and result["setup"]["source"] == "digits|0,1"
    missing = run_cli("playground", "run", "--dataset", "real", "--real", "digits")
    assert missing.returncode == 2 and "needs --real NAME and --classes A,B" in missing.stderr
