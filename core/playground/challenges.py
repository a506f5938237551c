"""Challenges: a goal on the test loss and rules on the setup, checked against the playing network.

The first is the logbook's Playground task ("the smallest network with test loss 0.177 or lower"); the others
are classics of teaching with the Playground. A challenge is met when every rule holds and the goal is reached.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.playground.session import Playground
from core.playground.setup import Setup

Rule = Callable[[Setup], str | None]  # what is wrong with the setup, or None


def dataset_is(name: str) -> Rule:
    return lambda s: None if s.dataset == name else f"needs the {name} dataset (now {s.dataset})"


def at_most_neurons(count: int) -> Rule:
    return lambda s: None if s.neurons <= count else f"at most {count} hidden neurons (now {s.neurons})"


def features_are(*names: str) -> Rule:
    wanted = ", ".join(names)
    return lambda s: None if s.features == names else f"inputs {wanted} only (now {', '.join(s.features)})"


@dataclass(frozen=True)
class Challenge:
    name: str
    title: str
    goal: float  # the test loss to reach or beat
    rules: tuple[Rule, ...] = ()
    fewest_neurons: bool = False  # scored by network size: the page keeps the smallest that met it


@dataclass(frozen=True)
class Verdict:
    met: bool
    message: str
    neurons: int


CHALLENGES: dict[str, Challenge] = {
    c.name: c
    for c in (
        Challenge("smallest", "Test loss ≤ 0.177 with the fewest neurons", 0.177, fewest_neurons=True),
        Challenge(
            "xor_two",
            "Solve XOR with 2 hidden neurons or fewer (test loss < 0.1): choose the inputs",
            0.1,
            (dataset_is("xor"), at_most_neurons(2)),
        ),
        Challenge(
            "circle_no_hidden",
            "Solve the circle with no hidden layer (test loss < 0.1): pick the features",
            0.1,
            (dataset_is("circle"), at_most_neurons(0)),
        ),
        Challenge(
            "spiral_plain",
            "Solve the spiral from x₁ and x₂ alone (test loss < 0.1)",
            0.1,
            (dataset_is("spiral"), features_are("x1", "x2")),
        ),
    )
}


def judge(challenge: Challenge, playground: Playground) -> Verdict:
    """Whether `playground` meets `challenge` now, in one sentence that says what is missing or what was met."""
    setup = playground.setup
    broken = [problem for rule in challenge.rules if (problem := rule(setup)) is not None]
    test_loss = playground.history[-1][2]
    if broken:
        return Verdict(False, "Not yet: " + "; ".join(broken) + ".", setup.neurons)
    if playground.diverged or not test_loss <= challenge.goal:
        return Verdict(False, f"Not yet: test loss {test_loss:.3f}, goal {challenge.goal:g}.", setup.neurons)
    layers = len(setup.hidden)
    size = f"{setup.neurons} hidden neuron{'s' * (setup.neurons != 1)} in {layers} layer{'s' * (layers != 1)}"
    weights = sum(array.size for _, array in playground.network.parameters())
    return Verdict(
        True,
        f"Met at epoch {playground.epoch}: test loss {test_loss:.3f} with {size} ({weights} weights and biases).",
        setup.neurons,
    )
