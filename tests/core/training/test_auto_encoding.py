"""Encoding "auto": each model its own (ModelSpec.auto_encoding). The tree models train on one code per
categorical column, capped like one-hot; the others on one-hot columns; an encoding the user chose stays; each
encoding keeps its own encoded split."""

import numpy as np
import pytest
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder

from core.datasets import LoadRequest
from core.errors import SpecError
from core.preprocess import PreprocessSpec
from core.training import split_cache
from core.training.config import RunConfig
from core.training.execute import prepare_data

LA = LoadRequest("la-collisions", source="synthetic", rows=1500)
SPEC = PreprocessSpec(drop_columns=("DR Number", "Date Reported"), scaling="none")


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINBOARD_HOME", str(tmp_path / "home"))


def prepared(model, spec=SPEC):
    return prepare_data(RunConfig.build(LA, model, None, spec.to_json()), lambda *progress: None)


def categorical_columns(data):
    return [c for c, kind in data.dataset.feature_types.items() if kind == "categorical" and c in data.dataset.features]


def test_auto_is_the_default_and_becomes_the_models_choice():
    assert PreprocessSpec().encoding == "auto"
    assert PreprocessSpec().for_model("ordinal").encoding == "ordinal"
    assert PreprocessSpec().for_model("onehot").encoding == "onehot"
    assert PreprocessSpec(encoding="label").for_model("ordinal").encoding == "label"  # the user's choice stays
    with pytest.raises(SpecError, match="'encoding'"):
        PreprocessSpec().for_model("auto")


@pytest.mark.parametrize("model", ["rf", "gboost", "hgb", "xgboost"])
def test_the_trees_get_one_code_per_column_as_ordinal_encoding_gives(model):
    data, ordinal = prepared(model), prepared("logreg", PreprocessSpec(**{**vars(SPEC), "encoding": "ordinal"}))
    columns = data.dataset.features.shape[1]
    for part in ("train", "val", "test"):
        assert data.parts[part][0].shape[1] == columns
        np.testing.assert_array_equal(data.parts[part][0], ordinal.parts[part][0])
    names = list(data.features.get_feature_names_out())
    assert sorted(names) == sorted(data.dataset.features.columns)  # one column per feature, under its own name


def test_the_others_get_one_hot_columns():
    data = prepared("logreg")
    onehot = prepared("rf", PreprocessSpec(**{**vars(SPEC), "encoding": "onehot"}))
    assert data.parts["train"][0].shape[1] > data.dataset.features.shape[1]
    np.testing.assert_array_equal(data.parts["train"][0], onehot.parts["train"][0])


def test_codes_are_capped_like_one_hot_columns():
    # OrdinalEncoder with the one-hot cap: the categories one-hot gives a column of, one code each, and the
    # rest one shared code. Oracle: scikit-learn's encoders fitted on the run's own (imputed) train rows.
    spec = PreprocessSpec(**{**vars(SPEC), "max_categories": 4})
    data = prepared("rf", spec)
    text = data.dataset.features.iloc[data.split.train][categorical_columns(data)].astype("str")
    text = text.fillna(text.mode().iloc[0]).to_numpy(dtype=object)
    codes = OrdinalEncoder(max_categories=4, handle_unknown="use_encoded_value", unknown_value=-1).fit(text)
    names = list(data.features.get_feature_names_out())
    at = [names.index(c) for c in categorical_columns(data)]
    np.testing.assert_array_equal(data.parts["train"][0][:, at], codes.transform(text))
    onehot = OneHotEncoder(max_categories=4, handle_unknown="infrequent_if_exist").fit(text)
    widths = [len(c) - (0 if infrequent is None else len(infrequent) - 1)
              for c, infrequent in zip(onehot.categories_, onehot.infrequent_categories_, strict=True)]  # fmt: skip
    assert [len(np.unique(data.parts["train"][0][:, i])) for i in at] == widths
    assert max(widths) <= 4


def test_each_encoding_keeps_its_own_encoded_split(monkeypatch):
    calls = []
    real = split_cache.fit_parts
    monkeypatch.setattr(split_cache, "fit_parts", lambda *args: calls.append(args[1].encoding) or real(*args))
    for model in ("rf", "logreg", "hgb", "knn", "xgboost"):
        prepared(model)
    assert calls == ["ordinal", "onehot"]  # hgb and xgboost read rf's, knn logreg's
