"""`python -m core train` on a network prints each epoch's validation scores: micro-F1 and ROC AUC beside the
loss and accuracy, as the reference study's callback did; with --json they are in the object's "epochs"."""

from tests.test_cli import last_json, run_cli


def test_train_prints_val_f1_and_roc_auc_per_epoch(tmp_path):
    env = {"TRAINBOARD_HOME": str(tmp_path)}
    args = ("train", "iris", "--model", "mlp", "--param", "hidden=8", "--epochs", "2", "--batch-size", "16")
    result = run_cli(*args, env_extra=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.strip().startswith("epoch"))
    assert header.split() == ["epoch", "loss", "val_loss", "val_acc", "val_f1_micro", "val_roc_auc", "lr"]
    rows = [line.split() for line in lines[lines.index(header) + 1 :]]
    assert [row[0] for row in rows] == ["1", "2"]
    assert all(0 <= float(value) <= 1 for row in rows for value in row[3:6])

    epochs = last_json(run_cli(*args, "--json", env_extra=env))["epochs"]
    assert [row["epoch"] for row in epochs] == [1, 2]
    assert all(0 <= row["val_f1_micro"] <= 1 and 0 <= row["val_roc_auc"] <= 1 for row in epochs)


def test_a_classical_model_prints_no_epochs(tmp_path):
    result = run_cli("train", "iris", "--model", "logreg", env_extra={"TRAINBOARD_HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "val_f1_micro" not in result.stdout
