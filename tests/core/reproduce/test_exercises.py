"""The exercises reproduce what the Playground and the logbook's spreadsheets give (bench/RESULTS.md)."""

from core.reproduce import get_reproduction, side_by_side
from core.reproduce.exercises import run_exercise


def test_the_and_perceptron_passes_the_logbook_threshold_at_epoch_18():
    view = run_exercise(get_reproduction("gate-and").exercise)
    assert view.metrics["first_below"] == 18 and view.metrics["threshold"] == 0.09
    assert len(view.history) == view.timings["epochs_run"]


def test_the_spiral_is_learned_and_shown_beside_nothing_quoted():
    reproduction = get_reproduction("playground-spiral")
    view = run_exercise(reproduction.exercise, epochs=300)
    assert view.metrics["test_loss"] < 0.05
    rows = {row["figure"]: row for row in side_by_side(reproduction, view)}
    assert rows["test loss"]["ours"] == view.metrics["test_loss"] and rows["test loss"]["published"] is None
