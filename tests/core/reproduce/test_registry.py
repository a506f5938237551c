"""The reproduction registry: every configuration the issue names is there, and each points at things that
exist (presets, models, datasets, spec files), with figures the measures know."""

import pytest

from core.datasets import list_datasets
from core.errors import TrainboardError
from core.models import get_model_spec
from core.paths import REPO_ROOT
from core.reproduce import STUDIES, list_reproductions
from core.reproduce.figures import MEASURES, Figure, RunView, measure, set_beside
from core.reproduce.registry import get_reproduction

REPRODUCTIONS = list_reproductions()


def test_every_study_has_reproductions_and_the_issue_configurations_are_there():
    names = {r.name for r in REPRODUCTIONS}
    assert {r.study for r in REPRODUCTIONS} == set(STUDIES)
    keras = [r for r in REPRODUCTIONS if r.study == "keras-callbacks"]
    assert len(keras) == 4  # the four callback models
    assert {"la-rf", "la-logreg", "la-gboost", "la-mlp"} <= names  # the LA study's RF/LR/GB and MLP
    assert len([r for r in REPRODUCTIONS if r.name.startswith("cnn-")]) == 5  # its CNN and four variants
    assert {"lenet", "resnet18-96"} <= names
    assert any(r.kind == "exercise" and "gate" in r.exercise for r in REPRODUCTIONS)
    assert any(r.kind == "exercise" and "playground" in r.exercise for r in REPRODUCTIONS)


@pytest.mark.parametrize("reproduction", [r for r in REPRODUCTIONS if r.kind == "run"], ids=lambda r: r.name)
def test_each_run_reproduction_resolves_to_what_exists(reproduction):
    model, params, training = reproduction.resolved()
    spec = get_model_spec(model)  # raises for an unknown model
    assert all(name in {p.name for p in spec.params} for name in params), params
    assert reproduction.dataset["name"] in {d.name for d in list_datasets()}
    if reproduction.spec:
        assert (REPO_ROOT / reproduction.spec).is_file()
    from core.reproduce.runner import config_for

    config = config_for(reproduction, limit=500, epochs=1 if spec.is_network else None)
    assert config.model == model and config.limit == 500
    if spec.is_network:
        assert config.training["epochs"] == 1


def test_figures_compare_as_ratios_for_times_and_as_differences_for_shares():
    view = RunView(metrics={"test": {"accuracy": 0.85}}, timings={"fit_seconds": 29.0}, history=[])
    accuracy, seconds = Figure("test_accuracy", 0.84), Figure("fit_seconds", 290.0)
    assert measure(accuracy, view) == 0.85 and set_beside(accuracy, 0.85) == "+0.01"
    assert measure(seconds, view) == 29.0 and set_beside(seconds, 29.0) == "x0.1"
    assert set_beside(seconds, None) == ""
    history = [{"epoch": 1, "lr": 0.1}, {"epoch": 2, "lr": 0.09}]
    assert measure(Figure("lr", 0.09, epoch=2), RunView({}, {}, history)) == 0.09
    assert measure(Figure("lr", 0.09, epoch=7), RunView({}, {}, history)) is None  # the run stopped earlier
    assert set(MEASURES) >= {"test_accuracy", "train_loss", "fit_seconds", "examples_per_second", "lr"}


def test_a_figure_from_other_conditions_is_not_compared():
    from core.reproduce import side_by_side

    (row,) = side_by_side(get_reproduction("la-rf"), RunView({}, {"fit_seconds": 20.0}, []))
    assert row["published"] == 290.0 and row["ours"] == 20.0
    assert row["versus"] == "" and row["conditions"].startswith("not comparable: ")


def test_an_unknown_name_is_one_clear_line():
    with pytest.raises(TrainboardError, match="unknown reproduction 'lenet5'.*reproduce list"):
        get_reproduction("lenet5")


# name -> what the study's quoted settings say (issue 16's audit), checked on what the reproduction trains.
STUDY_SETTINGS = {
    "keras-model1-tanh": {"lr": 0.1, "schedule": "reference", "patience": 2, "optimizer": "momentum"},
    "keras-model2-relu-uniform": {"lr": 0.1, "schedule": "reference", "patience": 2, "loss_cap": 0.0},
    "keras-model3-relu-he": {"lr": 0.1, "schedule": "reference", "patience": 2, "init": "he_uniform"},
    "cnn-cnn3": {"batch_size": 32, "weight_decay": 1e-5, "monitor": "val_accuracy"},
    "cnn-cnn3-early-stopping": {"batch_size": 32, "patience": 4},
    "cnn-cnn3-plateau": {"batch_size": 32, "schedule": "plateau", "plateau_patience": 3},
    "lenet": {"batch_size": 128},
    "resnet18-96": {"lr": 0.01, "batch_size": 64, "input_size": 96},
    "googlenet-96": {"input_size": 96},
    "alexnet-224": {"input_size": 224, "lr": 0.01, "batch_size": 128},
}


@pytest.mark.parametrize("name", STUDY_SETTINGS)
def test_each_reproduction_trains_with_the_study_settings(name):
    from core.training.options import TrainOptions

    model, params, training = get_reproduction(name).resolved()
    options = TrainOptions.from_dict(training).to_dict()
    defaults = {p.name: p.default for p in get_model_spec(model).params}
    given = {**defaults, **params, **options}
    assert {key: given.get(key) for key in STUDY_SETTINGS[name]} == STUDY_SETTINGS[name]
