import dataclasses
import types

import pytest

from core.errors import TrainboardError
from core.models import ModelError, ModelSpec, Param, create_model, get_model_spec, list_models, parse_params, registry
from core.models.registry import register_model
from tests.conftest import REPO

EXPECTED = {"rf", "logreg", "gboost", "hgb", "xgboost", "svc", "knn"}


def echo_builder(params, *, n_classes, n_features, n_rows, seed, input_shape):
    shape = {"n_classes": n_classes, "n_features": n_features, "n_rows": n_rows, "input_shape": input_shape}
    return {"params": params, **shape, "seed": seed}


@pytest.fixture
def toy_spec(monkeypatch):
    """A model registered for one test only, whose builder hands back what it was given."""
    spec = ModelSpec(
        name="toy",
        title="Toy",
        family="torch",
        kinds=("image",),
        builder=echo_builder,
        params=(
            Param("depth", 3, "layers", minimum=1, maximum=10),
            Param("rate", 0.1, "step", minimum=1e-4, maximum=1.0, log=True),
            Param("shuffle", True, "shuffle batches"),
            Param("width", None, "hidden units; none: automatic", minimum=1),
            Param("act", "relu", "activation", choices=("relu", "tanh")),
        ),
        max_train_rows=1000,
    )
    monkeypatch.setitem(registry._REGISTRY, "toy", spec)
    return spec


def test_every_classical_model_of_the_issue_is_registered():
    assert {spec.name for spec in list_models(family="classical")} == EXPECTED


def test_duplicate_name_raises():
    with pytest.raises(ValueError, match="model 'rf' is already registered"):
        register_model(get_model_spec("rf"))


@pytest.mark.parametrize(
    "change, message",
    [
        ({"family": "deep"}, "family 'deep' is not one of classical, torch, numpy"),
        ({"kinds": ("audio",)}, "kinds"),
        ({"params": (Param("a", 1, ""), Param("a", 2, ""))}, "parameter names repeat"),
        ({"params": (Param("a", 0, "", minimum=1),)}, r"parameter 'a': 0 is outside 1\.\.$"),
    ],
)
def test_a_spec_that_contradicts_itself_is_refused(toy_spec, change, message):
    from dataclasses import replace

    with pytest.raises((ValueError, ModelError), match=message):
        register_model(replace(toy_spec, name="toy2", **change))
    assert "toy2" not in registry._REGISTRY


def test_unknown_model_lists_the_known_ones():
    with pytest.raises(ModelError, match=r"unknown model 'rff'; known: .*hgb.*rf"):
        get_model_spec("rff")
    assert issubclass(ModelError, TrainboardError)


def test_list_models_filters_by_family_and_kind(toy_spec):
    assert "toy" in {s.name for s in list_models(family="torch")}
    assert "toy" not in {s.name for s in list_models(family="classical")}
    assert "gboost" not in {s.name for s in list_models(kind="image")}
    assert "toy" not in {s.name for s in list_models(kind="tabular")}
    with pytest.raises(ModelError, match="unknown model family 'deep'"):
        list_models(family="deep")
    with pytest.raises(ModelError, match="unknown data kind 'audio'"):
        list_models(kind="audio")


@pytest.mark.parametrize(
    "param, raw, expected",
    [
        (Param("n", 3, ""), "7", 7),
        (Param("n", 3, ""), 7.0, 7),  # a slider's float
        (Param("n", 3, ""), "1e3", 1000),
        (Param("x", 0.1, ""), "0.05", 0.05),
        (Param("x", 0.1, ""), 2, 2.0),
        (Param("b", True, ""), "false", False),
        (Param("b", True, ""), "0", False),
        (Param("b", False, ""), "True", True),
        (Param("b", False, ""), "1", True),
        (Param("b", False, ""), True, True),
        (Param("d", None, "", minimum=1), "none", None),
        (Param("d", None, "", minimum=1), None, None),
        (Param("d", None, "", minimum=1), "12", 12),
        (Param("k", "rbf", "", choices=("rbf", "linear")), "linear", "linear"),
        (Param("k", "rbf", "", choices=("rbf", "linear")), "RBF", "rbf"),
        (Param("e", "auto", "", choices=("auto", True, False)), "true", True),
        (Param("e", "auto", "", choices=("auto", True, False)), False, False),
        (Param("e", "auto", "", choices=("auto", True, False)), "auto", "auto"),
        (Param("n", 3, "", minimum=1, maximum=10), "10", 10),
    ],
)
def test_param_parses_text_and_widget_values(param, raw, expected):
    value = param.parse(raw)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(
    "param, raw, message",
    [
        (Param("n", 3, ""), "many", "parameter 'n': 'many' is not an integer"),
        (Param("n", 3, ""), "2.5", "'2.5' is not an integer"),
        (Param("n", 3, ""), True, "True is not an integer"),
        (Param("x", 0.1, ""), "fast", "'fast' is not a number"),
        (Param("x", 0.1, ""), "nan", "'nan' is not a number"),
        (Param("b", True, ""), "maybe", "'maybe' is not true or false"),
        (Param("d", None, ""), "deep", "'deep' is not an integer or none"),
        (Param("k", "rbf", "", choices=("rbf", "linear")), "cubic", "'cubic' is not one of rbf, linear"),
        (Param("n", 3, "", minimum=1, maximum=10), 11, "11 is outside 1..10"),
        (Param("n", 3, "", minimum=1), "0", r"0 is outside 1\.\.$"),
        (Param("x", 0.1, "", maximum=1.0), 1.5, r"1.5 is outside \.\.1$"),
    ],
)
def test_param_refuses_bad_values_saying_what_is_allowed(param, raw, message):
    with pytest.raises(ModelError, match=message):
        param.parse(raw)


def test_param_error_names_the_model():
    with pytest.raises(ModelError, match=r"^rf: parameter 'n_estimators': 'lots' is not an integer$"):
        create_model("rf", {"n_estimators": "lots"}, n_classes=2, n_features=3, n_rows=10)


def test_create_model_merges_defaults_and_passes_the_data_shape(toy_spec):
    built = create_model("toy", {"depth": "5", "act": "tanh"}, n_classes=4, n_features=9, n_rows=100, seed=7)
    assert built == {
        "params": {"depth": 5, "rate": 0.1, "shuffle": True, "width": None, "act": "tanh"},
        "n_classes": 4,
        "n_features": 9,
        "n_rows": 100,
        "input_shape": (9,),  # a torch model on a table: one vector of features
        "seed": 7,
    }
    image = create_model("toy", n_classes=4, n_features=784, n_rows=10, input_shape=(1, 28, 28))
    assert image["input_shape"] == (1, 28, 28)
    assert toy_spec.defaults() == {"depth": 3, "rate": 0.1, "shuffle": True, "width": None, "act": "relu"}


def test_unknown_parameter_is_named_with_the_allowed_ones():
    with pytest.raises(ModelError, match=r"^knn: unknown parameter 'k' \(parameters: n_neighbors\)$"):
        create_model("knn", {"k": 3}, n_classes=2, n_features=3, n_rows=10)


def test_too_few_classes_or_rows(toy_spec):
    with pytest.raises(ModelError, match="toy: needs at least 2 classes, got 1"):
        create_model("toy", n_classes=1, n_features=3, n_rows=10)
    with pytest.raises(ModelError, match="at least one training row"):
        create_model("toy", n_classes=2, n_features=3, n_rows=0)


def test_size_guard_refuses_with_advice():
    with pytest.raises(ModelError) as caught:
        create_model("svc", n_classes=10, n_features=784, n_rows=54_000)
    assert str(caught.value) == (
        "svc: 54,000 training rows is over its limit of 20,000; train on fewer rows (a row limit) or choose hgb"
    )
    with pytest.raises(ModelError, match="knn: 100,001 training rows is over its limit of 100,000"):
        create_model("knn", n_classes=10, n_features=784, n_rows=100_001)
    create_model("svc", n_classes=10, n_features=784, n_rows=20_000)  # at the limit: allowed


def test_parse_params_from_the_command_line(toy_spec):
    assert parse_params("toy", ["depth=4", "width = none", "shuffle=false", "depth=6"]) == {
        "depth": 6,
        "width": None,
        "shuffle": False,
    }
    assert parse_params("toy", []) == {}
    with pytest.raises(ModelError, match=r"toy: --param 'depth' is not of the form name=value"):
        parse_params("toy", ["depth"])
    with pytest.raises(ModelError, match=r"toy: unknown parameter 'dept' \(parameters: depth, rate, shuffle"):
        parse_params("toy", ["dept=4"])
    with pytest.raises(ModelError, match="toy: parameter 'act': 'gelu' is not one of relu, tanh"):
        parse_params("toy", ["act=gelu"])


def test_logreg_solver_follows_the_size():
    assert create_model("logreg", n_classes=3, n_features=5, n_rows=1_000).solver == "lbfgs"
    assert create_model("logreg", n_classes=3, n_features=5, n_rows=60_000).solver == "lbfgs"


def test_xgboost_runs_without_torch(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` now raises ImportError
    model = create_model("xgboost", n_classes=3, n_features=5, n_rows=100, seed=3)
    assert model.get_params()["device"] == "cpu" and model.get_params()["random_state"] == 3
    with pytest.raises(ModelError, match="xgboost: device 'cuda' was asked for but no CUDA GPU is visible"):
        create_model("xgboost", {"device": "cuda"}, n_classes=3, n_features=5, n_rows=100)


def test_without_the_nvidia_driver_xgboost_does_not_import_torch_to_look_for_a_gpu(monkeypatch):
    import subprocess
    import sys

    from core.models import classical

    if not classical.nvidia_driver_absent():
        pytest.skip("this machine has the NVIDIA driver: torch is the probe here")
    probe = "from core.models import create_model; import sys; create_model('xgboost', n_classes=3, n_features=5, "
    probe += "n_rows=100); print('torch' in sys.modules)"
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=True)
    assert found.stdout.strip() == "False", found.stderr
    monkeypatch.setattr(classical, "nvidia_driver_absent", lambda: False)  # a driver: torch decides
    gpu = types.SimpleNamespace(cuda=types.SimpleNamespace(is_available=lambda: True))
    monkeypatch.setitem(sys.modules, "torch", gpu)
    assert classical._cuda_available() is True


def test_the_tree_models_take_codes_and_the_rest_one_hot_columns_under_auto():
    codes = {spec.name for spec in list_models() if spec.auto_encoding == "ordinal"}
    assert codes == {"rf", "gboost", "hgb", "xgboost"}
    assert all(spec.auto_encoding == "onehot" for spec in list_models() if spec.name not in codes)


def test_a_model_with_an_unknown_auto_encoding_is_refused():
    spec = get_model_spec("logreg")
    with pytest.raises(ValueError, match="auto_encoding 'label'"):
        register_model(dataclasses.replace(spec, name="logreg-label", auto_encoding="label"))


@pytest.mark.parametrize("spec", list_models(), ids=lambda spec: spec.name)
def test_each_model_describes_itself(spec):
    assert spec.title and spec.description and spec.params
    assert spec.family in ("classical", "torch", "numpy") and set(spec.kinds) <= {"tabular", "image"}
    for param in spec.params:
        assert param.help
        assert param.parse(param.default) == param.default
        assert param.parse(str(param.default)) == param.default  # what a CLI user would type
