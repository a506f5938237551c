import optuna
import pytest

from core.sweeps.pruning import TrialPruning
from core.sweeps.space import SearchSpace
from core.sweeps.study import load_study, open_study
from core.sweeps.worker import run_trials
from tests.core.sweeps.conftest import mlp_config

GOOD_CURVE = [0.80, 0.90, 0.95, 0.96]


class ScriptedTrainer:
    """What TrialPruning uses of a trainer, with epochs driven by the test."""

    def __init__(self, epochs: int) -> None:
        self.X_val, self.epochs, self.epoch = [[0.0]], epochs, 0
        self.should_stop, self.stop_status, self.stop_reason = False, None, ""

    def request_stop(self, reason: str, status: str) -> None:
        self.should_stop, self.stop_status, self.stop_reason = True, status, reason


def _study_with_good_trials() -> optuna.Study:
    study = optuna.create_study(direction="maximize", pruner=optuna.pruners.MedianPruner(2, n_warmup_steps=2))
    for _ in range(2):
        trial = study.ask()
        for step, value in enumerate(GOOD_CURVE, 1):
            trial.report(value, step)
        study.tell(trial, GOOD_CURVE[-1])
    return study


def _feed(curve: list[float]) -> tuple[TrialPruning, ScriptedTrainer]:
    callback = TrialPruning(_study_with_good_trials().ask(), "accuracy")
    trainer = ScriptedTrainer(len(curve))
    callback.on_train_begin(trainer, {})
    for epoch, value in enumerate(curve, 1):
        trainer.epoch = epoch
        callback.on_epoch_end(trainer, {"val_accuracy": value})
        if trainer.should_stop:
            break
    return callback, trainer


def test_a_scripted_bad_curve_is_pruned_at_the_first_epoch_after_warm_up():
    callback, trainer = _feed([0.5, 0.3, 0.2, 0.1])
    assert callback.pruned_at == 2 and callback.reported == [0.5, 0.3]  # epoch 1 is the pruner's warm-up
    assert trainer.stop_status == "pruned"
    assert trainer.stop_reason == "pruned by the sweep at epoch 2 (validation accuracy 0.3)"


def test_a_good_curve_runs_to_the_end_and_the_last_epoch_is_never_pruned():
    callback, trainer = _feed([0.85, 0.92, 0.96, 0.97])
    assert callback.pruned_at is None and not trainer.should_stop and len(callback.reported) == 4
    callback, trainer = _feed([0.85, 0.92, 0.96, 0.10])  # bad only at the end: finished, not pruned
    assert callback.pruned_at is None and not trainer.should_stop


@pytest.mark.parametrize("model", ["mlp", "numpy-mlp"])
def test_a_pruned_network_trial_ends_its_run_stopped_with_the_reason(storage, store, model):
    # A learning rate at the option's floor barely moves the weights: chance accuracy, far below the two good
    # trials added first, so the median pruner stops it after epoch 2.
    space = SearchSpace.from_dict({"lr": {"choices": [1e-6]}})
    config = mlp_config(storage, model=model, space=space, sampler="random", trials=1, epochs=4, prune="median")
    study = open_study(config)
    for _ in range(2):
        study.add_trial(
            optuna.trial.create_trial(
                params={"lr": 1e-6},
                distributions={"lr": space.dimensions["lr"].distribution()},
                value=GOOD_CURVE[-1],
                intermediate_values=dict(enumerate(GOOD_CURVE, 1)),
            )
        )
    assert run_trials("m", storage, store=store) == 1
    study, _ = load_study("m", storage)
    trial = study.trials[-1]
    assert trial.state == optuna.trial.TrialState.PRUNED and sorted(trial.intermediate_values) == [1, 2]
    record = store.get(trial.user_attrs["run_id"])
    assert record.status == "stopped"
    assert record.error.startswith("pruned by the sweep at epoch 2 (validation accuracy")


def test_hyperband_prunes_or_completes_every_trial_and_each_run_says_which(storage, store):
    config = mlp_config(storage, sampler="random", trials=6, epochs=3, prune="hyperband")
    open_study(config)
    assert run_trials("m", storage, store=store) == 6
    study, _ = load_study("m", storage)
    for trial in study.trials:
        record = store.get(trial.user_attrs["run_id"])
        if trial.state == optuna.trial.TrialState.PRUNED:
            assert record.status == "stopped" and record.error.startswith("pruned by the sweep")
        else:
            assert trial.state == optuna.trial.TrialState.COMPLETE and record.status == "finished"
