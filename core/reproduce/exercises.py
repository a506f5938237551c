"""The reproductions that are exercises, not runs: a Playground setup trained for some epochs, or one of the
logbook's spreadsheet gates. They take a fraction of a second on the NumPy engine and have no run folder, so
their result is measured here and returned, not stored."""

from __future__ import annotations

from core.errors import TrainboardError
from core.reproduce.figures import RunView


def run_exercise(exercise: dict, epochs: int | None = None) -> RunView:
    """The exercise's figures as a RunView: metrics {test_loss, train_loss, test_accuracy?} for a Playground
    setup, {first_below, final_cost} for a gate; history one row per epoch ({epoch, loss})."""
    if "playground" in exercise:
        return _playground(exercise["playground"], epochs or exercise.get("epochs", 300))
    if "gate" in exercise:
        return _gate(exercise, epochs)
    raise TrainboardError(f"exercise {exercise!r} names neither a playground setup nor a gate")


def _playground(fields: dict, epochs: int) -> RunView:
    from core.playground.session import Playground
    from core.playground.setup import Setup

    playground = Playground(Setup(**fields).checked())
    playground.step(epochs)
    _, train_loss, test_loss = playground.history[-1]
    metrics = {"train_loss": train_loss, "test_loss": test_loss}
    accuracy = playground.accuracy()
    if accuracy is not None:
        metrics["test"] = {"accuracy": accuracy[1]}
    history = [{"epoch": epoch, "loss": train, "val_loss": test} for epoch, train, test in playground.history[1:]]
    return RunView(metrics=metrics, timings={"epochs_run": len(history)}, history=history)


def _gate(exercise: dict, epochs: int | None) -> RunView:
    from core.playground.gates import run_gate

    options = {key: value for key, value in exercise.items() if key != "gate"}
    run = run_gate(exercise["gate"], epochs=epochs, **options)
    metrics = {"first_below": run.first_below, "final_cost": run.costs[-1], "threshold": run.threshold}
    history = [{"epoch": epoch, "loss": cost} for epoch, cost in enumerate(run.costs, start=1)]
    return RunView(metrics=metrics, timings={"epochs_run": len(history)}, history=history)
