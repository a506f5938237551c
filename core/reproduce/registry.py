"""Named reproductions of the reference studies: one per configuration a study trained, with the data, the
preprocessing, the model and its options, and the figures the study published.

A reproduction is either a normal run (kind "run": it goes through the run store like any other, tagged with its
name, and lands in the leaderboard and on Compare) or one of the Playground's exercises (kind "exercise": the
NumPy engine's spreadsheet gates and Playground setups, measured directly; they have no run to store).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.errors import TrainboardError
from core.reproduce.figures import MEASURES, Figure

# The five reference studies, as the issues name them.
STUDIES = {
    "keras-callbacks": "Keras callbacks notebook: four MLPs on Fashion-MNIST and the callbacks that steer them",
    "la-cnn": "LA collisions and CNN assignment: baselines on the LA table, a CNN and four variants",
    "fashion-mlp": "From-scratch Fashion-MNIST MLP and its sweeps",
    "logbook": "Course logbook: from TensorFlow Playground to ResNet (d2l-style)",
}
KINDS = ("run", "exercise")
TAG_PREFIX = "reproduce:"  # the tag every run of a reproduction carries: 'reproduce:lenet'


@dataclass(frozen=True)
class Reproduction:
    name: str
    study: str  # a key of STUDIES
    title: str
    kind: str = "run"
    preset: str = ""  # a Neural Nets preset giving model, params and training (what is given below wins)
    model: str = ""
    params: dict = field(default_factory=dict)
    training: dict = field(default_factory=dict)
    dataset: dict = field(default_factory=lambda: {"name": "fashion-mnist"})  # LoadRequest fields
    spec: str = ""  # a preprocessing spec file, relative to the repository
    limit: int | None = None  # rows, as the study used them (None: all)
    exercise: dict = field(default_factory=dict)  # kind "exercise": what core.reproduce.exercises runs
    figures: tuple[Figure, ...] = ()
    differs: str = ""  # how the study's setting differs from what runs here, in a line ("" if it does not)

    @property
    def tag(self) -> str:
        return TAG_PREFIX + self.name

    def resolved(self) -> tuple[str, dict, dict]:
        """(model, params, training): the preset's, overridden by what the reproduction gives."""
        model, params, training = self.model, dict(self.params), dict(self.training)
        if self.preset:
            from core.training.presets import get_preset

            preset = get_preset(self.preset)
            model = model or preset.model
            params = {**preset.params, **params}
            training = {**preset.training, **training}
        return model, params, training


REPRODUCTIONS: dict[str, Reproduction] = {}


def register_reproduction(reproduction: Reproduction) -> Reproduction:
    if reproduction.name in REPRODUCTIONS:
        raise ValueError(f"reproduction '{reproduction.name}' is already registered")
    if reproduction.study not in STUDIES:
        raise ValueError(f"reproduction '{reproduction.name}': study '{reproduction.study}' is not in STUDIES")
    if reproduction.kind not in KINDS:
        raise ValueError(f"reproduction '{reproduction.name}': kind '{reproduction.kind}' is not one of {KINDS}")
    unknown = [f.metric for f in reproduction.figures if f.metric not in MEASURES]
    if unknown:
        raise ValueError(f"reproduction '{reproduction.name}': unknown figure metrics {unknown}")
    REPRODUCTIONS[reproduction.name] = reproduction
    return reproduction


def get_reproduction(name: str) -> Reproduction:
    _load_catalogue()
    try:
        return REPRODUCTIONS[name]
    except KeyError:
        raise TrainboardError(
            f"unknown reproduction '{name}'; see python -m core reproduce list ({len(REPRODUCTIONS)} of them)"
        ) from None


def list_reproductions(study: str | None = None) -> list[Reproduction]:
    _load_catalogue()
    return [r for r in REPRODUCTIONS.values() if study is None or r.study == study]


def _load_catalogue() -> None:
    import core.reproduce.catalogue  # noqa: F401  (registers every reproduction once)
