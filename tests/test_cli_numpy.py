"""The NumPy engine from the command line: the issue's commands, float64, the note on options it ignores, and
bad input (one line on stderr, exit status 2, no traceback)."""

import pytest

from tests.conftest import needs_fashion
from tests.test_cli import last_json, run_cli


@needs_fashion
@pytest.mark.parametrize(
    "model, params",
    [
        ("numpy-mlp", ("--param", "hidden=128,128,128", "--param", "activation=relu")),
        ("numpy-cnn", ()),
        ("numpy-logreg", ()),
    ],
)
def test_the_issues_command_on_a_fashion_subset(tmp_path, model, params):
    result = last_json(
        run_cli(
            "train", "fashion-mnist", "--model", model, *params, "--optimizer", "nadam", "--lr", "0.001",
            "--batch-size", "64", "--epochs", "1", "--init", "xavier_uniform", "--limit", "2000", "--json",
            env_extra={"TRAINBOARD_HOME": str(tmp_path)},
        )
    )  # fmt: skip
    assert result["status"] == "finished" and result["model"] == model
    assert result["metrics"]["test"]["accuracy"] > 0.4  # ten classes, one epoch on 2,000 images


def test_float64_and_the_note_on_what_the_engine_ignores(tmp_path):
    result = run_cli(
        "train", "digits", "--model", "numpy-mlp", "--param", "hidden=16", "--epochs", "2", "--dtype", "float64",
        "--hflip", "true", "--json", env_extra={"TRAINBOARD_HOME": str(tmp_path)},
    )  # fmt: skip
    summary = last_json(result)
    assert summary["status"] == "finished"
    assert "note: the NumPy engine (CPU only, no augmentation or mixed precision) ignores --hflip for numpy-mlp" in (
        result.stderr
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (("--model", "numpy-mlp", "--param", "hidden=128,0"), "numpy-mlp: parameter 'hidden': '128,0' is not a"),
        (("--model", "numpy-mlp", "--param", "activation=swish"), "numpy-mlp: parameter 'activation': 'swish'"),
        (("--model", "numpy-cnn"), "numpy-cnn: images of 8x8 are too small"),
        (("--model", "numpy-cnn", "--param", "filters=6"), "parameter 'filters': needs 2 sizes"),
        (("--model", "numpy-mlp", "--dtype", "float16"), "'float16' is not one of float32, float64"),
        (("--model", "numpy-logreg", "--param", "output=tanh"), "'tanh' is not one of softmax, sigmoid"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, args, message):
    result = run_cli("train", "digits", *args, "--epochs", "1", env_extra={"TRAINBOARD_HOME": str(tmp_path)})
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("error: ")
